import { promises as fsp } from 'node:fs';
import { basename, join } from 'node:path';
import si from 'systeminformation';
import type { JobContext } from '../jobs/context';
import { problem } from './entries';
import { parseManifest } from './manifest';
import { checkSignature, toPublicKeys } from './signing';
import { readSmallFiles, sizeOf } from './source';
import { digestOfSums, MANIFEST_FILE, SIG_FILE, SUMS_FILE } from './sums';
import { sniffArchive } from './tar-read';
import type { BundleKind, FoundBundle, MediaInfo, Problem, TrustedKey } from './types';

/**
 * Finding bundles on USB sticks and other media. systeminformation knows block devices and
 * file systems, but without udev (containers, some distributions) a stick shows up as a plain
 * disk, so on Linux the mount points under /media, /run/media and /mnt count too; on macOS
 * /Volumes; on Windows every drive letter.
 */

/** File systems that are never removable media (kernel and container plumbing). */
const VIRTUAL_FS = new Set([
  'proc', 'sysfs', 'devtmpfs', 'devpts', 'tmpfs', 'ramfs', 'cgroup', 'cgroup2', 'securityfs', 'debugfs', 'tracefs',
  'pstore', 'bpf', 'mqueue', 'hugetlbfs', 'configfs', 'fusectl', 'autofs', 'binfmt_misc', 'nsfs', 'rpc_pipefs',
  'overlay', 'squashfs', 'efivarfs', 'selinuxfs', 'fuse.gvfsd-fuse', 'fuse.portal', 'nfsd',
]);

export const LINUX_MEDIA_ROOTS = ['/media', '/run/media', '/mnt'];

export interface MediaSources {
  blockDevices?: () => Promise<si.Systeminformation.BlockDevicesData[]>;
  fsSize?: () => Promise<si.Systeminformation.FsSizeData[]>;
  /** Linux mount table (default /proc/self/mounts). */
  mountsFile?: string;
  platform?: NodeJS.Platform;
  /** Folders whose mount points count as media (Linux default /media, /run/media, /mnt). */
  mediaRoots?: string[];
}

function unescapeMount(s: string): string {
  // /proc/mounts escapes space, tab, newline and backslash as octal.
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

async function linuxMounts(file: string): Promise<{ device: string; mount: string; fsType: string }[]> {
  const text = await fsp.readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' '))
    .map(([device, mount, fsType]) => ({ device, mount: unescapeMount(mount ?? ''), fsType: fsType ?? '' }));
}

function under(p: string, roots: string[]): boolean {
  return roots.some((r) => p === r || p.startsWith(r.endsWith('/') ? r : r + '/'));
}

/** Removable drives and mounted media, each once, largest evidence first. */
export async function listMedia(src: MediaSources = {}): Promise<MediaInfo[]> {
  const platform = src.platform ?? process.platform;
  const [blocks, sizes] = await Promise.all([
    (src.blockDevices ?? si.blockDevices)().catch(() => []),
    (src.fsSize ?? si.fsSize)().catch(() => []),
  ]);
  const sizeOfMount = new Map(sizes.map((s) => [s.mount, s]));
  const out = new Map<string, MediaInfo>();
  const add = (m: MediaInfo) => {
    const key = platform === 'win32' ? m.mount.toUpperCase() : m.mount;
    const prev = out.get(key);
    if (prev) {
      // A later source may add what an earlier one lacked (label, removable flag, size).
      out.set(key, { ...m, ...prev, removable: prev.removable || m.removable, label: prev.label || m.label, device: prev.device || m.device });
      return;
    }
    const s = sizeOfMount.get(m.mount) ?? sizeOfMount.get(m.mount.replace(/\\$/, ''));
    out.set(key, { ...m, sizeBytes: m.sizeBytes ?? s?.size, freeBytes: m.freeBytes ?? s?.available, fsType: m.fsType || s?.type });
  };

  for (const b of blocks) {
    if (!b.mount || b.mount === '/' || (platform !== 'win32' && !b.removable && b.protocol?.toLowerCase() !== 'usb')) continue;
    if (platform === 'win32' && !b.removable) continue;
    add({ mount: platform === 'win32' && /^[A-Za-z]:$/.test(b.mount) ? `${b.mount}\\` : b.mount, label: b.label || undefined, device: b.device || b.name, fsType: b.fsType || undefined, removable: true, source: 'block-device' });
  }

  if (platform === 'win32') {
    for (const s of sizes) {
      if (/^[A-Za-z]:$/.test(s.mount)) add({ mount: `${s.mount}\\`, fsType: s.type || undefined, removable: false, source: 'drive-letter' });
    }
  } else if (platform === 'darwin') {
    for (const s of sizes) {
      if (s.mount.startsWith('/Volumes/')) add({ mount: s.mount, device: s.fs, fsType: s.type || undefined, removable: false, label: basename(s.mount), source: 'mount-point' });
    }
  } else {
    const roots = src.mediaRoots ?? LINUX_MEDIA_ROOTS;
    for (const m of await linuxMounts(src.mountsFile ?? '/proc/self/mounts')) {
      if (!under(m.mount, roots) || VIRTUAL_FS.has(m.fsType)) continue;
      add({ mount: m.mount, device: m.device, fsType: m.fsType, removable: false, label: basename(m.mount), source: 'mount-point' });
    }
  }
  return [...out.values()].sort((a, b) => Number(b.removable) - Number(a.removable) || a.mount.localeCompare(b.mount));
}

