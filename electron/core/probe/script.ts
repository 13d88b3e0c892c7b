import { randomBytes } from 'node:crypto';

/** Bumped whenever a section's name or output format changes, so old raw outputs stay readable. */
export const PROBE_SCRIPT_VERSION = 1;

/** Kernel modules k3s and its CNI need; a bundle may ask for more. */
export const DEFAULT_KERNEL_MODULES = ['overlay', 'br_netfilter', 'ip_tables', 'iptable_nat', 'iptable_filter', 'nf_conntrack', 'vxlan', 'ip_vs', 'ip_vs_rr', 'ip_vs_wrr', 'ip_vs_sh'];

/** Sysctls that decide whether Kubernetes and the usual middleware work. */
export const DEFAULT_SYSCTLS = [
  'net.ipv4.ip_forward', 'net.bridge.bridge-nf-call-iptables', 'net.bridge.bridge-nf-call-ip6tables',
  'vm.max_map_count', 'fs.inotify.max_user_watches', 'fs.inotify.max_user_instances', 'fs.file-max',
  'vm.swappiness', 'net.ipv4.ip_local_port_range', 'kernel.pid_max',
];

export interface ExtraMiddleware {
  /** Name reported in HostFacts.middleware (letters, digits, '.', '_', '-'). */
  name: string;
  /** Shell command lines, run in order; each one's output (stdout+stderr) is kept. */
  commands: string[];
  /** Packages to look up with dpkg-query/rpm. */
  packages?: string[];
  /** Default port: the middleware counts as running when something listens there. */
  port?: number;
  /** Process names that mean it is running. */
  processes?: string[];
}

export interface ProbeScriptOptions {
  /** Extra kernel modules to check (the defaults are always checked). */
  kernelModules?: string[];
  /** Extra sysctls to read (the defaults are always read). */
  sysctls?: string[];
  /** Extra middleware the bundle cares about. */
  middleware?: ExtraMiddleware[];
  /** troubleshoot `run` host collectors: their output lands in HostFacts.files. */
  runs?: Array<{ name: string; command: string; args?: string[] }>;
  /** troubleshoot `copy` host collectors: files to read. */
  copies?: Array<{ name: string; path: string }>;
  /** Seconds any single command may take before it is killed (where `timeout` exists). Default 15. */
  commandTimeoutSeconds?: number;
  /** Marker token; random by default so that no file content can fake a section marker. */
  token?: string;
}

const NAME_RX = /^[A-Za-z0-9_.-]{1,64}$/;
const MODULE_RX = /^[A-Za-z0-9_-]{1,64}$/;
const SYSCTL_RX = /^[A-Za-z0-9_.-]{1,128}$/;

/** Single-quotes a word for POSIX sh. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function checkName(kind: string, v: string, rx: RegExp): string {
  if (!rx.test(v)) throw new Error(`probe: invalid ${kind} name '${v}'`);
  return v;
}

function uniq(xs: string[]): string[] {
  return [...new Set(xs)];
}

/*
 * The fixed part of the script. Rules that keep it working on every target:
 *  - POSIX sh only (dash, busybox ash, bash in sh mode): no arrays, no [[ ]], no $'..', no local.
 *  - Every section runs in a subshell with stdin from /dev/null, so a command that reads stdin
 *    cannot swallow the rest of the script when it is fed through `sh -s`, and a failing
 *    command loses only its own section.
 *  - LC_ALL=C, so tools print English and dots as decimal separators (parsers still cope when
 *    a tool ignores it).
 *  - /etc is read through $R (OUTPOST_ROOT, empty by default) so tests can point it at a fixture.
 *  - Anything that can hang (df on a dead NFS mount, a wedged dbus, a slow JVM) runs under timeout.
 */
