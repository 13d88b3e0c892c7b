import { describe, expect, it } from 'vitest';
import { buildMounts, mountFor, parseBlockDevices, parseDf } from './disk';
import {
  clientForPackage, middlewareForPackage, parseJavaVersion, parseMiddleware, parseMysqlClientVersion, parseMysqldVersion, parseNginxVersion,
  parsePackages, parsePostgresVersion, parseRedisVersion, splitBinaryRuns,
} from './middleware';
import { decodeProcAddress, parseAddresses, parseNetstat, parseProcNet, parseSs, splitHostPort } from './ports';
import { parseCgroup, parseClock, parseCpu, parseEpoch, parseFirewall, parseMeminfo, parseRuntimes, parseSelinux, parseServices, parseSudo } from './system';

describe('df', () => {
  const DF = `Filesystem     1024-blocks      Used Available Capacity Mounted on
/dev/mapper/centos-root  52403200  4194304  48208896       9% /
devtmpfs          3990260         0   3990260       0% /dev
/dev/sdb1       1031991224 838860800 140640000      86% /data/my disk
//nas/share     104857600  52428800  52428800      50% /mnt/nas`;

  it('reads sizes in bytes and keeps mountpoints with spaces', () => {
    const { rows, skipped } = parseDf(DF, 1024);
    expect(skipped).toBe(1); // the header
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual({ device: '/dev/mapper/centos-root', total: 52403200 * 1024, used: 4194304 * 1024, available: 48208896 * 1024, mountpoint: '/' });
    expect(rows[2].mountpoint).toBe('/data/my disk');
  });

  it('tolerates a localized header and dashes for inode counts', () => {
    const zh = `文件系统            Inode 已用(I)  可用(I) 已用(I)% 挂载点
/dev/vda1        3276800  123456 3153344       4% /
/dev/sdc1              -       -       -        - /boot/efi`;
    const { rows } = parseDf(zh, 1);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ total: null, used: null, available: null, mountpoint: '/boot/efi' });
  });

  it('joins a device name that df wrapped onto its own line', () => {
    const wrapped = `Filesystem 1024-blocks Used Available Capacity Mounted on
/dev/mapper/vg_very_long_volume_group_name-lv_root
                 10000 5000 5000 50% /`;
    expect(parseDf(wrapped, 1024).rows[0]).toMatchObject({ device: '/dev/mapper/vg_very_long_volume_group_name-lv_root', mountpoint: '/' });
  });

  it('joins df -k, df -i and /proc/mounts; finds the mount holding a path by longest prefix', () => {
    const dfi = `Filesystem Inodes IUsed IFree IUse% Mounted on
/dev/mapper/centos-root 26214400 100000 26114400 1% /
/dev/sdb1 65536000 1000 65535000 1% /data/my disk`;
    const mounts = `/dev/mapper/centos-root / xfs rw 0 0
/dev/sdb1 /data/my\\040disk ext4 rw 0 0`;
    const { mounts: m } = buildMounts(DF, dfi, mounts);
    expect(m.find((x) => x.mountpoint === '/')).toMatchObject({ fsType: 'xfs', inodesTotal: 26214400, inodesFree: 26114400 });
    expect(m.find((x) => x.mountpoint === '/data/my disk')?.fsType).toBe('ext4');
    expect(mountFor(m, '/var/lib/rancher')?.mountpoint).toBe('/');
    expect(mountFor(m, '/data/my disk/images')?.mountpoint).toBe('/data/my disk');
    expect(mountFor(m, '/data/my diskette')?.mountpoint).toBe('/');
    expect(mountFor(m, '/devices')?.mountpoint).toBe('/');
    expect(mountFor(m, '/dev/')?.mountpoint).toBe('/dev');
  });
});

