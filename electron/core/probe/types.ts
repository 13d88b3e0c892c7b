import type { ErrorInfo } from '../api/errors';
import type { Msg } from '../i18n';

export type OsFamily = 'rhel' | 'debian' | 'suse' | 'other';

export interface OsInfo {
  /** os-release ID, lower-cased ('centos', 'rocky', 'kylin', 'openeuler', 'uos', …). */
  id: string;
  /** VERSION_ID as written ('7', '22.04', 'V10', '22.03'). */
  versionId: string | null;
  prettyName: string | null;
  family: OsFamily;
  name: string | null;
  idLike: string[];
  /** Release codename when the distribution has one ('jammy', 'Sword', 'Blue Onyx'). */
  codename: string | null;
  /** Kylin's service pack, derived from its codename (Tercel = SP1, Sword = SP2, Lance = SP3). */
  servicePack: string | null;
  /** Which file the answer came from: os-release first, then the older release files. */
  source: 'os-release' | 'redhat-release' | 'kylin-release' | 'lsb-release' | 'debian_version' | 'system-release' | 'openEuler-release' | 'unknown';
  /** Package tools present on the host. */
  packageManagers: Array<'rpm' | 'dpkg'>;
}

export interface CpuInfo {
  /** Logical CPUs (processor entries in /proc/cpuinfo, else nproc). */
  count: number;
  /** Physical cores when /proc/cpuinfo says (sockets × cores per socket), else null. */
  physical: number | null;
  /** Whether the CPU has the x86-64-v2 flags (RHEL 9 clones need them); null off x86 or when flags are unknown. */
  x86_64_v2: boolean | null;
  model: string | null;
  flags: string[];
}

export interface MemoryInfo { totalBytes: number; availableBytes: number }
export interface SwapInfo { totalBytes: number; freeBytes: number }

export interface Mount {
  device: string;
  mountpoint: string;
  fsType: string | null;
  totalBytes: number;
  usedBytes: number;
  availableBytes: number;
  inodesTotal: number | null;
  inodesUsed: number | null;
  inodesFree: number | null;
}

export interface BlockDevice {
  name: string;
  kernelName: string;
  parentKernelName: string | null;
  type: string;
  sizeBytes: number;
  readOnly: boolean;
  removable: boolean;
  mountpoint: string | null;
  fsType: string | null;
  model: string | null;
}

export interface ListeningPort {
  proto: 'tcp' | 'udp';
  /** Bound address: '0.0.0.0' and '::' mean every address. */
  address: string;
  port: number;
  /** Owning process name when the probe could see it (ss/netstat need root for other users' processes). */
  process: string | null;
  pid: number | null;
}

export interface NetAddress { iface: string; family: 'inet' | 'inet6'; address: string; prefix: number | null }

export type SelinuxMode = 'enforcing' | 'permissive' | 'disabled' | 'absent' | 'unknown';
export interface SelinuxInfo { mode: SelinuxMode; configured: SelinuxMode | null }

export type FirewallName = 'firewalld' | 'ufw' | 'iptables' | 'nftables';
export interface FirewallInfo {
  /** Firewalls that are on (firewalld/ufw running, or iptables/nftables holding rules). */
  active: FirewallName[];
  firewalld: boolean | null;
  ufw: boolean | null;
  iptablesRules: number | null;
  nftablesRules: number | null;
}

export interface TimeInfo {
  /** Remote clock (seconds since epoch) when the script started. */
  epoch: number | null;
  /** Remote clock minus this laptop's clock, measured at the midpoint of the round trip. */
  skewSeconds: number | null;
  ntpSynced: boolean | null;
  /** Whether an NTP client (systemd-timesyncd, chronyd, ntpd) is enabled/running. */
  ntpActive: boolean | null;
  timezone: string | null;
  /** UTC offset as date prints it ('+0800'). */
  utcOffset: string | null;
}

/** troubleshoot's states, plus 'builtin' (compiled into the kernel: counts as loaded) and 'absent'. */
export type KernelModuleStatus = 'loaded' | 'builtin' | 'loadable' | 'absent';

export type CgroupVersion = 'v1' | 'v2' | 'hybrid';

export interface ContainerRuntime {
  name: 'docker' | 'containerd';
  installed: boolean;
  version: string | null;
  running: boolean;
  path: string | null;
}

export interface K3sInfo {
  installed: boolean;
  version: string | null;
  running: boolean;
  role: 'server' | 'agent' | null;
  /** /var/lib/rancher/k3s exists: a previous install left data behind. */
  dataDir: boolean;
  path: string | null;
}

export interface SudoInfo {
  uid: number | null;
  user: string | null;
  /** true: root or `sudo -n true` works; false: sudo wants a password or refuses; null: unknown. */
  passwordless: boolean | null;
  status: 'root' | 'nopasswd' | 'password' | 'tty-required' | 'denied' | 'absent' | 'unknown';
}

export interface Middleware {
  /** 'mysql', 'mariadb', 'postgresql', 'redis', 'nginx', 'jdk', or a name the bundle asked for. */
  name: string;
  version: string | null;
  /** Where the version (or the sighting) came from. */
  source: 'binary' | 'package' | 'port' | 'process' | 'command';
  running: boolean;
  port: number | null;
  ports: number[];
  path: string | null;
  package: string | null;
  /** Only a client was found (mysql/psql), no server on this host. */
  clientOnly?: boolean;
}

export interface ServiceUnit { unit: string; load: string; active: string; sub: string }

export interface ProbeWarning {
  section: string;
  message: Msg;
}

/** Everything the probe learned about one host; the JSON of `outpost probe` is an array of these. */
export interface HostFacts {
  host: string;
  ok: boolean;
  error: ErrorInfo | null;
  probedAt: string;
  durationMs: number | null;
  scriptVersion: number | null;
  hostname: string | null;
  os: OsInfo | null;
  kernel: string | null;
  arch: string | null;
  cpu: CpuInfo | null;
  memory: MemoryInfo | null;
  swap: SwapInfo | null;
  mounts: Mount[];
  blockDevices: BlockDevice[];
  ports: ListeningPort[];
  portsSource: 'ss' | 'netstat' | 'proc' | null;
  addresses: NetAddress[];
  selinux: SelinuxInfo | null;
  firewall: FirewallInfo | null;
  time: TimeInfo;
  kernelModules: Record<string, KernelModuleStatus>;
  sysctls: Record<string, string>;
  cgroupVersion: CgroupVersion | null;
  containerRuntimes: ContainerRuntime[];
  k3s: K3sInfo | null;
  sudo: SudoInfo | null;
  middleware: Middleware[];
  /** systemd services (for troubleshoot's hostServices); null when systemctl was not available. */
  services: ServiceUnit[] | null;
  /** Process names seen on the host (deduplicated). */
  processes: string[];
  /** Outputs of the bundle's `run`/`copy` collectors, keyed the way troubleshoot names them. */
  files: Record<string, string>;
  warnings: ProbeWarning[];
  /** The whole script output, unparsed: support wants it. */
  raw: string;
  stderr?: string;
}