const SKIP_DIRS = new Set(['node_modules', '$RECYCLE.BIN', 'System Volume Information', 'lost+found', '.Trashes', '.Spotlight-V100', '.fseventsd', '.git']);
const ARCHIVE_NAME = /\.(tar|tar\.gz|tgz)$/i;

export interface ScanOptions {
  /** Folders to scan; default: every media listMedia() finds. */
  roots?: string[];
  /** Folder levels below each root (default 3). */
  depth?: number;
  /** Folders visited per root at most (default 5000): a stick full of photos must not take minutes. */
  maxDirs?: number;
  trustedKeys?: TrustedKey[];
  ctx?: JobContext;
  media?: MediaSources;
}

/** What a bundle says about itself, read from its first few kilobytes (no hashing). */
export async function summarize(path: string, kind: BundleKind, trustedKeys: TrustedKey[] = []): Promise<FoundBundle | undefined> {
  const files = await readSmallFiles(path, kind, [MANIFEST_FILE, SUMS_FILE, SIG_FILE], { maxScanBytes: 64 * 1024 * 1024 });
  const mtext = files.get(MANIFEST_FILE);
  if (!mtext) return undefined;
  const problems: Problem[] = [];
  const { manifest, problems: mp } = parseManifest(mtext.toString('utf8'));
  problems.push(...mp);
  const sums = files.get(SUMS_FILE);
  let signature: FoundBundle['signature'] = 'unsigned';
  let keyId: string | undefined;
  if (!sums) problems.push(problem('bundle.sums_missing', { file: SUMS_FILE }));
  else {
    const sig = checkSignature(sums, files.get(SIG_FILE)?.toString('utf8'), toPublicKeys(trustedKeys));
    signature = sig.status;
    keyId = sig.keyId;
  }
  const raw = manifest ? undefined : safeMetadata(mtext.toString('utf8'));
  return {
    name: manifest?.metadata.name ?? raw?.name ?? basename(path),
    version: manifest?.metadata.version ?? raw?.version ?? '?',
    vendor: manifest?.metadata.vendor ?? raw?.vendor ?? '?',
    description: manifest?.metadata.description,
    path,
    kind,
    sizeBytes: await sizeOf(path, kind),
    signature,
    keyId,
    digest: sums ? digestOfSums(sums) : undefined,
    k3sVersion: manifest?.spec.k3s.version,
    problems,
  };
}

/** Name and version even from a manifest that fails validation, so the list still says what it is. */
function safeMetadata(text: string): { name?: string; version?: string; vendor?: string } | undefined {
  const pick = (k: string) => new RegExp(`^\\s+${k}:\\s*["']?([^"'\\n#]+)`, 'm').exec(text)?.[1]?.trim();
  return { name: pick('name'), version: pick('version'), vendor: pick('vendor') };
}

/**
 * Scans media for bundles: folders holding bundle.yaml (not descended further) and .tar /
 * .tar.gz files with bundle.yaml at their root, to a bounded depth. Unreadable folders are
 * logged and skipped, never fatal: one bad stick must not hide the others.
 */
export async function scanMedia(opts: ScanOptions = {}): Promise<FoundBundle[]> {
  const ctx = opts.ctx;
  const depth = opts.depth ?? 3;
  const maxDirs = opts.maxDirs ?? 5000;
  const trusted = opts.trustedKeys ?? [];
  const roots = opts.roots ?? (await listMedia(opts.media)).map((m) => m.mount);
  const found: FoundBundle[] = [];
  let rootIndex = 0;
  for (const root of roots) {
    ctx?.signal.throwIfAborted();
    ctx?.progress({ step: 'scan', label: 'bundle.step.scan-media', current: rootIndex++, total: roots.length, item: root });
    let visited = 0;
    const queue: { dir: string; level: number }[] = [{ dir: root, level: 0 }];
    while (queue.length) {
      ctx?.signal.throwIfAborted();
      const { dir, level } = queue.shift()!;
      if (++visited > maxDirs) {
        ctx?.log(`scan: stopped after ${maxDirs} folders on ${root}`, 'warn');
        break;
      }
      let names: import('node:fs').Dirent[];
      try {
        names = await fsp.readdir(dir, { withFileTypes: true });
      } catch (e) {
        ctx?.log(`scan: cannot read ${dir}: ${(e as Error).message}`, 'warn');
        continue;
      }
      if (names.some((d) => d.name === MANIFEST_FILE && d.isFile())) {
        const b = await summarize(dir, 'folder', trusted).catch((e) => {
          ctx?.log(`scan: ${dir}: ${(e as Error).message}`, 'warn');
          return undefined;
        });
        if (b) found.push({ ...b, media: root });
        continue;
      }
      for (const d of names.sort((a, b) => a.name.localeCompare(b.name))) {
        const p = join(dir, d.name);
        if (d.isDirectory()) {
          if (level < depth && !d.name.startsWith('.') && !SKIP_DIRS.has(d.name)) queue.push({ dir: p, level: level + 1 });
        } else if (d.isFile() && ARCHIVE_NAME.test(d.name)) {
          try {
            const kind = await sniffArchive(p);
            if (typeof kind !== 'string') continue;
            const b = await summarize(p, kind, trusted);
            if (b) found.push({ ...b, media: root });
          } catch (e) {
            ctx?.log(`scan: ${p}: ${(e as Error).message}`, 'warn');
          }
        }
      }
    }
  }
  return found;
}