describe('ss', () => {
  it('reads new iproute2 output with -H', () => {
    const out = `udp   UNCONN 0      0            0.0.0.0:8472       0.0.0.0:*
tcp   LISTEN 0      4096   127.0.0.53%lo:53         0.0.0.0:*    users:(("systemd-resolve",pid=612,fd=14))
tcp   LISTEN 0      151        127.0.0.1:3306       0.0.0.0:*    users:(("mysqld",pid=1203,fd=21))
tcp   LISTEN 0      128          0.0.0.0:22         0.0.0.0:*    users:(("sshd",pid=900,fd=3),("sshd",pid=901,fd=3))
tcp   LISTEN 0      128             [::]:22            [::]:*    users:(("sshd",pid=900,fd=4))
tcp   LISTEN 0      511   [::ffff:127.0.0.1]:8080         *:*    users:(("java",pid=77,fd=9))`;
    const ports = parseSs(out);
    expect(ports).toContainEqual({ proto: 'udp', address: '0.0.0.0', port: 8472, process: null, pid: null });
    expect(ports).toContainEqual({ proto: 'tcp', address: '127.0.0.53', port: 53, process: 'systemd-resolve', pid: 612 });
    expect(ports).toContainEqual({ proto: 'tcp', address: '127.0.0.1', port: 3306, process: 'mysqld', pid: 1203 });
    expect(ports).toContainEqual({ proto: 'tcp', address: '::', port: 22, process: 'sshd', pid: 900 });
    expect(ports).toContainEqual({ proto: 'tcp', address: '127.0.0.1', port: 8080, process: 'java', pid: 77 });
  });

  it('reads old iproute2 (CentOS 7) output with a header, * and ::: addresses', () => {
    const out = `Netid  State      Recv-Q Send-Q Local Address:Port               Peer Address:Port
udp    UNCONN     0      0         *:68                    *:*                   users:(("dhclient",pid=789,fd=6))
tcp    LISTEN     0      128       *:22                    *:*                   users:(("sshd",pid=1012,fd=3))
tcp    LISTEN     0      128      :::22                   :::*                   users:(("sshd",pid=1012,fd=4))
tcp    LISTEN     0      80       :::3306                 :::*                   users:(("mysqld",pid=1203,fd=14))`;
    const ports = parseSs(out);
    expect(ports).toHaveLength(4);
    expect(ports).toContainEqual({ proto: 'tcp', address: '0.0.0.0', port: 22, process: 'sshd', pid: 1012 });
    expect(ports).toContainEqual({ proto: 'tcp', address: '::', port: 3306, process: 'mysqld', pid: 1203 });
  });

  it('splits host:port forms', () => {
    expect(splitHostPort('[fe80::1%eth0]:53')).toEqual({ address: 'fe80::1', port: 53 });
    expect(splitHostPort('*:*')).toBeNull();
  });
});

describe('netstat', () => {
  it('reads tcp and udp rows (udp has no State column)', () => {
    const out = `Active Internet connections (only servers)
Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name
tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN      1012/sshd
tcp        0      0 127.0.0.1:5432          0.0.0.0:*               LISTEN      2211/postgres
tcp6       0      0 :::6379                 :::*                    LISTEN      -
udp        0      0 0.0.0.0:68              0.0.0.0:*                           789/dhclient`;
    const ports = parseNetstat(out);
    expect(ports).toContainEqual({ proto: 'tcp', address: '127.0.0.1', port: 5432, process: 'postgres', pid: 2211 });
    expect(ports).toContainEqual({ proto: 'tcp', address: '::', port: 6379, process: null, pid: null });
    expect(ports).toContainEqual({ proto: 'udp', address: '0.0.0.0', port: 68, process: 'dhclient', pid: 789 });
  });

  it('does not depend on the (translatable) state word', () => {
    const zh = `激活Internet连接 (仅服务器)
Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name
tcp        0      0 0.0.0.0:3306            0.0.0.0:*               监听        1203/mysqld`;
    expect(parseNetstat(zh)).toEqual([{ proto: 'tcp', address: '0.0.0.0', port: 3306, process: 'mysqld', pid: 1203 }]);
  });
});

