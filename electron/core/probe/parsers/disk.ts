import type { BlockDevice, Mount } from '../types';

export interface DfRow { device: string; total: number; used: number; available: number; mountpoint: string }

/*
 * `df -P` rows: device, total, used, available, capacity, mountpoint. The mountpoint may contain
 * spaces, and the header is localized when LC_ALL=C was ignored ('文件系统 1K-块 已用 可用 已用% 挂载点'),
 * so rows are recognized by their shape, not by skipping line one. Inode counts may be '-' (vfat, some
 * network filesystems); those become null.
 */
const DF_ROW = /^(.+?)\s+(\d+|-)\s+(\d+|-)\s+(\d+|-)\s+(\d+%|-)\s+(\/.*)$/;

/** Parses `df -P` output; `unit` multiplies the size columns (1024 for -k, 1 for -i). */
export function parseDf(text: string, unit: number): { rows: Array<{ device: string; total: number | null; used: number | null; available: number | null; mountpoint: string }>; skipped: number } {
  const rows: Array<{ device: string; total: number | null; used: number | null; available: number | null; mountpoint: string }> = [];
  let skipped = 0;
  const lines = text.split('\n').filter((l) => l.trim());
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    // Some df versions still wrap a long device name onto its own line even with -P; join it back.
    if (!DF_ROW.test(line) && i + 1 < lines.length && /^\s+\d/.test(lines[i + 1]) && DF_ROW.test(line.trim() + ' ' + lines[i + 1].trim())) {
      line = line.trim() + ' ' + lines[++i].trim();
    }
    const m = DF_ROW.exec(line.trim());
    if (!m) { skipped++; continue; }
    const num = (s: string) => (s === '-' ? null : Number(s) * unit);
    rows.push({ device: m[1], total: num(m[2]), used: num(m[3]), available: num(m[4]), mountpoint: unescapeMount(m[6]) });
  }
  return { rows, skipped };
}

/** /proc/mounts escapes spaces and tabs as octal (\040, \011). */
export function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
}

/** mountpoint → filesystem type, from /proc/mounts (the last mount on a path wins, as in the kernel). */
export function parseProcMounts(text: string): Map<string, { device: string; fsType: string }> {
  const out = new Map<string, { device: string; fsType: string }>();
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 3) continue;
    out.set(unescapeMount(f[1]), { device: unescapeMount(f[0]), fsType: f[2] });
  }
  return out;
}

/** Joins df -k, df -i and /proc/mounts into mounts with sizes and inodes. */
export function buildMounts(dfK: string | null, dfI: string | null, procMounts: string | null): { mounts: Mount[]; skipped: number } {
  const k = dfK ? parseDf(dfK, 1024) : { rows: [], skipped: 0 };
  const inodes = new Map((dfI ? parseDf(dfI, 1).rows : []).map((r) => [r.mountpoint, r]));
  const types = procMounts ? parseProcMounts(procMounts) : new Map<string, { device: string; fsType: string }>();
  const mounts: Mount[] = k.rows.map((r) => {
    const i = inodes.get(r.mountpoint);
    return {
      device: r.device,
      mountpoint: r.mountpoint,
      fsType: types.get(r.mountpoint)?.fsType ?? null,
      totalBytes: r.total ?? 0,
      usedBytes: r.used ?? 0,
      availableBytes: r.available ?? 0,
      inodesTotal: i?.total ?? null,
      inodesUsed: i?.used ?? null,
      inodesFree: i?.available ?? null,
    };
  });
  return { mounts, skipped: k.skipped };
}

/** The mount holding `path`: the longest mountpoint that is a path prefix of it. */
export function mountFor<M extends { mountpoint: string }>(mounts: readonly M[], path: string): M | null {
  const p = path.replace(/\/+$/, '') || '/';
  let best: M | null = null;
  for (const m of mounts) {
    const mp = m.mountpoint.replace(/\/+$/, '') || '/';
    const inside = mp === '/' || p === mp || p.startsWith(mp + '/');
    if (inside && (!best || mp.length > (best.mountpoint.replace(/\/+$/, '') || '/').length)) best = m;
  }
  return best;
}

/** lsblk -P pairs: NAME="sda" SIZE="1000" MOUNTPOINT="/my disk"; lsblk escapes odd bytes as \xNN. */
export function parseKeyValuePairs(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  const rx = /([A-Z0-9_:-]+)="((?:[^"\\]|\\.)*)"/g;
  let m: RegExpExecArray | null;
  while ((m = rx.exec(line))) {
    out[m[1]] = m[2].replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))).replace(/\\(.)/g, '$1');
  }
  return out;
}

/** Block devices from `lsblk -b -P` or the script's /sys/block fallback (same KEY="value" shape). */
export function parseBlockDevices(text: string, procMounts: string | null): BlockDevice[] {
  const mountsByDev = new Map<string, { mountpoint: string; fsType: string }>();
  for (const [mountpoint, v] of procMounts ? parseProcMounts(procMounts) : []) {
    if (v.device.startsWith('/dev/') && !mountsByDev.has(v.device.slice(5))) mountsByDev.set(v.device.slice(5), { mountpoint, fsType: v.fsType });
  }
  const out: BlockDevice[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes('NAME="')) continue;
    const kv = parseKeyValuePairs(line);
    if (!kv.NAME) continue;
    const kname = kv.KNAME || kv.NAME;
    let size = kv.SIZE !== undefined ? Number(kv.SIZE) : Number(kv.SECTORS ?? 0) * 512;
    if (!Number.isFinite(size)) size = 0;
    const fallback = mountsByDev.get(kname);
    let type = kv.TYPE || '';
    if (!type) type = /^loop/.test(kname) ? 'loop' : /^(sr|scd)/.test(kname) ? 'rom' : /^dm-/.test(kname) ? 'dm' : /^(ram|zram)/.test(kname) ? 'ram' : 'disk';
    out.push({
      name: kv.NAME,
      kernelName: kname,
      parentKernelName: kv.PKNAME || null,
      type,
      sizeBytes: size,
      readOnly: kv.RO === '1',
      removable: kv.RM === '1',
      mountpoint: kv.MOUNTPOINT || (kv.MOUNTPOINT === undefined ? fallback?.mountpoint ?? null : null),
      fsType: kv.FSTYPE || (kv.FSTYPE === undefined ? fallback?.fsType ?? null : null),
      model: kv.MODEL?.trim() || null,
    });
  }
  // Old lsblk has no PKNAME: a partition's parent is the disk whose name it extends ('sda1', 'nvme0n1p1').
  for (const d of out) {
    if (d.type !== 'part' || d.parentKernelName) continue;
    const parent = out.filter((o) => o.type !== 'part' && d.kernelName.startsWith(o.kernelName) && d.kernelName !== o.kernelName)
      .sort((a, b) => b.kernelName.length - a.kernelName.length)[0];
    if (parent) d.parentKernelName = parent.kernelName;
  }
  return out;
}
