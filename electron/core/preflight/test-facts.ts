import { emptyFacts, type HostFacts } from '../probe';

/** A healthy-looking HostFacts for tests, with overrides. Test-only. */
export function fakeFacts(host: string, over: Partial<HostFacts> = {}): HostFacts {
  const f = emptyFacts(host);
  return {
    ...f,
    ok: true,
    hostname: host,
    os: { id: 'rocky', versionId: '9.3', prettyName: 'Rocky Linux 9.3 (Blue Onyx)', family: 'rhel', name: 'Rocky Linux', idLike: ['rhel', 'centos', 'fedora'], codename: 'Blue Onyx', servicePack: null, source: 'os-release', packageManagers: ['rpm'] },
    kernel: '5.14.0-362.8.1.el9_3.x86_64',
    arch: 'x86_64',
    cpu: { count: 8, physical: 4, x86_64_v2: true, model: 'Xeon', flags: ['fpu', 'cx8', 'cmov', 'mmx', 'fxsr', 'sse', 'sse2', 'syscall', 'cx16', 'lahf_lm', 'popcnt', 'ssse3', 'sse4_1', 'sse4_2', 'avx'] },
    memory: { totalBytes: 16 * 2 ** 30, availableBytes: 12 * 2 ** 30 },
    swap: { totalBytes: 0, freeBytes: 0 },
    mounts: [
      { device: '/dev/mapper/rl-root', mountpoint: '/', fsType: 'xfs', totalBytes: 50 * 2 ** 30, usedBytes: 10 * 2 ** 30, availableBytes: 40 * 2 ** 30, inodesTotal: 1e6, inodesUsed: 1e5, inodesFree: 9e5 },
      { device: '/dev/sdb1', mountpoint: '/var/lib/rancher', fsType: 'xfs', totalBytes: 200 * 2 ** 30, usedBytes: 20 * 2 ** 30, availableBytes: 180 * 2 ** 30, inodesTotal: 1e7, inodesUsed: 1e3, inodesFree: 1e7 - 1e3 },
    ],
    blockDevices: [
      { name: 'sda', kernelName: 'sda', parentKernelName: null, type: 'disk', sizeBytes: 100 * 2 ** 30, readOnly: false, removable: false, mountpoint: null, fsType: null, model: null },
      { name: 'sda1', kernelName: 'sda1', parentKernelName: 'sda', type: 'part', sizeBytes: 100 * 2 ** 30, readOnly: false, removable: false, mountpoint: '/', fsType: 'xfs', model: null },
      { name: 'sdc', kernelName: 'sdc', parentKernelName: null, type: 'disk', sizeBytes: 500 * 2 ** 30, readOnly: false, removable: false, mountpoint: null, fsType: null, model: null },
    ],
    ports: [{ proto: 'tcp', address: '0.0.0.0', port: 22, process: 'sshd', pid: 900 }],
    portsSource: 'ss',
    addresses: [{ iface: 'eth0', family: 'inet', address: `10.0.0.${host.length}`, prefix: 24 }],
    selinux: { mode: 'enforcing', configured: 'enforcing' },
    firewall: { active: ['firewalld'], firewalld: true, ufw: null, iptablesRules: 0, nftablesRules: 10 },
    time: { epoch: 1_700_000_000, skewSeconds: 0.2, ntpSynced: true, ntpActive: true, timezone: 'Asia/Shanghai', utcOffset: '+0800' },
    kernelModules: { overlay: 'loaded', br_netfilter: 'loadable', ip_vs: 'absent', nf_conntrack: 'builtin' },
    sysctls: { 'net.ipv4.ip_forward': '1', 'vm.max_map_count': '65530', 'net.ipv4.ip_local_port_range': '32768\t60999' },
    cgroupVersion: 'v2',
    k3s: { installed: false, version: null, running: false, role: null, dataDir: false, path: null },
    sudo: { uid: 1000, user: 'deploy', passwordless: true, status: 'nopasswd' },
    services: [{ unit: 'firewalld.service', load: 'loaded', active: 'active', sub: 'running' }, { unit: 'chronyd.service', load: 'loaded', active: 'active', sub: 'running' }],
    ...over,
  };
}