describe('/proc/net fallback', () => {
  it('decodes little-endian hex addresses, IPv4 and IPv6', () => {
    expect(decodeProcAddress('0100007F')).toBe('127.0.0.1');
    expect(decodeProcAddress('00000000')).toBe('0.0.0.0');
    expect(decodeProcAddress('0A00A8C0')).toBe('192.168.0.10');
    expect(decodeProcAddress('00000000000000000000000000000000')).toBe('::');
    expect(decodeProcAddress('00000000000000000000000001000000')).toBe('::1');
    expect(decodeProcAddress('0000000000000000FFFF00000100007F')).toBe('127.0.0.1');
    expect(decodeProcAddress('000080FE000000000000000001000000')).toBe('fe80::1');
  });

  it('keeps LISTEN tcp and unconnected udp sockets, with owners from the fd listing', () => {
    const body = `#file=tcp
  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000   999        0 41234 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1F90 0100007F:A0B2 01 00000000:00000000 00:00000000 00000000     0        0 41299 1 0000000000000000 20 4 30 10 -1
#file=tcp6
  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2020 1 0000000000000000 100 0 0 10 0
#file=udp
  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  100: 00000000:2118 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 3030 2 0000000000000000 0
#fds
/proc/1203/fd:
lrwx------ 1 mysql mysql 64 Nov 22 10:00 21 -> socket:[41234]
/proc/900/fd:
lrwx------ 1 root root 64 Nov 22 10:00 4 -> socket:[2020]`;
    const ports = parseProcNet(body, new Map([[1203, 'mysqld'], [900, 'sshd']]));
    expect(ports).toEqual([
      { proto: 'tcp', address: '::', port: 22, pid: 900, process: 'sshd' },
      { proto: 'tcp', address: '0.0.0.0', port: 3306, pid: 1203, process: 'mysqld' },
      { proto: 'udp', address: '0.0.0.0', port: 8472, pid: null, process: null },
    ]);
  });
});

describe('lsblk and /sys/block', () => {
  it('reads lsblk -P pairs, escapes and parents', () => {
    const out = `NAME="sda" KNAME="sda" PKNAME="" TYPE="disk" SIZE="107374182400" RO="0" RM="0" MOUNTPOINT="" FSTYPE="" MODEL="QEMU HARDDISK   "
NAME="sda1" KNAME="sda1" PKNAME="sda" TYPE="part" SIZE="1073741824" RO="0" RM="0" MOUNTPOINT="/boot" FSTYPE="xfs" MODEL=""
NAME="sdb" KNAME="sdb" PKNAME="" TYPE="disk" SIZE="536870912000" RO="0" RM="0" MOUNTPOINT="" FSTYPE="" MODEL="Virtual\\x20Disk"
NAME="sr0" KNAME="sr0" PKNAME="" TYPE="rom" SIZE="1073741312" RO="1" RM="1" MOUNTPOINT="" FSTYPE="" MODEL=""`;
    const d = parseBlockDevices(out, null);
    expect(d).toHaveLength(4);
    expect(d[0]).toMatchObject({ name: 'sda', type: 'disk', sizeBytes: 107374182400, model: 'QEMU HARDDISK', parentKernelName: null });
    expect(d[1]).toMatchObject({ name: 'sda1', parentKernelName: 'sda', mountpoint: '/boot', fsType: 'xfs' });
    expect(d[2].model).toBe('Virtual Disk');
    expect(d[3]).toMatchObject({ readOnly: true, removable: true, type: 'rom' });
  });

  it('infers parents without PKNAME and reads the sysfs fallback', () => {
    const sysfs = `#source=sysfs
NAME="vda" KNAME="vda" PKNAME="" TYPE="" SECTORS="41943040" RO="0" RM="0"
NAME="vda1" KNAME="vda1" PKNAME="vda" TYPE="part" SECTORS="2048" RO="0" RM="0"
NAME="nvme0n1" KNAME="nvme0n1" PKNAME="" TYPE="" SECTORS="100" RO="0" RM="0"
NAME="loop0" KNAME="loop0" PKNAME="" TYPE="" SECTORS="0" RO="1" RM="0"`;
    const d = parseBlockDevices(sysfs, '/dev/vda1 / ext4 rw 0 0');
    expect(d[0]).toMatchObject({ name: 'vda', type: 'disk', sizeBytes: 41943040 * 512 });
    expect(d[1]).toMatchObject({ type: 'part', parentKernelName: 'vda', mountpoint: '/', fsType: 'ext4' });
    expect(d[3].type).toBe('loop');
    const old = `NAME="nvme0n1" KNAME="nvme0n1" TYPE="disk" SIZE="1000" RO="0" RM="0" MOUNTPOINT="" FSTYPE="" MODEL=""
NAME="nvme0n1p1" KNAME="nvme0n1p1" TYPE="part" SIZE="500" RO="0" RM="0" MOUNTPOINT="/" FSTYPE="ext4" MODEL=""`;
    expect(parseBlockDevices(old, null)[1].parentKernelName).toBe('nvme0n1');
  });
});