const BODY = String.raw`
LC_ALL=C; LANG=C; LANGUAGE=C; export LC_ALL LANG LANGUAGE
PATH="$PATH:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"; export PATH
R="${'$'}{OUTPOST_ROOT:-}"
_b() { printf '\n@@OUTPOST:%s:begin:%s@@\n' "$T" "$1"; }
_e() { printf '\n@@OUTPOST:%s:end:%s:%s@@\n' "$T" "$1" "$2"; }
# OUTPOST_SKIP_TOOLS lets tests pretend a tool is missing (e.g. "ss netstat" to exercise the /proc fallback).
_has() { case " ${'$'}{OUTPOST_SKIP_TOOLS:-} " in *" $1 "*) return 1 ;; esac; command -v "$1" >/dev/null 2>&1; }
_TO=""
if timeout "$TOS" true >/dev/null 2>&1; then _TO="timeout $TOS"; elif timeout -t "$TOS" true >/dev/null 2>&1; then _TO="timeout -t $TOS"; fi
_to() { $_TO "$@"; }
_s() { _n="$1"; shift; _b "$_n"; ( "$@" ) </dev/null 2>&1; _e "$_n" "$?"; }
_cat() { if [ -r "$R$1" ]; then _b "file:$1"; cat "$R$1" 2>&1; _e "file:$1" "$?"; fi; }

s_time() { echo "epoch=$(date +%s.%N 2>/dev/null)"; }

s_meta() {
  echo "version=$V"
  echo "uid=$(id -u 2>/dev/null)"
  echo "user=$(id -un 2>/dev/null)"
  echo "sudo_user=${'$'}{SUDO_USER:-}"
  _has dpkg && echo "pm=dpkg"
  _has rpm && echo "pm=rpm"
  _has timeout && echo "timeout=1"
  return 0
}

s_hostname() { hostname 2>/dev/null || uname -n 2>/dev/null || cat /proc/sys/kernel/hostname; }

s_uname() { echo "kernel=$(uname -r)"; echo "arch=$(uname -m)"; }

s_cpu() {
  echo "count=$(grep -c '^processor' /proc/cpuinfo 2>/dev/null)"
  _has nproc && echo "nproc=$(nproc 2>/dev/null)"
  echo "sockets=$(grep '^physical id' /proc/cpuinfo 2>/dev/null | sort -u | wc -l)"
  echo "---"
  sed '/^$/q' /proc/cpuinfo
}

s_lsblk() {
  if _has lsblk; then
    lsblk -b -P -o NAME,KNAME,PKNAME,TYPE,SIZE,RO,RM,MOUNTPOINT,FSTYPE,MODEL 2>/dev/null && return 0
    lsblk -b -P -o NAME,KNAME,TYPE,SIZE,RO,RM,MOUNTPOINT,FSTYPE,MODEL 2>/dev/null && return 0
  fi
  echo "#source=sysfs"
  for d in /sys/block/*; do
    [ -d "$d" ] || continue
    n="${'$'}{d##*/}"
    echo "NAME=\"$n\" KNAME=\"$n\" PKNAME=\"\" TYPE=\"\" SECTORS=\"$(cat "$d/size" 2>/dev/null)\" RO=\"$(cat "$d/ro" 2>/dev/null)\" RM=\"$(cat "$d/removable" 2>/dev/null)\""
    for p in "$d"/"$n"*; do
      [ -r "$p/partition" ] || continue
      pn="${'$'}{p##*/}"
      echo "NAME=\"$pn\" KNAME=\"$pn\" PKNAME=\"$n\" TYPE=\"part\" SECTORS=\"$(cat "$p/size" 2>/dev/null)\" RO=\"$(cat "$p/ro" 2>/dev/null)\" RM=\"0\""
    done
  done
}

s_ports() {
  if _has ss; then
    echo "#source=ss"
    ss -Htlnpu 2>/dev/null && return 0
    ss -tlnpu && return 0
  fi
  if _has netstat; then
    echo "#source=netstat"
    netstat -tlnpu && return 0
  fi
  echo "#source=proc"
  for f in tcp tcp6 udp udp6; do
    [ -r "/proc/net/$f" ] || continue
    echo "#file=$f"
    cat "/proc/net/$f"
  done
  echo "#fds"
  ls -l /proc/[0-9]*/fd 2>/dev/null | grep -e '^/proc/' -e 'socket:'
  return 0
}

s_procs() {
  for p in /proc/[0-9]*; do
    c=""
    { read -r c < "$p/comm"; } 2>/dev/null || continue
    echo "${'$'}{p#/proc/} $c"
  done
  return 0
}

s_addr() {
  if _has ip; then ip -o addr show; echo "#route"; ip route show default; else ifconfig -a; fi
}

s_selinux() {
  _has getenforce && echo "getenforce=$(getenforce 2>&1)"
  [ -d /sys/fs/selinux ] && echo "selinuxfs=1"
  [ -r /sys/fs/selinux/enforce ] && echo "enforce=$(cat /sys/fs/selinux/enforce)"
  [ -r "$R/etc/selinux/config" ] && grep '^SELINUX=' "$R/etc/selinux/config"
  return 0
}

s_firewall() {
  if _has systemctl; then
    for u in firewalld ufw nftables iptables; do echo "unit.$u=$(_to systemctl is-active "$u" 2>/dev/null)"; done
  fi
  _has firewall-cmd && echo "firewalld.state=$(_to firewall-cmd --state 2>&1 | head -n 1)"
  _has ufw && echo "ufw.status=$(_to ufw status 2>&1 | head -n 1)"
  [ -r "$R/etc/ufw/ufw.conf" ] && echo "ufw.conf=$(grep '^ENABLED=' "$R/etc/ufw/ufw.conf")"
  if _has iptables; then
    echo "iptables.err=$(_to iptables -S 2>&1 >/dev/null | head -n 1)"
    echo "iptables.rules=$(_to iptables -S 2>/dev/null | grep -c '^-A')"
    echo "iptables.policies=$(_to iptables -S 2>/dev/null | grep '^-P' | tr '\n' ' ')"
  fi
  if _has nft; then
    echo "nft.err=$(_to nft list ruleset 2>&1 >/dev/null | head -n 1)"
    echo "nft.rules=$(_to nft list ruleset 2>/dev/null | grep -c -e ' accept' -e ' drop' -e ' reject' -e ' jump ')"
  fi
  return 0
}

s_clock() {
  echo "offset=$(date +%z)"
  echo "abbr=$(date +%Z)"
  [ -L "$R/etc/localtime" ] && echo "localtime=$(readlink "$R/etc/localtime")"
  [ -r "$R/etc/timezone" ] && echo "timezone.file=$(head -n 1 "$R/etc/timezone")"
  [ -r "$R/etc/sysconfig/clock" ] && grep -E '^(ZONE|TIMEZONE)=' "$R/etc/sysconfig/clock"
  if _has ntpstat; then _to ntpstat >/dev/null 2>&1; echo "ntpstat.rc=$?"; fi
  return 0
}

s_modules() {
  kr="$(uname -r)"
  for m in $MODS; do
    pat="$(echo "$m" | sed 's/[-_]/[-_]/g')"
    st=absent
    if grep -q "^$m " /proc/modules 2>/dev/null; then st=loaded
    elif grep -q "/$pat\.ko" "/lib/modules/$kr/modules.builtin" 2>/dev/null; then st=builtin
    elif [ -d "/sys/module/$m" ]; then st=builtin
    elif grep -q "/$pat\.ko" "/lib/modules/$kr/modules.dep" 2>/dev/null; then st=loadable
    fi
    echo "$m=$st"
  done
}

s_sysctl() {
  for k in $SYSCTLS; do
    p="/proc/sys/$(echo "$k" | tr . /)"
    if [ -r "$p" ]; then printf '%s=%s\n' "$k" "$(cat "$p" 2>/dev/null)"; else echo "$k!"; fi
  done
}

s_cgroup() {
  echo "fstype=$(stat -fc %T /sys/fs/cgroup 2>/dev/null)"
  [ -d /sys/fs/cgroup/unified ] && echo "unified=$(stat -fc %T /sys/fs/cgroup/unified 2>/dev/null)"
  grep cgroup /proc/filesystems 2>/dev/null
  grep cgroup /proc/mounts 2>/dev/null
  return 0
}

s_runtimes() {
  for b in docker dockerd containerd k3s kubectl crictl; do p="$(command -v "$b" 2>/dev/null)" && echo "path.$b=$p"; done
  _has docker && echo "docker.version=$(_to docker --version 2>&1 | head -n 1)"
  _has containerd && echo "containerd.version=$(_to containerd --version 2>&1 | head -n 1)"
  _has k3s && echo "k3s.version=$(_to k3s --version 2>&1 | head -n 1)"
  for f in /var/run/docker.sock /run/containerd/containerd.sock /run/k3s/containerd/containerd.sock; do [ -S "$f" ] && echo "sock=$f"; done
  for f in /etc/systemd/system/k3s.service /etc/systemd/system/k3s-agent.service /etc/rancher/k3s/k3s.yaml /etc/rancher/k3s/config.yaml; do [ -e "$R$f" ] && echo "file=$f"; done
  [ -d /var/lib/rancher/k3s ] && echo "dir=/var/lib/rancher/k3s"
  if _has systemctl; then
    for u in docker containerd k3s k3s-agent; do echo "unit.$u=$(_to systemctl is-active "$u" 2>/dev/null)"; done
  fi
  return 0
}

s_sudo() {
  u="$(id -u 2>/dev/null)"
  echo "uid=$u"
  if [ "$u" = 0 ]; then echo "sudo=root"
  elif _has sudo; then
    o="$(_to sudo -n true 2>&1 </dev/null)"; rc=$?
    echo "sudo.rc=$rc"
    echo "sudo.out=$(echo "$o" | head -n 1)"
  else echo "sudo=absent"
  fi
  return 0
}

# _mw FLAG CANDIDATE... : runs each distinct existing candidate with FLAG (stderr too: nginx and
# java print their versions there).
_mw() {
  f="$1"; shift; seen=" "
  for c in "$@"; do
    p="$(command -v "$c" 2>/dev/null)" || continue
    [ -x "$p" ] || continue
    case "$seen" in *" $p "*) continue ;; esac
    seen="$seen$p "
    echo "path=$p"
    _to "$p" "$f" 2>&1 | head -n 5
  done
  return 0
}

s_pkg() {
  if _has dpkg-query; then
    echo "#dpkg"
    dpkg-query -W -f='${'$'}{Package}\t${'$'}{Version}\t${'$'}{Status}\n' $DPKG_PKGS 2>/dev/null
  fi
  if _has rpm; then
    echo "#rpm"
    rpm -qa --qf '%{NAME}\t%{VERSION}-%{RELEASE}\n' $RPM_PKGS 2>/dev/null
  fi
  return 0
}
`;

