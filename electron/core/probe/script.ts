import { randomBytes } from 'node:crypto';

/** Bumped whenever a section's name or output format changes, so old raw outputs stay readable. */
export const PROBE_SCRIPT_VERSION = 2;

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

/**
 * Kernel module states in one awk pass (run by s_modules): -v mods='names', sm=' names found in
 * /sys/module ', pm=the /proc/modules path; files: /proc/modules, modules.builtin, modules.dep.
 * loaded > builtin (modules.builtin or /sys/module) > loadable (modules.dep) > absent; '-' and '_'
 * are the same character in module names. Every module has its own line in modules.dep, so only the
 * first field is looked at, by hash (no regex per line: busybox awk is slow at those).
 */
export const MODULES_AWK = String.raw`BEGIN { n = split(mods, m, " "); for (i = 1; i <= n; i++) { k = m[i]; gsub(/-/, "_", k); W[k] = 1 } }
FILENAME == pm { L[$1] = 1; next }
{
  p = $1; i = length(p); if (substr(p, i) == ":") p = substr(p, 1, i - 1)
  i = split(p, a, "/"); p = a[i]; i = index(p, ".ko"); if (i) p = substr(p, 1, i - 1)
  if (index(p, "-")) gsub(/-/, "_", p)
  if (p in W) { if (FILENAME ~ /builtin$/) B[p] = 1; else D[p] = 1 }
}
END {
  for (i = 1; i <= n; i++) {
    k = m[i]; gsub(/-/, "_", k); s = "absent"
    if (k in L) s = "loaded"; else if (k in B) s = "builtin"; else if (index(sm, " " k " ")) s = "builtin"; else if (k in D) s = "loadable"
    print m[i] "=" s
  }
}`;

/*
 * The fixed part of the script. Rules that keep it working on every target:
 *  - POSIX sh only (dash, busybox ash, bash in sh mode): no arrays, no [[ ]], no $'..', no local.
 *    (`test -ef` is used to spot symlinked binaries; every shell we target has it, and where it is
 *    missing the binary is simply treated as distinct.)
 *  - Every section runs in a subshell with stdin from /dev/null, so a command that reads stdin
 *    cannot swallow the rest of the script when it is fed through `sh -s`, and a failing
 *    command loses only its own section. The few top-level commands read /dev/null as well.
 *  - LC_ALL=C, so tools print English and dots as decimal separators (parsers still cope when
 *    a tool ignores it).
 *  - /etc is read through $R (OUTPOST_ROOT, empty by default) so tests can point it at a fixture.
 *  - Anything that can hang (df on a dead NFS mount, a wedged dbus, sudo on a broken LDAP, an unknown
 *    binary asked for its version) runs under timeout; cheap local commands do not.
 *  - Cheap: the script runs on every host of a site at once, often on small VMs, so it spawns as
 *    few processes as it can (~40 on a typical host; it used to take ~370). Shell builtins read /proc,
 *    /sys and one-line files; one awk replaces each pipeline of greps; commands are looked up with a
 *    PATH loop instead of `$(command -v)`; systemd is asked once for every unit and skipped when it is
 *    not PID 1; the package database is asked once for every middleware, and a middleware binary is
 *    only run with --version when no package owns it; JDKs are read from their `release` file instead
 *    of starting a JVM.
 */