describe('cpu and memory', () => {
  it('x86: counts, physical cores and the x86-64-v2 flags', () => {
    const body = `count=8\nnproc=8\nsockets=2\n---\nprocessor\t: 0\nmodel name\t: Intel(R) Xeon(R) Gold 6248\ncpu cores\t: 4\nflags\t\t: fpu cx16 lahf_lm popcnt sse4_1 sse4_2 ssse3 avx2\n`;
    expect(parseCpu(body, 'x86_64')).toMatchObject({ count: 8, physical: 8, x86_64_v2: true, model: 'Intel(R) Xeon(R) Gold 6248' });
    const old = body.replace(' sse4_2', '');
    expect(parseCpu(old, 'x86_64')?.x86_64_v2).toBe(false);
  });

  it('aarch64 (Kunpeng/Phytium): no x86 flags, so x86_64_v2 is null', () => {
    const body = `count=64\n---\nprocessor\t: 0\nBogoMIPS\t: 200.00\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics\nCPU implementer\t: 0x48\nCPU part\t: 0xd01\n`;
    expect(parseCpu(body, 'aarch64')).toMatchObject({ count: 64, x86_64_v2: null, physical: null });
    expect(parseCpu('count=\nnproc=4\n---\n', 'aarch64')?.count).toBe(4);
    expect(parseCpu('', 'x86_64')).toBeNull();
  });

  it('meminfo without MemAvailable (2.6/3.10 kernels) falls back to free + buffers + cache', () => {
    const m = parseMeminfo('MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 250 kB\nSwapTotal: 2048 kB\nSwapFree: 1024 kB\n');
    expect(m.memory).toEqual({ totalBytes: 1000 * 1024, availableBytes: 400 * 1024 });
    expect(m.swap).toEqual({ totalBytes: 2048 * 1024, freeBytes: 1024 * 1024 });
  });
});

