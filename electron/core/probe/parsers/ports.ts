import type { ListeningPort, NetAddress } from '../types';

/** Splits 'addr:port' forms of ss/netstat: '0.0.0.0:22', '[::]:22', ':::22', '*:80', '127.0.0.53%lo:53', '[fe80::1%eth0]:53'. */
export function splitHostPort(s: string): { address: string; port: number } | null {
  const at = s.lastIndexOf(':');
  if (at < 0) return null;
  const portText = s.slice(at + 1);
  if (!/^\d+$/.test(portText)) return null;
  let address = s.slice(0, at);
  if (address.startsWith('[') && address.endsWith(']')) address = address.slice(1, -1);
  address = address.replace(/%.*$/, '');
  if (address === '*' || address === '') address = '0.0.0.0';
  if (address === '::' || address === '::0') address = '::';
  // '::ffff:10.0.0.1' is the IPv4 address, reached through a v6 socket.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) address = mapped[1];
  return { address, port: Number(portText) };
}

function dedupe(ports: ListeningPort[]): ListeningPort[] {
  const seen = new Map<string, ListeningPort>();
  for (const p of ports) {
    const k = `${p.proto}|${p.address}|${p.port}`;
    const prev = seen.get(k);
    if (!prev || (!prev.process && p.process)) seen.set(k, p);
  }
  return [...seen.values()].sort((a, b) => a.port - b.port || a.proto.localeCompare(b.proto) || a.address.localeCompare(b.address));
}

/** `ss -tlnpu` (with or without -H, old and new iproute2). */
export function parseSs(text: string): ListeningPort[] {
  const out: ListeningPort[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    const netid = f[0].toLowerCase();
    let proto: 'tcp' | 'udp' | null = netid.startsWith('tcp') ? 'tcp' : netid.startsWith('udp') ? 'udp' : null;
    let rest = f.slice(1);
    // With a single protocol ss omits the Netid column and starts with the state.
    if (!proto && /^(LISTEN|UNCONN)$/.test(f[0])) { proto = f[0] === 'LISTEN' ? 'tcp' : 'udp'; rest = f; }
    if (!proto) continue;
    const state = rest[0];
    if (state !== 'LISTEN' && state !== 'UNCONN') continue;
    const local = splitHostPort(rest[3] ?? '');
    if (!local) continue;
    const procField = rest.slice(5).join(' ');
    const pm = /users:\(\("((?:[^"\\]|\\.)*)",pid=(\d+)/.exec(procField);
    out.push({ proto, address: local.address, port: local.port, process: pm ? pm[1] : null, pid: pm ? Number(pm[2]) : null });
  }
  return dedupe(out);
}

/** `netstat -tlnpu` (net-tools); udp rows have no State column. */
export function parseNetstat(text: string): ListeningPort[] {
  const out: ListeningPort[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    const p = f[0]?.toLowerCase() ?? '';
    const proto: 'tcp' | 'udp' | null = p.startsWith('tcp') ? 'tcp' : p.startsWith('udp') ? 'udp' : null;
    if (!proto || f.length < 5) continue;
    const local = splitHostPort(f[3]);
    if (!local) continue;
    // With -l every row listens; the state word may be translated ('监听'), so find the
    // 'PID/Program' column by its shape instead of counting columns.
    const ownerAt = f.findIndex((t, i) => i >= 5 && /^(\d+\/.*|-)$/.test(t));
    const owner = ownerAt >= 0 ? f.slice(ownerAt).join(' ') : '';
    const om = /^(\d+)\/(.+)$/.exec(owner);
    out.push({ proto, address: local.address, port: local.port, process: om ? om[2].trim() : null, pid: om ? Number(om[1]) : null });
  }
  return dedupe(out);
}

/** A /proc/net/tcp address: IPv4 is one little-endian 32-bit word, IPv6 four of them. */
export function decodeProcAddress(hex: string): string {
  if (hex.length === 8) {
    const b = hex.match(/../g)!.map((x) => Number.parseInt(x, 16)).reverse();
    return b.join('.');
  }
  if (hex.length === 32) {
    const bytes: number[] = [];
    for (let w = 0; w < 4; w++) {
      const word = hex.slice(w * 8, w * 8 + 8).match(/../g)!.map((x) => Number.parseInt(x, 16)).reverse();
      bytes.push(...word);
    }
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
    return compressV6(groups);
  }
  return hex;
}

