import { promises as fsp } from 'node:fs';
import { dirname, join } from 'node:path';
import type { JobContext } from '../jobs/context';
import { bundleError } from './messages';
import { resolveInside } from './paths';
import { detectKind } from './source';
import { toPublicKeys } from './signing';
import type { ArchiveKind } from './tar-read';
import { assertIntact, assess, streamArchive, type FileSink } from './verify';
import type { TrustedKey, VerifyReport } from './types';

export interface ExtractOptions {
  ctx?: JobContext;
  trustedKeys?: TrustedKey[];
}

async function isEmptyDir(p: string): Promise<boolean | undefined> {
  try {
    return (await fsp.readdir(p)).length === 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Extracts a .tar/.tar.gz bundle into dest (absent or empty) and verifies it in the same pass.
 * Every entry is judged before it is written; names are resolved under dest and proved to stay
 * there; files are created with O_EXCL (never through an existing file or link) and plain
 * 0644/0755 modes. Any refused entry or failed check removes everything written and throws.
 * Returns the verification report; the caller still decides about unsigned/untrusted bundles.
 */
export async function extractBundle(archive: string, dest: string, opts: ExtractOptions = {}): Promise<VerifyReport> {
  const t0 = Date.now();
  const kind = await detectKind(archive);
  if (kind === 'folder') throw bundleError('bundle.unsupported_format', { path: archive, reason: 'a folder bundle needs no extraction' });
  const trusted = toPublicKeys(opts.trustedKeys);
  const empty = await isEmptyDir(dest);
  if (empty === false) throw bundleError('bundle.target_not_empty', { path: dest });
  await fsp.mkdir(dest, { recursive: true });
  const created = empty === undefined;
  const root = await fsp.realpath(dest);
  const sink: FileSink = {
    async mkdir(p) {
      await fsp.mkdir(resolveInside(root, p), { recursive: true });
    },
    async open(p, mode) {
      const abs = resolveInside(root, p);
      await fsp.mkdir(dirname(abs), { recursive: true });
      const fh = await fsp.open(abs, 'wx', mode & 0o111 ? 0o755 : 0o644);
      return {
        async write(chunk) {
          let off = 0;
          while (off < chunk.length) off += (await fh.write(chunk, off, chunk.length - off)).bytesWritten;
        },
        close: () => fh.close(),
      };
    },
  };
  try {
    const totalBytes = kind === 'tar' ? (await fsp.stat(archive)).size : undefined;
    const c = await streamArchive(archive, kind as ArchiveKind, { ctx: opts.ctx, sink, totalBytes });
    const report: VerifyReport = { path: archive, kind, ...assess(c, trusted, archive), durationMs: Date.now() - t0 };
    assertIntact(report);
    return report;
  } catch (e) {
    await removeWritten(root, created);
    throw e;
  }
}

async function removeWritten(root: string, created: boolean): Promise<void> {
  if (created) {
    await fsp.rm(root, { recursive: true, force: true });
    return;
  }
  for (const n of await fsp.readdir(root)) await fsp.rm(join(root, n), { recursive: true, force: true });
}