describe('time', () => {
  it('reads date +%s.%N, and busybox\'s literal %N', () => {
    expect(parseEpoch('epoch=1700000000.250000000')).toBe(1700000000.25);
    expect(parseEpoch('epoch=1700000000.%N')).toBe(1700000000);
    expect(parseEpoch('epoch=')).toBeNull();
  });

  it('timedatectl show (new systemd)', () => {
    const r = parseClock({ timedatectlShow: 'Timezone=Asia/Shanghai\nNTP=yes\nNTPSynchronized=no\n', processes: new Set() });
    expect(r).toMatchObject({ timezone: 'Asia/Shanghai', ntpActive: true, ntpSynced: false });
  });

  it('timedatectl status of systemd 219 (CentOS 7), where `show` does not exist', () => {
    const status = `      Local time: Fri 2024-03-29 15:04:26 CST
  Universal time: Fri 2024-03-29 07:04:26 UTC
        RTC time: Fri 2024-03-29 07:04:26
       Time zone: Asia/Shanghai (CST, +0800)
     NTP enabled: yes
NTP synchronized: yes
 RTC in local TZ: no
      DST active: n/a`;
    const r = parseClock({ timedatectlShow: 'Unknown operation show', timedatectlStatus: status, processes: new Set() });
    expect(r).toMatchObject({ timezone: 'Asia/Shanghai', ntpActive: true, ntpSynced: true });
  });

  it('chronyc tracking, and files when there is no timedatectl', () => {
    const chrony = `Reference ID    : 0A000001 (10.0.0.1)\nStratum         : 3\nLeap status     : Normal\n`;
    const r = parseClock({ clock: 'offset=+0800\nlocaltime=../usr/share/zoneinfo/Asia/Shanghai\n', chronyc: chrony, processes: new Set(['chronyd']) });
    expect(r).toEqual({ timezone: 'Asia/Shanghai', utcOffset: '+0800', ntpSynced: true, ntpActive: true });
    const unsynced = parseClock({ chronyc: 'Reference ID    : 00000000 ()\nLeap status     : Not synchronised\n', processes: new Set() });
    expect(unsynced.ntpSynced).toBe(false);
    expect(parseClock({ clock: 'ZONE="Asia/Shanghai"', processes: new Set() }).timezone).toBe('Asia/Shanghai');
  });

  it('localized timedatectl output gives unknowns, not a crash', () => {
    const zh = `               本地时间：五 2024-03-29 15:04:26 CST\n                   时区：Asia/Shanghai (CST, +0800)\n            NTP 已同步：是\n`;
    expect(parseClock({ timedatectlStatus: zh, processes: new Set() })).toMatchObject({ ntpSynced: null, ntpActive: null });
  });
});

describe('system', () => {
  it('selinux from getenforce, the enforce file, or absence', () => {
    expect(parseSelinux('getenforce=Enforcing\nSELINUX=enforcing')).toEqual({ mode: 'enforcing', configured: 'enforcing' });
    expect(parseSelinux('selinuxfs=1\nenforce=0')).toEqual({ mode: 'permissive', configured: null });
    expect(parseSelinux('getenforce=Disabled\nSELINUX=disabled').mode).toBe('disabled');
    expect(parseSelinux('').mode).toBe('absent');
  });

  it('firewalls', () => {
    const fw = parseFirewall('unit.firewalld=active\nfirewalld.state=running\niptables.err=\niptables.rules=12\niptables.policies=-P INPUT ACCEPT\n', new Set());
    expect(fw.active).toEqual(['firewalld', 'iptables']);
    const ufw = parseFirewall('ufw.status=Status: active\niptables.err=iptables v1.8.7: Permission denied (you must be root)\niptables.rules=0', new Set());
    expect(ufw).toMatchObject({ ufw: true, iptablesRules: null, active: ['ufw'] });
    expect(parseFirewall('ufw.status=Status: inactive', new Set()).ufw).toBe(false);
    expect(parseFirewall('iptables.err=\niptables.rules=0\niptables.policies=-P INPUT DROP -P FORWARD DROP', new Set()).active).toEqual(['iptables']);
  });

  it('cgroup versions', () => {
    expect(parseCgroup('fstype=cgroup2fs')).toBe('v2');
    expect(parseCgroup('fstype=tmpfs\nunified=cgroup2fs')).toBe('hybrid');
    expect(parseCgroup('fstype=tmpfs\ncgroup /sys/fs/cgroup/cpu cgroup rw 0 0')).toBe('v1');
    expect(parseCgroup('fstype=\ncgroup2 /sys/fs/cgroup cgroup2 rw 0 0')).toBe('v2');
    expect(parseCgroup('fstype=')).toBeNull();
  });

  it('sudo states', () => {
    expect(parseSudo('uid=0\nsudo=root', undefined).status).toBe('root');
    expect(parseSudo('uid=1000\nsudo.rc=0\nsudo.out=', 'user=deploy')).toMatchObject({ status: 'nopasswd', passwordless: true, user: 'deploy' });
    expect(parseSudo('uid=1000\nsudo.rc=1\nsudo.out=sudo: a password is required', undefined)).toMatchObject({ status: 'password', passwordless: false });
    expect(parseSudo('uid=1000\nsudo.rc=1\nsudo.out=sudo: sorry, you must have a tty to run sudo', undefined).status).toBe('tty-required');
    expect(parseSudo('uid=1000\nsudo=absent', undefined).status).toBe('absent');
  });

  it('systemctl units', () => {
    const s = parseServices('sshd.service loaded active running OpenSSH server daemon\n● kdump.service loaded failed failed Crash recovery kernel arming\n');
    expect(s).toEqual([
      { unit: 'sshd.service', load: 'loaded', active: 'active', sub: 'running' },
      { unit: 'kdump.service', load: 'loaded', active: 'failed', sub: 'failed' },
    ]);
  });

  it('ip -o addr', () => {
    const a = parseAddresses('2: eth0    inet 10.0.0.5/24 brd 10.0.0.255 scope global eth0\\       valid_lft forever\n2: eth0    inet6 fe80::1/64 scope link\n#route\ndefault via 10.0.0.1 dev eth0');
    expect(a).toEqual([{ iface: 'eth0', family: 'inet', address: '10.0.0.5', prefix: 24 }, { iface: 'eth0', family: 'inet6', address: 'fe80::1', prefix: 64 }]);
  });
});