const DPKG_PKGS = [
  'mysql-server*', 'mysql-community-server*', 'percona-server-server*', 'mariadb-server*',
  'postgresql-[0-9]*', 'redis-server', 'redis', 'nginx', 'nginx-core', 'nginx-light', 'nginx-full', 'nginx-extras', 'openresty',
  'openjdk-*-jre-headless', 'openjdk-*-jdk-headless', 'docker-ce', 'docker.io', 'containerd', 'containerd.io',
];
const RPM_PKGS = [
  'mysql-server', 'mysql-community-server', 'percona-server-server*', 'mariadb-server', 'MariaDB-server',
  'postgresql-server', 'postgresql*-server', 'redis', 'redis[0-9]*', 'nginx', 'openresty',
  'java-*-openjdk-headless', 'java-*-openjdk', 'docker-ce', 'moby-engine', 'containerd.io', 'containerd',
];

/** Builds the one POSIX-sh script the probe runs on a host (one SSH round trip, sectioned output). */
export function buildProbeScript(opts: ProbeScriptOptions = {}): string {
  const token = opts.token ?? randomBytes(6).toString('hex');
  if (!/^[A-Za-z0-9]{4,32}$/.test(token)) throw new Error('probe: invalid token');
  const timeout = Math.max(1, Math.floor(opts.commandTimeoutSeconds ?? 15));
  const modules = uniq([...DEFAULT_KERNEL_MODULES, ...(opts.kernelModules ?? []).map((m) => checkName('kernel module', m, MODULE_RX))]);
  const sysctls = uniq([...DEFAULT_SYSCTLS, ...(opts.sysctls ?? []).map((k) => checkName('sysctl', k, SYSCTL_RX))]);
  const extra = opts.middleware ?? [];
  const extraPkgs = extra.flatMap((m) => m.packages ?? []).map((p) => checkName('package', p, /^[A-Za-z0-9_.+*[\]-]{1,64}$/));

  const out: string[] = [];
  out.push('# Outpost probe: read-only fact gathering. POSIX sh; every section is independent.');
  out.push(`T=${shq(token)}; V=${PROBE_SCRIPT_VERSION}; TOS=${timeout}`);
  out.push(`MODS=${shq(modules.join(' '))}`);
  out.push(`SYSCTLS=${shq(sysctls.join(' '))}`);
  // Package patterns stay unquoted at use so the shell splits them; set -f keeps them from globbing.
  out.push(`DPKG_PKGS=${shq([...DPKG_PKGS, ...extraPkgs].join(' '))}`);
  out.push(`RPM_PKGS=${shq([...RPM_PKGS, ...extraPkgs].join(' '))}`);
  out.push(BODY);
  out.push(`printf '@@OUTPOST:%s:probe:%s@@\\n' "$T" "$V"`);
  // The clock first and last: the parser pairs them with the laptop's send/receive times.
  out.push('_s time.start s_time');
  out.push('_s meta s_meta');
  out.push('_s hostname s_hostname');
  out.push('_s uname s_uname');
  for (const f of ['os-release', 'redhat-release', 'system-release', 'centos-release', 'kylin-release', 'openEuler-release', 'lsb-release', 'debian_version', '.productinfo']) {
    out.push(`_cat /etc/${f}`);
  }
  out.push('[ -r "$R/etc/os-release" ] || _cat /usr/lib/os-release');
  out.push('_s cpu s_cpu');
  out.push('_s meminfo cat /proc/meminfo');
  out.push('_s df _to df -P -k');
  out.push('_s df.inodes _to df -P -i');
  out.push('_s mounts cat /proc/mounts');
  out.push('_s lsblk s_lsblk');
  out.push('_s ports s_ports');
  out.push('_s procs s_procs');
  out.push('_s addr s_addr');
  out.push('_s selinux s_selinux');
  out.push('_s firewall s_firewall');
  out.push('_s clock s_clock');
  out.push('_has timedatectl && _s timedatectl.show _to timedatectl show');
  out.push('_has timedatectl && _s timedatectl.status _to timedatectl status');
  out.push('_has chronyc && _s chronyc _to chronyc -n tracking');
  out.push('_s modules s_modules');
  out.push('_s sysctl s_sysctl');
  out.push('_s cgroup s_cgroup');
  out.push('_s runtimes s_runtimes');
  out.push('_s sudo s_sudo');
  out.push('_has systemctl && _s services _to systemctl list-units --type=service --all --no-legend --no-pager --plain');
  out.push('_s mw.mysqld _mw --version mysqld mariadbd /usr/libexec/mysqld /usr/local/mysql/bin/mysqld');
  out.push('_s mw.mysql _mw --version mysql mariadb /usr/local/mysql/bin/mysql');
  out.push('_s mw.postgres _mw --version postgres /usr/lib/postgresql/*/bin/postgres /usr/pgsql-*/bin/postgres /usr/local/pgsql/bin/postgres');
  out.push('_s mw.psql _mw --version psql');
  out.push('_s mw.redis _mw --version redis-server /usr/local/bin/redis-server /opt/redis/bin/redis-server');
  out.push('_s mw.nginx _mw -v nginx /usr/local/nginx/sbin/nginx /usr/local/openresty/nginx/sbin/nginx');
  out.push('_s mw.java _mw -version java /usr/lib/jvm/*/bin/java /usr/java/*/bin/java /opt/java/*/bin/java');
  out.push('set -f; _s pkg s_pkg; set +f');
  extra.forEach((m, i) => {
    const name = checkName('middleware', m.name, NAME_RX);
    // Vendor command lines come from the signed bundle and run as written, each under the timeout.
    const fn = `x_${i}`;
    const lines = m.commands.map((c) => `  echo ${shq('$ ' + c)}; _to sh -c ${shq(c)} 2>&1 | head -n 20`);
    out.push(`${fn}() {\n${lines.join('\n') || '  :'}\n  return 0\n}`);
    out.push(`_s ${shq('mwx.' + name)} ${fn}`);
  });
  for (const r of opts.runs ?? []) {
    const name = checkName('run collector', r.name, NAME_RX);
    out.push(`_s ${shq('run:' + name)} _to ${[r.command, ...(r.args ?? [])].map(shq).join(' ')}`);
  }
  for (const c of opts.copies ?? []) {
    const name = checkName('copy collector', c.name, NAME_RX);
    if (!c.path.startsWith('/')) throw new Error(`probe: copy path must be absolute: '${c.path}'`);
    out.push(`_s ${shq('copy:' + name + ':' + c.path)} head -c 1048576 ${shq(c.path)}`);
  }
  out.push('_s time.end s_time');
  out.push(`printf '@@OUTPOST:%s:done@@\\n' "$T"`);
  return out.join('\n') + '\n';
}