const BODY = String.raw`
LC_ALL=C; LANG=C; LANGUAGE=C; export LC_ALL LANG LANGUAGE
PATH="$PATH:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"; export PATH
R="${'$'}{OUTPOST_ROOT:-}"
NL='
'
TAB='	'
_b() { printf '\n@@OUTPOST:%s:begin:%s@@\n' "$T" "$1"; }
_e() { printf '\n@@OUTPOST:%s:end:%s:%s@@\n' "$T" "$1" "$2"; }
# _w NAME: like command -v, but sets _P instead of printing, so no subshell is forked.
# OUTPOST_SKIP_TOOLS lets tests pretend a tool is missing (e.g. "ss netstat" to exercise the /proc fallback).
_w() {
  _P=""
  case " ${'$'}{OUTPOST_SKIP_TOOLS:-} " in *" $1 "*) return 1 ;; esac
  case "$1" in
    /*) if [ -f "$1" ] && [ -x "$1" ]; then _P="$1"; fi ;;
    *)
      _oi="$IFS"; IFS=:
      for _d in $PATH; do
        if [ -f "${'$'}{_d:-.}/$1" ] && [ -x "${'$'}{_d:-.}/$1" ]; then _P="${'$'}{_d:-.}/$1"; break; fi
      done
      IFS="$_oi" ;;
  esac
  [ -n "$_P" ]
}
_has() { _w "$1"; }
_to() { $_TO "$@"; }
_s() { _n="$1"; shift; _b "$_n"; ( "$@" ) </dev/null 2>&1; _rc=$?; _e "$_n" "$_rc"; }
# _head5 TEXT: its first five non-empty lines (a builtin head -n 5).
_head5() {
  _i=0; _oi="$IFS"; IFS="$NL"; set -f
  for _l in $1; do printf '%s\n' "$_l"; _i=$((_i + 1)); [ "$_i" -ge 5 ] && break; done
  IFS="$_oi"; set +f
}
# _pl FILE PREFIX...: the lines of a small FILE that start with one of the prefixes (a builtin grep '^P').
_pl() {
  [ -r "$1" ] || return 0
  _f="$1"; shift
  while IFS= read -r _l || [ -n "$_l" ]; do
    for _q; do case "$_l" in "$_q"*) printf '%s\n' "$_l"; break ;; esac; done
  done < "$_f"
  return 0
}
# _pv FILE PREFIX: sets _V to the first line of FILE starting with PREFIX.
_pv() {
  _V=""
  [ -r "$1" ] || return 1
  while IFS= read -r _l || [ -n "$_l" ]; do case "$_l" in "$2"*) _V="$_l"; return 0 ;; esac; done < "$1"
  return 0
}
# _r1 FILE: sets _V to the first line of FILE (a builtin head -n 1).
_r1() { _V=""; { IFS= read -r _V < "$1"; } 2>/dev/null; [ -n "$_V" ]; }
# _sys PATH: a place where packages put files (a binary there belongs to a package); /usr/local/ and /opt/ are not.
_sys() {
  case "$1" in
    /usr/local/*|/opt/*|/home/*|/root/*|/srv/*|/tmp/*|/var/*) return 1 ;;
    /usr/*|/bin/*|/sbin/*|/lib/*|/lib64/*) return 0 ;;
  esac
  return 1
}
# _pk KIND: the package database named this kind of middleware (see _init).
_pk() { case "$_PK" in *" $1 "*) return 0 ;; esac; return 1; }
# _ug UNIT...: 'unit.NAME=state' from the one systemctl is-active call _init made.
_ug() {
  for _u; do
    case "$_UL" in *"unit.$_u="*) _x="${'$'}{_UL#*unit.$_u=}"; echo "unit.$_u=${'$'}{_x%%"$NL"*}" ;; esac
  done
}

# Facts several sections share, gathered once in the main shell (sections are subshells).
_init() {
  _ID="$(id 2>/dev/null </dev/null)"
  _x="${'$'}{_ID%% *}"
  _UID="${'$'}{_x#uid=}"; _UID="${'$'}{_UID%%[!0-9]*}"
  _USER=""
  case "$_x" in *"("*")") _USER="${'$'}{_x#*(}"; _USER="${'$'}{_USER%)}" ;; esac
  _KR=""
  _r1 /proc/sys/kernel/osrelease && _KR="$_V"
  [ -n "$_KR" ] || _KR="$(uname -r 2>/dev/null </dev/null)"
  _AWK=""; _w awk && _AWK="$_P"
  # GNU timeout takes 'timeout SECS CMD'; old busybox wants '-t SECS', so only a busybox timeout is tried out.
  _TO=""
  if _w timeout; then
    _tp="$_P"
    if _w busybox && [ "$_tp" -ef "$_P" ]; then
      if "$_tp" "$TOS" true </dev/null >/dev/null 2>&1; then _TO="$_tp $TOS"
      elif "$_tp" -t "$TOS" true </dev/null >/dev/null 2>&1; then _TO="$_tp -t $TOS"; fi
    else
      _TO="$_tp $TOS"
    fi
  fi
  # systemd answers only when it is PID 1 (sd_booted: /run/systemd/system exists); otherwise every
  # systemctl/timedatectl call would just say so, so none is made.
  _SD=""; [ -d /run/systemd/system ] && _w systemctl && _SD="$_P"
  _UL=""
  if [ -n "$_SD" ]; then
    _o="$(_to "$_SD" is-active $UNITS 2>/dev/null </dev/null)"
    for _u in $UNITS; do
      _UL="$_UL""unit.$_u=${'$'}{_o%%"$NL"*}$NL"
      case "$_o" in *"$NL"*) _o="${'$'}{_o#*"$NL"}" ;; *) _o="" ;; esac
    done
  fi
  # One package query for every middleware and runtime; patterns stay unquoted so the shell splits
  # them, and set -f keeps them from globbing.
  set -f
  _PKG=""
  if _w dpkg-query; then _PKG="#dpkg$NL$("$_P" -W -f='${'$'}{Package}\t${'$'}{Version}\t${'$'}{Status}\n' $DPKG_PKGS 2>/dev/null </dev/null)"; fi
  if _w rpm; then _PKG="$_PKG$NL#rpm$NL$("$_P" -qa --qf '%{NAME}\t%{VERSION}-%{RELEASE}\n' $RPM_PKGS 2>/dev/null </dev/null)"; fi
  _PK=" "
  _oi="$IFS"; IFS="$NL"
  for _l in $_PKG; do
    case "$_l" in *not-installed*|*config-files*) continue ;; esac
    case "${'$'}{_l%%"$TAB"*}" in
      mariadb-server*|MariaDB-server*|mysql-server*|mysql-community-server*|percona-server-server*) _PK="$_PK""mysqld " ;;
      postgresql-[0-9]*|postgresql*-server*) _PK="$_PK""postgres " ;;
      postgresql-client-*|postgresql|postgresql[0-9]|postgresql[0-9][0-9]) _PK="$_PK""psql " ;;
      mariadb-client*|MariaDB-client*|mysql-client*|mysql-community-client*|percona-server-client*|mariadb|mysql) _PK="$_PK""mysql " ;;
      redis*) _PK="$_PK""redis " ;;
      nginx*|openresty*) _PK="$_PK""nginx " ;;
      docker*|moby-engine*) _PK="$_PK""docker " ;;
      containerd*) _PK="$_PK""containerd " ;;
    esac
  done
  IFS="$_oi"; set +f
}

s_time() { printf 'epoch='; date +%s.%N 2>/dev/null || echo; }

s_meta() {
  echo "version=$V"
  echo "uid=$_UID"
  echo "user=$_USER"
  echo "sudo_user=${'$'}{SUDO_USER:-}"
  _w dpkg && echo "pm=dpkg"
  _w rpm && echo "pm=rpm"
  [ -n "$_TO" ] && echo "timeout=1"
  return 0
}

s_hostname() {
  if _r1 /proc/sys/kernel/hostname; then echo "$_V"; else hostname 2>/dev/null || uname -n; fi
}

s_uname() { echo "kernel=$_KR"; printf 'arch='; uname -m; }

# _cats FILE...: each readable file (under $R) as its own 'file:' section, all through one awk.
_cats() {
  _l=""
  for _f; do
    [ -r "$R$_f" ] || continue
    if [ -s "$R$_f" ] && [ -n "$_AWK" ]; then _l="$_l $R$_f"; else _b "file:$_f"; cat "$R$_f" 2>&1; _e "file:$_f" "$?"; fi
  done
  [ -n "$_l" ] || return 0
  "$_AWK" -v T="$T" -v n="${'$'}{#R}" '
FNR == 1 { if (f != "") printf "\n@@OUTPOST:%s:end:file:%s:0@@\n", T, f; f = substr(FILENAME, n + 1); printf "\n@@OUTPOST:%s:begin:file:%s@@\n", T, f }
{ print }
END { if (f != "") printf "\n@@OUTPOST:%s:end:file:%s:0@@\n", T, f }' $_l </dev/null
}

s_cpu() {
  if [ -n "$_AWK" ]; then
    "$_AWK" '/^processor/ { n++ } /^physical id/ { if (!($0 in s)) { s[$0] = 1; p++ } } !d && /^$/ { d = 1 } !d { b = b $0 "\n" }
      END { print "count=" n + 0; print "sockets=" p + 0; print "---"; printf "%s", b }' /proc/cpuinfo
  else
    echo "count=$(grep -c '^processor' /proc/cpuinfo 2>/dev/null)"
    _w nproc && echo "nproc=$(nproc 2>/dev/null)"
    echo "sockets=$(grep '^physical id' /proc/cpuinfo 2>/dev/null | sort -u | wc -l)"
    echo "---"
    sed '/^$/q' /proc/cpuinfo
  fi
}

s_lsblk() {
  if _w lsblk; then
    "$_P" -b -P -o NAME,KNAME,PKNAME,TYPE,SIZE,RO,RM,MOUNTPOINT,FSTYPE,MODEL 2>/dev/null && return 0
    "$_P" -b -P -o NAME,KNAME,TYPE,SIZE,RO,RM,MOUNTPOINT,FSTYPE,MODEL 2>/dev/null && return 0
  fi
  echo "#source=sysfs"
  for d in /sys/block/*; do
    [ -d "$d" ] || continue
    n="${'$'}{d##*/}"
    _r1 "$d/size"; _sz="$_V"; _r1 "$d/ro"; _ro="$_V"; _r1 "$d/removable"
    echo "NAME=\"$n\" KNAME=\"$n\" PKNAME=\"\" TYPE=\"\" SECTORS=\"$_sz\" RO=\"$_ro\" RM=\"$_V\""
    for p in "$d"/"$n"*; do
      [ -r "$p/partition" ] || continue
      pn="${'$'}{p##*/}"
      _r1 "$p/size"; _sz="$_V"; _r1 "$p/ro"
      echo "NAME=\"$pn\" KNAME=\"$pn\" PKNAME=\"$n\" TYPE=\"part\" SECTORS=\"$_sz\" RO=\"$_V\" RM=\"0\""
    done
  done
}

s_ports() {
  if _w ss; then
    echo "#source=ss"
    "$_P" -Htlnpu 2>/dev/null && return 0
    "$_P" -tlnpu && return 0
  fi
  if _w netstat; then
    echo "#source=netstat"
    "$_P" -tlnpu && return 0
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
  if _w ip; then "$_P" -o addr show; echo "#route"; "$_P" route show default; else ifconfig -a; fi
}

s_selinux() {
  _w getenforce && echo "getenforce=$("$_P" 2>&1)"
  [ -d /sys/fs/selinux ] && echo "selinuxfs=1"
  _r1 /sys/fs/selinux/enforce && echo "enforce=$_V"
  _pl "$R/etc/selinux/config" SELINUX=
  return 0
}

s_firewall() {
  _ug firewalld ufw nftables iptables
  # firewall-cmd and ufw are Python (slow to start): systemd already said whether firewalld runs, and
  # ufw only answers root.
  if [ -z "$_SD" ] && _w firewall-cmd; then _x="$(_to "$_P" --state 2>&1)"; echo "firewalld.state=${'$'}{_x%%"$NL"*}"; fi
  if [ "$_UID" = 0 ] && _w ufw; then _x="$(_to "$_P" status 2>&1)"; echo "ufw.status=${'$'}{_x%%"$NL"*}"; fi
  if [ -r "$R/etc/ufw/ufw.conf" ]; then printf 'ufw.conf='; _pl "$R/etc/ufw/ufw.conf" ENABLED=; echo; fi
  if _w iptables; then
    if [ -n "$_AWK" ]; then
      _to "$_P" -S 2>&1 | "$_AWK" '/^-A/ { a++; next } /^-P/ { p = p $0 " "; next } /^-/ { next } e == "" { e = $0 }
        END { print "iptables.err=" e; print "iptables.rules=" a + 0; print "iptables.policies=" p }'
    else
      echo "iptables.err=$(_to iptables -S 2>&1 >/dev/null | head -n 1)"
      echo "iptables.rules=$(_to iptables -S 2>/dev/null | grep -c '^-A')"
      echo "iptables.policies=$(_to iptables -S 2>/dev/null | grep '^-P' | tr '\n' ' ')"
    fi
  fi
  if _w nft; then
    if [ -n "$_AWK" ]; then
      _to "$_P" list ruleset 2>&1 | "$_AWK" '/^(table |[ \t]|}|#|$)/ { if (/ accept| drop| reject| jump /) n++; next } e == "" { e = $0 }
        END { print "nft.err=" e; print "nft.rules=" n + 0 }'
    else
      echo "nft.err=$(_to nft list ruleset 2>&1 >/dev/null | head -n 1)"
      echo "nft.rules=$(_to nft list ruleset 2>/dev/null | grep -c -e ' accept' -e ' drop' -e ' reject' -e ' jump ')"
    fi
  fi
  return 0
}

s_clock() {
  date '+offset=%z%nabbr=%Z'
  if [ -L "$R/etc/localtime" ]; then printf 'localtime='; readlink "$R/etc/localtime"; fi
  _r1 "$R/etc/timezone" && echo "timezone.file=$_V"
  _pl "$R/etc/sysconfig/clock" ZONE= TIMEZONE=
  if _w ntpstat; then _to "$_P" >/dev/null 2>&1; echo "ntpstat.rc=$?"; fi
  return 0
}

# loaded (/proc/modules) > builtin (modules.builtin or /sys/module) > loadable (modules.dep) > absent.
s_modules() {
  if [ -z "$_AWK" ]; then
    for m in $MODS; do
      pat="$(echo "$m" | sed 's/[-_]/[-_]/g')"
      st=absent
      if grep -q "^$m " /proc/modules 2>/dev/null; then st=loaded
      elif grep -q "/$pat\.ko" "/lib/modules/$_KR/modules.builtin" 2>/dev/null; then st=builtin
      elif [ -d "/sys/module/$m" ]; then st=builtin
      elif grep -q "/$pat\.ko" "/lib/modules/$_KR/modules.dep" 2>/dev/null; then st=loadable
      fi
      echo "$m=$st"
    done
    return 0
  fi
  _f=""
  for _x in /proc/modules "/lib/modules/$_KR/modules.builtin" "/lib/modules/$_KR/modules.dep"; do [ -r "$_x" ] && _f="$_f $_x"; done
  _sm=" "
  for _m in $MODS_N; do [ -d "/sys/module/$_m" ] && _sm="$_sm$_m "; done
  "$_AWK" -v mods="$MODS" -v sm="$_sm" -v pm=/proc/modules '${MODULES_AWK}' $_f </dev/null
}

# Not with read: dash reads a byte at a time, and /proc/sys number files end at any offset but 0.
s_sysctl() {
  set -- $SYSCTL_PATHS
  _f=""
  for k in $SYSCTLS; do
    p="/proc/sys/$1"; shift
    if [ -r "$p" ]; then _f="$_f $p"; else echo "$k!"; fi
  done
  [ -n "$_f" ] || return 0
  if [ -n "$_AWK" ]; then
    "$_AWK" 'FNR == 1 { k = substr(FILENAME, 11); gsub("/", ".", k); print k "=" $0 }' $_f </dev/null
  else
    for p in $_f; do k="${'$'}{p#/proc/sys/}"; printf '%s=%s\n' "$(echo "$k" | tr / .)" "$(cat "$p" 2>/dev/null)"; done
  fi
}

s_cgroup() {
  if [ -n "$_AWK" ]; then
    # stat -f's names for what /proc/mounts says is mounted on the cgroup paths (the last mount wins).
    "$_AWK" 'FILENAME == "/proc/filesystems" { if (/cgroup/) print; next }
/cgroup/ { print }
$2 == "/sys/fs/cgroup" { t = $3 }
$2 == "/sys/fs/cgroup/unified" { u = $3 }
END {
  F["cgroup2"] = "cgroup2fs"; F["cgroup"] = "cgroupfs"
  print "fstype=" (t in F ? F[t] : t); if (u != "") print "unified=" (u in F ? F[u] : u)
}' /proc/filesystems /proc/mounts </dev/null
  else
    echo "fstype=$(stat -fc %T /sys/fs/cgroup 2>/dev/null)"
    [ -d /sys/fs/cgroup/unified ] && echo "unified=$(stat -fc %T /sys/fs/cgroup/unified 2>/dev/null)"
    grep cgroup /proc/filesystems 2>/dev/null
    grep cgroup /proc/mounts 2>/dev/null
  fi
  return 0
}

# _ver KEY KIND PATH ARG: 'KEY=<first line of PATH ARG>', or 'KEY.skip=package' when the package
# database already gave KIND's version and PATH is where packages install.
_ver() {
  if _pk "$2" && _sys "$3"; then echo "$1.skip=package"; return 0; fi
  _x="$(_to "$3" "$4" 2>&1)"; echo "$1=${'$'}{_x%%"$NL"*}"
}

s_runtimes() {
  for b in docker dockerd containerd k3s kubectl crictl; do _w "$b" && echo "path.$b=$_P"; done
  _w docker && _ver docker.version docker "$_P" --version
  _w containerd && _ver containerd.version containerd "$_P" --version
  _w k3s && _ver k3s.version k3s "$_P" --version
  for f in /var/run/docker.sock /run/containerd/containerd.sock /run/k3s/containerd/containerd.sock; do [ -S "$f" ] && echo "sock=$f"; done
  for f in /etc/systemd/system/k3s.service /etc/systemd/system/k3s-agent.service /etc/rancher/k3s/k3s.yaml /etc/rancher/k3s/config.yaml; do [ -e "$R$f" ] && echo "file=$f"; done
  [ -d /var/lib/rancher/k3s ] && echo "dir=/var/lib/rancher/k3s"
  _ug docker containerd k3s k3s-agent
  return 0
}

s_sudo() {
  echo "uid=$_UID"
  if [ "$_UID" = 0 ]; then echo "sudo=root"
  elif _w sudo; then
    _x="$(_to "$_P" -n true 2>&1 </dev/null)"; echo "sudo.rc=$?"
    echo "sudo.out=${'$'}{_x%%"$NL"*}"
  else echo "sudo=absent"
  fi
  return 0
}

# _cands CANDIDATE...: sets _A to every existing candidate and _U to one path per distinct file
# (a symlink such as mysqld -> mariadbd or /usr/bin/java -> /usr/lib/jvm/... counts once).
_cands() {
  _A=""; _U=""
  for _c; do
    _w "$_c" || continue
    case " $_A " in *" $_P "*) continue ;; esac
    _A="$_A $_P"
    _new=1
    for _q in $_U; do if [ "$_P" -ef "$_q" ]; then _new=""; break; fi; done
    [ -n "$_new" ] && _U="$_U $_P"
  done
}

# _managed PATH: PATH, or a candidate that is the same file, sits where packages install.
_managed() {
  _sys "$1" && return 0
  for _q in $_A; do if _sys "$_q" && [ "$_q" -ef "$1" ]; then return 0; fi; done
  return 1
}

# _mw KIND FLAG CANDIDATE...: each distinct binary once. When the package database already named
# KIND and the binary is a packaged one, only its path is printed ('#skip=package': the version comes
# from the package); otherwise it is run with FLAG (stdout and stderr: nginx prints its version there).
_mw() {
  _k="$1"; _fl="$2"; shift 2
  _cands "$@"
  for _p in $_U; do
    echo "path=$_p"
    if _pk "$_k" && _managed "$_p"; then echo "#skip=package"; continue; fi
    _x="$(_to "$_p" "$_fl" 2>&1)"
    _head5 "$_x"
  done
  return 0
}

# _mwc SERVER_KIND 'SERVER_BINARY...' KIND FLAG CANDIDATE...: a client (psql, mysql) is only worth
# running where no server is installed (a server's version wins over its client's anyway).
_mwc() {
  _sv="$1"; _sb="$2"; shift 2
  if _pk "$_sv"; then echo "#skip=server"; return 0; fi
  for _c in $_sb; do if _w "$_c"; then echo "#skip=server"; return 0; fi; done
  _mw "$@"
}

# JDKs: the release file next to bin/java names the version (JAVA_VERSION="17.0.15"), so no JVM is
# started unless a java has none.
_java() {
  _cands "$@"
  for _p in $_U; do
    echo "path=$_p"
    _jr=""
    for _q in $_p $_A; do
      [ "$_q" = "$_p" ] || [ "$_q" -ef "$_p" ] || continue
      _h="${'$'}{_q%/bin/java}"
      [ "$_h" = "$_q" ] && continue
      if [ -r "$_h/release" ]; then _jr="$_h/release"; break; fi
      if [ -r "$_h/../release" ] && [ "$_h/../jre" -ef "$_h" ]; then _jr="$_h/../release"; break; fi
    done
    if [ -z "$_jr" ] && _w readlink; then
      _q="$("$_P" -f "$_p" 2>/dev/null)"; _h="${'$'}{_q%/bin/java}"
      if [ "$_h" != "$_q" ]; then
        if [ -r "$_h/release" ]; then _jr="$_h/release"
        elif [ -r "$_h/../release" ] && [ "$_h/../jre" -ef "$_h" ]; then _jr="$_h/../release"; fi
      fi
    fi
    if [ -n "$_jr" ] && _pv "$_jr" JAVA_VERSION= && [ -n "$_V" ]; then echo "release=$_jr"; echo "$_V"; continue; fi
    _x="$(_to "$_p" -version 2>&1)"
    _head5 "$_x"
  done
  return 0
}
`;