describe('middleware versions', () => {
  it('reads each tool\'s own --version format', () => {
    expect(parseMysqldVersion('/usr/sbin/mysqld  Ver 8.0.36 for Linux on x86_64 (MySQL Community Server - GPL)')).toEqual({ name: 'mysql', version: '8.0.36' });
    expect(parseMysqldVersion('/usr/libexec/mysqld  Ver 5.5.68-MariaDB for Linux on x86_64 (MariaDB Server)')).toEqual({ name: 'mariadb', version: '5.5.68-MariaDB' });
    expect(parseMysqldVersion('mariadbd  Ver 10.11.6-MariaDB-0+deb12u1 for debian-linux-gnu on x86_64 (Debian 12)')).toEqual({ name: 'mariadb', version: '10.11.6-MariaDB-0+deb12u1' });
    expect(parseMysqlClientVersion('mysql  Ver 14.14 Distrib 5.7.44, for Linux (x86_64) using  EditLine wrapper')).toEqual({ name: 'mysql', version: '5.7.44' });
    expect(parseMysqlClientVersion('mysql  Ver 15.1 Distrib 10.11.6-MariaDB, for debian-linux-gnu (x86_64)')).toEqual({ name: 'mariadb', version: '10.11.6-MariaDB' });
    expect(parseMysqlClientVersion('mariadb from 11.4.2-MariaDB, client 15.2 for linux-systemd (x86_64)')).toEqual({ name: 'mariadb', version: '11.4.2-MariaDB' });
    expect(parsePostgresVersion('postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)')).toBe('15.18');
    expect(parsePostgresVersion('psql (PostgreSQL) 9.2.24')).toBe('9.2.24');
    expect(parseRedisVersion('Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64')).toBe('7.0.15');
    expect(parseNginxVersion('nginx version: nginx/1.22.1')).toBe('1.22.1');
    expect(parseNginxVersion('nginx version: openresty/1.21.4.1')).toBe('1.21.4.1');
    expect(parseJavaVersion('openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment')).toBe('17.0.15');
    expect(parseJavaVersion('java version "1.8.0_392"\nJava(TM) SE Runtime Environment')).toBe('1.8.0_392');
  });

  it('maps packages and drops not-installed dpkg rows', () => {
    const pk = parsePackages('#dpkg\nmariadb-server\t1:10.11.19-0+deb12u1\tinstall ok installed\nmysql-server-8.0\t\tunknown ok not-installed\nredis-server\t5:7.0.15-1\tdeinstall ok config-files\n#rpm\npostgresql15-server\t15.6-1PGDG.rhel8\nmysql-community-server\t5.7.44-1.el7\n');
    expect(pk).toEqual([
      { manager: 'dpkg', name: 'mariadb-server', version: '10.11.19-0+deb12u1' },
      { manager: 'rpm', name: 'postgresql15-server', version: '15.6-1PGDG.rhel8' },
      { manager: 'rpm', name: 'mysql-community-server', version: '5.7.44-1.el7' },
    ]);
    expect(middlewareForPackage('postgresql15-server')).toBe('postgresql');
    expect(middlewareForPackage('postgresql-15')).toBe('postgresql');
    expect(middlewareForPackage('java-1.8.0-openjdk-headless')).toBe('jdk');
    expect(middlewareForPackage('MariaDB-server')).toBe('mariadb');
    expect(middlewareForPackage('nginx-common')).toBeNull();
  });

  it('running from ports or processes, including a server known only by its port', () => {
    const sections = new Map([
      ['mw.mysqld', 'path=/usr/sbin/mysqld\n/usr/sbin/mysqld  Ver 8.0.36 for Linux on x86_64 (MySQL Community Server - GPL)'],
      ['mw.psql', 'path=/usr/bin/psql\npsql (PostgreSQL) 12.3'],
      ['pkg', '#rpm\nmysql-community-server\t8.0.36-1.el7\n'],
    ]);
    const mw = parseMiddleware({
      sections,
      ports: [
        { proto: 'tcp', address: '0.0.0.0', port: 3307, process: 'mysqld', pid: 1 },
        { proto: 'tcp', address: '0.0.0.0', port: 6379, process: null, pid: null },
      ],
      processes: new Set(['mysqld', 'nginx']),
      extra: [{ name: 'etcd', commands: ['etcd --version'], port: 2379 }],
    });
    const mysql = mw.find((m) => m.name === 'mysql')!;
    expect(mysql).toMatchObject({ version: '8.0.36', source: 'binary', running: true, port: 3307, package: 'mysql-community-server' });
    expect(mw.find((m) => m.name === 'postgresql')).toMatchObject({ version: '12.3', clientOnly: true, running: false });
    expect(mw.find((m) => m.name === 'nginx')).toBeUndefined(); // a process alone, no port and no binary: not claimed
    expect(mw.filter((m) => m.name === 'mysql')).toHaveLength(1);
  });
});