function compressV6(groups: string[]): string {
  // Longest run of zero groups becomes '::' (RFC 5952).
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  let s: string;
  if (bestStart < 0) s = groups.join(':');
  else s = groups.slice(0, bestStart).join(':') + '::' + groups.slice(bestStart + bestLen).join(':');
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(s);
  if (mapped) {
    const a = Number.parseInt(mapped[1], 16), b = Number.parseInt(mapped[2], 16);
    return `${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`;
  }
  return s;
}

/**
 * The /proc fallback when neither ss nor netstat exists: /proc/net/{tcp,tcp6,udp,udp6} (TCP state 0A
 * is LISTEN, UDP state 07 is an unconnected socket), with owners found by matching socket inodes
 * against `ls -l /proc/PID/fd` output and names from the process list.
 */
export function parseProcNet(body: string, processNames: Map<number, string>): ListeningPort[] {
  const owners = new Map<string, number>();
  let file = '';
  let inFds = false;
  let pid: number | null = null;
  const rows: Array<{ proto: 'tcp' | 'udp'; address: string; port: number; inode: string }> = [];
  for (const line of body.split('\n')) {
    if (line.startsWith('#file=')) { file = line.slice(6).trim(); inFds = false; continue; }
    if (line.startsWith('#fds')) { inFds = true; continue; }
    if (line.startsWith('#')) continue;
    if (inFds) {
      const h = /^\/proc\/(\d+)\/fd:$/.exec(line.trim());
      if (h) { pid = Number(h[1]); continue; }
      const s = /socket:\[(\d+)\]/.exec(line);
      if (s && pid !== null && !owners.has(s[1])) owners.set(s[1], pid);
      continue;
    }
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || !/^\d+:$/.test(f[0])) continue;
    const proto = file.startsWith('tcp') ? 'tcp' : file.startsWith('udp') ? 'udp' : null;
    if (!proto) continue;
    const st = f[3].toUpperCase();
    if ((proto === 'tcp' && st !== '0A') || (proto === 'udp' && st !== '07')) continue;
    const [addrHex, portHex] = f[1].split(':');
    if (proto === 'udp' && !/^0+:0+$/.test(f[2])) continue;
    rows.push({ proto, address: decodeProcAddress(addrHex), port: Number.parseInt(portHex, 16), inode: f[9] });
  }
  return dedupe(rows.map((r) => {
    const owner = owners.get(r.inode) ?? null;
    return { proto: r.proto, address: r.address, port: r.port, pid: owner, process: owner !== null ? processNames.get(owner) ?? null : null };
  }));
}

/** `ip -o addr show` lines (or ifconfig output as a rough fallback). */
export function parseAddresses(text: string): NetAddress[] {
  const out: NetAddress[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#route')) break;
    const m = /^\d+:\s+(\S+?)(?:@\S+)?\s+(inet6?)\s+([0-9a-fA-F:.]+)(?:\/(\d+))?/.exec(line.trim());
    if (m) { out.push({ iface: m[1], family: m[2] as 'inet' | 'inet6', address: m[3], prefix: m[4] ? Number(m[4]) : null }); continue; }
  }
  if (out.length) return out;
  // ifconfig: an interface header line, then 'inet 10.0.0.5  netmask …' or 'inet addr:10.0.0.5'.
  let iface = '';
  for (const line of text.split('\n')) {
    const h = /^([A-Za-z0-9_.:@-]+?):?\s+(?:flags=|Link encap)/.exec(line);
    if (h) { iface = h[1]; continue; }
    const m4 = /\binet (?:addr:)?(\d+\.\d+\.\d+\.\d+)/.exec(line);
    if (m4 && iface) out.push({ iface, family: 'inet', address: m4[1], prefix: null });
    const m6 = /\binet6 (?:addr:\s*)?([0-9a-fA-F:]+)(?:\/(\d+))?/.exec(line);
    if (m6 && iface) out.push({ iface, family: 'inet6', address: m6[1], prefix: m6[2] ? Number(m6[2]) : null });
  }
  return out;
}