const DPKG_PKGS = [
  'mysql-server*', 'mysql-community-server*', 'percona-server-server*', 'mariadb-server*',
  'postgresql-[0-9]*', 'redis-server', 'redis', 'nginx', 'nginx-core', 'nginx-light', 'nginx-full', 'nginx-extras', 'openresty',
  'openjdk-*-jre-headless', 'openjdk-*-jdk-headless', 'docker-ce', 'docker.io', 'containerd', 'containerd.io',
  // Clients: where no server is installed they say which client version is there without running it.
  'postgresql-client-[0-9]*', 'mariadb-client', 'mariadb-client-[0-9]*', 'mysql-client-[0-9]*', 'mysql-community-client', 'percona-server-client*',
];
const RPM_PKGS = [
  'mysql-server', 'mysql-community-server', 'percona-server-server*', 'mariadb-server', 'MariaDB-server',
  'postgresql-server', 'postgresql*-server', 'redis', 'redis[0-9]*', 'nginx', 'openresty',
  'java-*-openjdk-headless', 'java-*-openjdk', 'docker-ce', 'moby-engine', 'containerd.io', 'containerd',
  'postgresql', 'postgresql[0-9]', 'postgresql[0-9][0-9]', 'mariadb', 'MariaDB-client', 'mysql', 'mysql-community-client', 'percona-server-client*',
];