describe('middleware without running binaries', () => {
  it('reads a JDK release file like java -version, and folds 1.8.0_392 with its RPM version', () => {
    expect(parseJavaVersion('release=/usr/lib/jvm/jdk-21/release\nJAVA_VERSION="21.0.2"')).toBe('21.0.2');
    const mw = parseMiddleware({
      sections: new Map([
        ['mw.java', 'path=/usr/bin/java\nrelease=/usr/lib/jvm/java-1.8.0/release\nJAVA_VERSION="1.8.0_392"'],
        ['pkg', '#rpm\njava-1.8.0-openjdk-headless\t1.8.0.392.b08-4.el8\n'],
      ]),
      ports: [], processes: new Set(),
    });
    expect(mw).toEqual([expect.objectContaining({ name: 'jdk', version: '1.8.0_392', source: 'binary', path: '/usr/bin/java', package: 'java-1.8.0-openjdk-headless' })]);
  });

  it('a binary skipped because its package answered lends its path to the package sighting', () => {
    expect(splitBinaryRuns('path=/usr/sbin/mysqld\n#skip=package\npath=/opt/mysql/bin/mysqld\nmysqld  Ver 8.0.36 for Linux')).toEqual([
      { path: '/usr/sbin/mysqld', output: '', skipped: true },
      { path: '/opt/mysql/bin/mysqld', output: 'mysqld  Ver 8.0.36 for Linux', skipped: false },
    ]);
    const mw = parseMiddleware({
      sections: new Map([
        ['mw.mysqld', 'path=/usr/sbin/mysqld\n#skip=package\npath=/opt/mysql/bin/mysqld\n/opt/mysql/bin/mysqld  Ver 8.0.36 for Linux on x86_64 (MySQL Community Server - GPL)'],
        ['mw.postgres', 'path=/usr/local/bin/postgres\n#skip=package'],
        ['mw.psql', '#skip=server'],
        ['pkg', '#dpkg\nmariadb-server\t1:10.11.6-0+deb12u1\tinstall ok installed\npostgresql-15\t15.18-0+deb12u1\tinstall ok installed\npostgresql-client-15\t15.18-0+deb12u1\tinstall ok installed\n'],
      ]),
      ports: [{ proto: 'tcp', address: '0.0.0.0', port: 5432, process: 'postgres', pid: 7 }],
      processes: new Set(['postgres']),
    });
    expect(mw.find((m) => m.name === 'mariadb')).toMatchObject({ version: '10.11.6-0+deb12u1', source: 'package', path: '/usr/sbin/mysqld', package: 'mariadb-server' });
    expect(mw.find((m) => m.name === 'mysql')).toMatchObject({ version: '8.0.36', source: 'binary', path: '/opt/mysql/bin/mysqld' });
    // The server package wins over its client package; the client alone would be clientOnly.
    expect(mw.filter((m) => m.name === 'postgresql')).toEqual([expect.objectContaining({ version: '15.18-0+deb12u1', path: '/usr/local/bin/postgres', running: true, port: 5432 })]);
    expect(mw.find((m) => m.clientOnly)).toBeUndefined();
  });

  it('client packages alone are client-only sightings', () => {
    expect(clientForPackage('postgresql-client-15')).toBe('postgresql');
    expect(clientForPackage('postgresql')).toBe('postgresql');
    expect(clientForPackage('postgresql15')).toBe('postgresql');
    expect(clientForPackage('postgresql15-libs')).toBeNull();
    expect(clientForPackage('mariadb-client')).toBe('mariadb');
    expect(clientForPackage('mariadb')).toBe('mariadb');
    expect(clientForPackage('mysql-client-8.0')).toBe('mysql');
    expect(clientForPackage('mysql-community-client')).toBe('mysql');
    const mw = parseMiddleware({ sections: new Map([['mw.psql', ''], ['pkg', '#rpm\npostgresql\t13.14-1.el9\n']]), ports: [], processes: new Set() });
    expect(mw).toEqual([expect.objectContaining({ name: 'postgresql', version: '13.14-1.el9', clientOnly: true, running: false })]);
  });

  it('docker and containerd versions come from their packages when the script did not run them', () => {
    const r = parseRuntimes('path.docker=/usr/bin/docker\npath.containerd=/usr/bin/containerd\ndocker.version.skip=package\ncontainerd.version.skip=package', new Set(['dockerd']), [
      { name: 'docker-ce', version: '24.0.7-1~ubuntu.22.04~jammy' }, { name: 'containerd.io', version: '1.6.28-1' },
    ]);
    expect(r.runtimes).toEqual([
      expect.objectContaining({ name: 'docker', installed: true, version: '24.0.7', running: true }),
      expect.objectContaining({ name: 'containerd', installed: true, version: '1.6.28' }),
    ]);
    // A version the binary printed itself wins.
    expect(parseRuntimes('path.docker=/usr/local/bin/docker\ndocker.version=Docker version 28.2.2, build e6534b4', new Set(), [{ name: 'docker-ce', version: '24.0.7-1' }]).runtimes[0].version).toBe('28.2.2');
  });
});