/** Units whose state the script asks systemd for, all in one `systemctl is-active` call. */
const UNITS = ['firewalld', 'ufw', 'nftables', 'iptables', 'docker', 'containerd', 'k3s', 'k3s-agent'];

/** Release files read for the OS, in the parser's order of preference. */
const RELEASE_FILES = ['os-release', 'redhat-release', 'system-release', 'centos-release', 'kylin-release', 'openEuler-release', 'lsb-release', 'debian_version', '.productinfo'];

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
  // /sys/module and /proc/modules spell every module with '_'.
  out.push(`MODS_N=${shq(modules.map((m) => m.replace(/-/g, '_')).join(' '))}`);
  out.push(`SYSCTLS=${shq(sysctls.join(' '))}`);
  // The /proc/sys paths, worked out here rather than with a `tr` per key on the host.
  out.push(`SYSCTL_PATHS=${shq(sysctls.map((k) => k.replace(/\./g, '/')).join(' '))}`);
  out.push(`UNITS=${shq(UNITS.join(' '))}`);
  // Package patterns stay unquoted at use so the shell splits them; set -f keeps them from globbing.
  out.push(`DPKG_PKGS=${shq([...DPKG_PKGS, ...extraPkgs].join(' '))}`);
  out.push(`RPM_PKGS=${shq([...RPM_PKGS, ...extraPkgs].join(' '))}`);
  out.push(BODY);
  out.push(`printf '@@OUTPOST:%s:probe:%s@@\\n' "$T" "$V"`);
  // The clock first and last: the parser pairs them with the laptop's send/receive times.
  out.push('_s time.start s_time');
  out.push('_init');
  out.push('_s meta s_meta');
  out.push('_s hostname s_hostname');
  out.push('_s uname s_uname');
  out.push(`_cats ${RELEASE_FILES.map((f) => `/etc/${f}`).join(' ')}`);
  out.push('[ -r "$R/etc/os-release" ] || _cats /usr/lib/os-release');
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
  // `timedatectl show` (systemd >= 239) says everything `status` says, machine-readably; CentOS 7 only has status.
  out.push('if [ -n "$_SD" ] && _w timedatectl; then _s timedatectl.show _to "$_P" show; [ "$_rc" = 0 ] || _s timedatectl.status _to "$_P" status; fi');
  out.push('_w chronyc && _s chronyc _to "$_P" -n tracking');
  out.push('_s modules s_modules');
  out.push('_s sysctl s_sysctl');
  out.push('_s cgroup s_cgroup');
  out.push('_s runtimes s_runtimes');
  out.push('_s sudo s_sudo');
  out.push('[ -n "$_SD" ] && _s services _to "$_SD" list-units --type=service --all --no-legend --no-pager --plain');
  out.push('_s pkg printf \'%s\\n\' "$_PKG"');
  const MYSQLD = 'mysqld mariadbd /usr/libexec/mysqld /usr/local/mysql/bin/mysqld';
  const POSTGRES = 'postgres /usr/lib/postgresql/*/bin/postgres /usr/pgsql-*/bin/postgres /usr/local/pgsql/bin/postgres';
  out.push(`_s mw.mysqld _mw mysqld --version ${MYSQLD}`);
  out.push(`_s mw.mysql _mwc mysqld '${MYSQLD}' mysql --version mysql mariadb /usr/local/mysql/bin/mysql`);
  out.push(`_s mw.postgres _mw postgres --version ${POSTGRES}`);
  out.push(`_s mw.psql _mwc postgres '${POSTGRES}' psql --version psql`);
  out.push('_s mw.redis _mw redis --version redis-server /usr/local/bin/redis-server /opt/redis/bin/redis-server');
  out.push('_s mw.nginx _mw nginx -v nginx /usr/local/nginx/sbin/nginx /usr/local/openresty/nginx/sbin/nginx');
  out.push('_s mw.java _java java /usr/lib/jvm/*/bin/java /usr/java/*/bin/java /opt/java/*/bin/java');
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
