import { readFile, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import {
  buildBundle,
  diffBundles,
  generateKeyPair,
  inspectBundle,
  verifyBundle,
  type BundleDiff,
  type BundleInfo,
  type FoundBundle,
  type Problem,
  type TrustedKey,
  type VerifyReport,
} from '../../core/bundle';
import type { BundleLoadResult, BundleRecord } from '../../core/bundle/api-contract';
import { OutpostError } from '../../core/api/errors';
import { jobAbortController, type JobContext, type Progress } from '../../core/jobs';
import type { CliContext, Command } from '../context';
import { followJob, table, usageError } from '../context';
import { resolveSite } from '../resolve';
import { formatBytes } from '../../core/util/format-bytes';

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

/** --pubkey files, each named after its file so the report says which key verified. */
async function readKeys(ctx: CliContext): Promise<TrustedKey[]> {
  return Promise.all(strings(ctx.flags.pubkey).map(async (f) => ({ publicKey: await readFile(resolve(f), 'utf8'), name: basename(f) })));
}

/**
 * A job context for library calls made right here (no store): Ctrl+C cancels, and on a
 * terminal the progress is one line on stderr that rewrites itself.
 */
function directContext(ctx: CliContext): { jctx: JobContext; done(): void } {
  const controller = jobAbortController();
  const onInt = () => controller.abort();
  process.once('SIGINT', onInt);
  const tty = !ctx.json && process.stderr.isTTY;
  let shown = false;
  const jctx: JobContext = {
    signal: controller.signal,
    progress(p: Progress) {
      if (!tty) return;
      const label = p.label ? ctx.t(p.label.replace(/^bundle\./, 'bundle:'), { defaultValue: p.step }) : p.step;
      const bytes = p.bytesDone !== undefined ? ` ${formatBytes(p.bytesDone)}${p.bytesTotal ? ` / ${formatBytes(p.bytesTotal)} (${Math.floor((p.bytesDone / p.bytesTotal) * 100)}%)` : ''}` : '';
      process.stderr.write(`\r\x1b[K${label}${bytes}`);
      shown = true;
    },
    log(line, level) {
      if (!ctx.json && (level === 'warn' || level === 'error')) ctx.err(`  ${line}`);
    },
  };
  return {
    jctx,
    done() {
      process.off('SIGINT', onInt);
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}

async function withDirect<T>(ctx: CliContext, fn: (jctx: JobContext) => Promise<T>): Promise<T> {
  const { jctx, done } = directContext(ctx);
  try {
    return await fn(jctx);
  } finally {
    done();
  }
}

/** A problem in the user's language, always naming the file it is about. */
function problemLine(ctx: CliContext, p: Problem): string {
  const text = ctx.msg({ key: p.code, params: p.params ?? {}, text: p.message });
  const where = p.file && !text.includes(p.file) ? ` [${p.file}${p.line ? `:${p.line}` : ''}]` : '';
  return `  ${ctx.t(`bundle:cli.severity.${p.severity}`)}: ${text}${where}`;
}

function signatureText(ctx: CliContext, r: { signature: string; keyId?: string; keyName?: string }): string {
  const base = ctx.t(`bundle:signature.${r.signature}`);
  if (r.keyName) return `${base} (${r.keyName}, ${r.keyId})`;
  return r.keyId ? `${base} (${ctx.t('bundle:cli.key')} ${r.keyId})` : base;
}

function verifyText(ctx: CliContext, r: VerifyReport, accepted: boolean, reason?: string): string {
  const m = r.manifest?.metadata;
  const what = m ? `${m.name} ${m.version} (${m.vendor})` : r.path;
  const lines: string[] = [];
  if (r.ok) lines.push(ctx.t('bundle:cli.verifyOk', { what, files: r.files, size: formatBytes(r.bytes), signature: signatureText(ctx, r) }));
  else if (r.intact && accepted) lines.push(ctx.t('bundle:cli.verifyAllowed', { what, files: r.files, signature: signatureText(ctx, r), reason }));
  else if (r.intact) lines.push(ctx.t('bundle:cli.verifyUntrusted', { what, signature: signatureText(ctx, r) }));
  else lines.push(ctx.t('bundle:cli.verifyFailed', { what, path: r.path, count: r.problems.filter((p) => p.severity === 'error').length }));
  for (const p of r.problems) lines.push(problemLine(ctx, p));
  if (r.digest) lines.push(`${ctx.t('bundle:cli.digest')}: ${r.digest}`);
  if (!r.ok && r.intact && !accepted) lines.push(ctx.t('bundle:cli.untrustedHint'));
  return lines.join('\n');
}

function inspectText(ctx: CliContext, i: BundleInfo): string {
  const lines = [
    `${i.name} ${i.version} — ${i.vendor}`,
    ...(i.description ? [i.description] : []),
    `${ctx.t('bundle:cli.path')}: ${i.path} (${i.kind}, ${formatBytes(i.sizeBytes)}, ${i.files} ${ctx.t('bundle:cli.files')})`,
    `${ctx.t('bundle:cli.signature')}: ${signatureText(ctx, i)}`,
    `${ctx.t('bundle:cli.digest')}: ${i.digest ?? '-'}`,
    `k3s: ${i.k3sVersion} (${i.arch})`,
    '',
    table([ctx.t('bundle:cli.group'), ctx.t('bundle:cli.release'), ctx.t('bundle:cli.chart'), ctx.t('bundle:cli.version'), ctx.t('bundle:cli.namespace'), ctx.t('bundle:cli.values')],
      i.groups.flatMap((g) => g.charts.map((c) => [g.name, c.release, c.name ?? c.chart, c.version ?? '-', c.namespace, c.values ?? '-']))),
    '',
    `${ctx.t('bundle:cli.images')}:`,
    ...i.images.flatMap((im) => [`  ${im.file} (${formatBytes(im.sizeBytes)})`, ...im.refs.map((r) => `    ${r}`)]),
    `${ctx.t('bundle:cli.questions')}: ${i.questions.map((q) => q.name).join(', ') || '-'}`,
  ];
  for (const p of i.problems) lines.push(problemLine(ctx, p));
  return lines.join('\n');
}

export function diffText(ctx: CliContext, d: BundleDiff): string {
  const lines = [`${d.from.name} ${d.from.version} → ${d.to.name} ${d.to.version}`];
  if (d.identical) {
    lines.push(ctx.t('bundle:cli.identical'));
    return lines.join('\n');
  }
  lines.push(d.k3s.changed ? `k3s: ${d.k3s.from} → ${d.k3s.to}` : `k3s: ${d.k3s.to} (${ctx.t('bundle:cli.unchanged')})`);
  if (d.helm.changed) lines.push(`helm: ${ctx.t('bundle:cli.changed')}`);
  if (d.groups.orderChanged) lines.push(`${ctx.t('bundle:cli.groupOrder')}: ${d.groups.from.join(' → ')}  ⇒  ${d.groups.to.join(' → ')}`);
  lines.push(`${ctx.t('bundle:cli.charts')}:`);
  const mark = { added: '+', removed: '-', changed: '~', unchanged: '=' } as const;
  for (const c of d.charts) {
    const v = c.change === 'changed' && c.from?.version !== c.to?.version ? `${c.from?.version ?? '?'} → ${c.to?.version ?? '?'}` : (c.to ?? c.from)?.version ?? '';
    const what = [c.chartChanged && ctx.t('bundle:cli.chartFiles'), c.valuesChanged && ctx.t('bundle:cli.valuesChanged'), c.groupChanged && ctx.t('bundle:cli.groupChanged')].filter(Boolean).join(', ');
    lines.push(`  ${mark[c.change]} ${c.release}  ${v}${what ? `  (${what})` : ''}`);
  }
  for (const c of d.charts) if (c.valuesDiff) lines.push('', c.valuesDiff.trimEnd());
  const list = (label: string, added: string[], removed: string[], changed: string[] = []) => {
    if (added.length + removed.length + changed.length === 0) return;
    lines.push(`${label}:`, ...added.map((x) => `  + ${x}`), ...removed.map((x) => `  - ${x}`), ...changed.map((x) => `  ~ ${x}`));
  };
  list(ctx.t('bundle:cli.images'), d.images.added, d.images.removed, d.images.archivesChanged);
  list(ctx.t('bundle:cli.questions'), d.questions.added, d.questions.removed, d.questions.changed);
  const specs = (Object.keys(d.specs) as (keyof BundleDiff['specs'])[]).filter((k) => d.specs[k]);
  if (specs.length) lines.push(`${ctx.t('bundle:cli.specsChanged')}: ${specs.join(', ')}`);
  lines.push(ctx.t('bundle:cli.fileCounts', { changed: d.files.changed.length, added: d.files.added.length, removed: d.files.removed.length }));
  return lines.join('\n');
}

function recordRow(r: BundleRecord): (string | number)[] {
  return [r.name, r.version, r.vendor, r.signature + (r.trustOverride ? '*' : ''), r.location + (r.available ? '' : ' (missing)'), formatBytes(r.sizeBytes), r.digest.slice(0, 19)];
}

/** Resolves what a person types for a library bundle: a digest, its start, or name@version. */
async function resolveDigest(ctx: CliContext, ref: string): Promise<string> {
  const all = await (await ctx.api()).bundles.list();
  const hits = all.filter((r) => r.digest === ref || (ref.length >= 8 && r.digest.replace(/^sha256:/, '').startsWith(ref.replace(/^sha256:/, ''))) || `${r.name}@${r.version}` === ref);
  if (hits.length === 1) return hits[0].digest;
  throw usageError(hits.length ? `${ref} matches ${hits.length} bundles; give more of the digest` : `No bundle ${ref} in the library (outpost bundle list)`);
}

const pubkeyOpt = { pubkey: { type: 'string' as const, multiple: true } };

/** outpost bundle keygen|build|verify|inspect|diff|list|load|trust|… */
export const bundleCommands: Command[] = [
  {
    name: 'bundle keygen', summary: 'Make a vendor signing key pair (PREFIX.pub to pin, PREFIX.sec to keep offline)',
    usage: 'outpost bundle keygen [-o PREFIX] [--comment TEXT] [--force]',
    options: { out: { type: 'string', short: 'o' }, comment: { type: 'string' }, force: { type: 'boolean' } },
    async run(ctx) {
      const prefix = resolve(String(ctx.flags.out ?? 'vendor'));
      const kp = generateKeyPair({ comment: typeof ctx.flags.comment === 'string' ? ctx.flags.comment : undefined });
      const flag = ctx.flags.force ? 'w' : 'wx';
      const pub = `${prefix}.pub`;
      const sec = `${prefix}.sec`;
      try {
        await writeFile(sec, kp.secretKey, { mode: 0o600, flag });
        await writeFile(pub, kp.publicKey, { mode: 0o644, flag });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
          const file = (e as NodeJS.ErrnoException).path ?? prefix;
          throw new OutpostError('bundle.key_file_exists', `${file} exists already; pick another -o PREFIX or pass --force`, { file });
        }
        throw e;
      }
      ctx.out({ keyId: kp.keyId, publicKey: pub, secretKey: sec }, () => ctx.t('bundle:cli.keygen', { keyId: kp.keyId, pub, sec }));
    },
  },
  {
    name: 'bundle build', summary: 'Build and sign a bundle from a source folder',
    usage: 'outpost bundle build <dir> --key <sec> -o <file.tar.gz|file.tar|folder> [--k3s-dir DIR] [--helm FILE] [--add PREFIX=DIR ...]',
    options: { key: { type: 'string' }, out: { type: 'string', short: 'o' }, 'k3s-dir': { type: 'string' }, helm: { type: 'string' }, add: { type: 'string', multiple: true } },
    async run(ctx) {
      const dir = ctx.positionals[0];
      if (!dir || typeof ctx.flags.out !== 'string') throw usageError('bundle build needs a source folder and -o OUT');
      const add: Record<string, string> = {};
      for (const a of strings(ctx.flags.add)) {
        const i = a.indexOf('=');
        if (i <= 0) throw usageError(`--add ${a}: expected PREFIX=DIR, e.g. images=/build/images`);
        add[a.slice(0, i)] = resolve(a.slice(i + 1));
      }
      if (typeof ctx.flags.key !== 'string') ctx.err(ctx.t('bundle:cli.buildUnsigned'));
      const r = await withDirect(ctx, (jctx) => buildBundle({
        dir: resolve(dir),
        out: resolve(ctx.flags.out as string),
        keyPath: typeof ctx.flags.key === 'string' ? resolve(ctx.flags.key) : undefined,
        k3sDir: typeof ctx.flags['k3s-dir'] === 'string' ? resolve(ctx.flags['k3s-dir']) : undefined,
        helm: typeof ctx.flags.helm === 'string' ? resolve(ctx.flags.helm) : undefined,
        add,
        ctx: jctx,
      }));
      ctx.out(r, () => [
        ctx.t('bundle:cli.built', { out: r.out, format: r.format, files: r.files, size: formatBytes(r.bytes) }),
        `${ctx.t('bundle:cli.digest')}: ${r.digest}`,
        ...(r.sha256 ? [`sha256: ${r.sha256}`] : []),
        r.keyId ? `${ctx.t('bundle:cli.signedWith')} ${r.keyId}` : ctx.t('bundle:signature.unsigned'),
      ].join('\n'));
    },
  },
  {
    name: 'bundle verify', summary: 'Verify checksums, archive safety and signature of a bundle (exit 0 only when it may be used)',
    usage: 'outpost bundle verify <path> [--pubkey FILE ...] [--allow-untrusted REASON]',
    options: { ...pubkeyOpt, 'allow-untrusted': { type: 'string' } },
    async run(ctx) {
      const path = ctx.positionals[0];
      if (!path) throw usageError('bundle verify needs the path of a bundle (folder, .tar or .tar.gz)');
      const reason = typeof ctx.flags['allow-untrusted'] === 'string' ? ctx.flags['allow-untrusted'].trim() : '';
      const trustedKeys = await readKeys(ctx);
      const r = await withDirect(ctx, (jctx) => verifyBundle(resolve(path), { trustedKeys, ctx: jctx }));
      const accepted = r.ok || (r.intact && (r.signature === 'unsigned' || r.signature === 'untrusted') && reason !== '');
      ctx.out({ ...r, accepted, ...(reason && !r.ok && accepted ? { allowUntrusted: { reason } } : {}) }, () => verifyText(ctx, r, accepted, reason));
      return accepted ? 0 : 1;
    },
  },
  {
    name: 'bundle inspect', summary: 'Show what a bundle holds: k3s, charts with versions, images, questions',
    usage: 'outpost bundle inspect <path> [--pubkey FILE ...]',
    options: pubkeyOpt,
    async run(ctx) {
      const path = ctx.positionals[0];
      if (!path) throw usageError('bundle inspect needs the path of a bundle');
      const info = await withDirect(ctx, async (jctx) => inspectBundle(resolve(path), { trustedKeys: await readKeys(ctx), ctx: jctx }));
      ctx.out(info, () => inspectText(ctx, info));
    },
  },
  {
    name: 'bundle diff', summary: 'What changes from one bundle to another (k3s, charts, values, images)',
    usage: 'outpost bundle diff <old> <new> [--pubkey FILE ...]',
    options: pubkeyOpt,
    async run(ctx) {
      const [from, to] = ctx.positionals;
      if (!from || !to) throw usageError('bundle diff needs two bundles: <old> <new>');
      const d = await withDirect(ctx, async (jctx) => diffBundles(resolve(from), resolve(to), { trustedKeys: await readKeys(ctx), ctx: jctx }));
      ctx.out(d, () => diffText(ctx, d));
    },
  },
  {
    name: 'bundle list', summary: 'List the bundles in the library', usage: 'outpost bundle list',
    async run(ctx) {
      const all = await (await ctx.api()).bundles.list();
      ctx.out(all, () => (all.length === 0 ? ctx.t('bundle:cli.libraryEmpty') : table(
        [ctx.t('cli:name'), ctx.t('bundle:cli.version'), ctx.t('bundle:cli.vendor'), ctx.t('bundle:cli.signature'), ctx.t('bundle:cli.location'), ctx.t('bundle:cli.size'), ctx.t('bundle:cli.digest')],
        all.map(recordRow))));
    },
  },
  {
    name: 'bundle load', summary: 'Verify a bundle and add it to the library (--copy copies it off the stick, resumably)',
    usage: 'outpost bundle load <path> [--copy] [--allow-untrusted REASON]',
    options: { copy: { type: 'boolean' }, 'allow-untrusted': { type: 'string' } },
    async run(ctx) {
      const path = ctx.positionals[0];
      if (!path) throw usageError('bundle load needs the path of a bundle');
      const reason = typeof ctx.flags['allow-untrusted'] === 'string' ? ctx.flags['allow-untrusted'] : undefined;
      const api = await ctx.api();
      const { jobId } = await api.bundles.load({ path: resolve(path), copy: ctx.flags.copy === true, ...(reason !== undefined ? { allowUntrusted: { reason } } : {}) });
      const job = await followJob(ctx, jobId);
      if (job.state !== 'succeeded') {
        if (ctx.json) ctx.out({ job });
        else {
          ctx.err(ctx.t('bundle:cli.loadFailed', { error: job.error?.message ?? job.state, id: job.id }));
          for (const p of (job.error?.details?.problems as Problem[] | undefined) ?? []) ctx.err(problemLine(ctx, p));
          if (job.error?.code === 'bundle.signature_required') ctx.err(ctx.t('bundle:cli.untrustedHint'));
        }
        return 1;
      }
      const r = job.result as BundleLoadResult;
      ctx.out(r, () => ctx.t(r.entry.location === 'library' ? 'bundle:cli.loadedCopy' : 'bundle:cli.loadedInPlace', { name: r.entry.name, version: r.entry.version, digest: r.entry.digest, path: r.entry.path }));
    },
  },
  {
    name: 'bundle scan', summary: 'Look for bundles on removable media (or in the given folders)', usage: 'outpost bundle scan [FOLDER ...] [--depth N]',
    options: { depth: { type: 'string' } },
    async run(ctx) {
      const api = await ctx.api();
      const depth = ctx.flags.depth !== undefined ? Number(ctx.flags.depth) : undefined;
      const { jobId } = await api.bundles.scan({ ...(ctx.positionals.length ? { roots: ctx.positionals.map((p) => resolve(p)) } : {}), ...(depth !== undefined ? { depth } : {}) });
      const job = await followJob(ctx, jobId);
      if (job.state !== 'succeeded') throw Object.assign(new Error(job.error?.message ?? job.state), job.error);
      const found = job.result as FoundBundle[];
      ctx.out(found, () => (found.length === 0 ? ctx.t('bundle:cli.noneFound') : table(
        [ctx.t('cli:name'), ctx.t('bundle:cli.version'), ctx.t('bundle:cli.vendor'), ctx.t('bundle:cli.signature'), ctx.t('bundle:cli.size'), ctx.t('bundle:cli.path')],
        found.map((f) => [f.name, f.version, f.vendor, f.signature, formatBytes(f.sizeBytes), f.path]))));
    },
  },
  {
    name: 'bundle remove', summary: 'Remove a bundle from the library', usage: 'outpost bundle remove <digest|name@version>',
    async run(ctx) {
      const ref = ctx.positionals[0];
      if (!ref) throw usageError('bundle remove needs a digest or name@version');
      const digest = await resolveDigest(ctx, ref);
      await (await ctx.api()).bundles.remove({ digest });
      ctx.out({ removed: digest }, () => ctx.t('bundle:cli.removed', { digest }));
    },
  },
  {
    name: 'bundle use', summary: 'Record which bundle a site runs', usage: 'outpost bundle use --site S <digest|name@version>',
    options: { site: { type: 'string', short: 's' } },
    async run(ctx) {
      const site = await resolveSite(ctx, ctx.flags.site);
      const ref = ctx.positionals[0];
      if (!ref) throw usageError('bundle use needs a digest or name@version');
      const saved = await (await ctx.api()).bundles.useForSite({ siteId: site.id, digest: await resolveDigest(ctx, ref) });
      ctx.out(saved, () => ctx.t('bundle:cli.used', { site: saved.name, version: saved.bundleVersion, digest: saved.bundleDigest }));
    },
  },
  {
    name: 'bundle trust', summary: 'Trust a vendor public key for verifying bundles', usage: 'outpost bundle trust <pubkey-file> [--name N]',
    options: { name: { type: 'string' } },
    async run(ctx) {
      const file = ctx.positionals[0];
      if (!file) throw usageError('bundle trust needs a public key file');
      const key = await (await ctx.api()).bundles.addKey({ publicKey: await readFile(resolve(file), 'utf8'), ...(typeof ctx.flags.name === 'string' ? { name: ctx.flags.name } : {}) });
      ctx.out(key, () => ctx.t('bundle:cli.trusted', { id: key.id, name: key.name }));
    },
  },
  {
    name: 'bundle keys', summary: 'List the trusted vendor keys', usage: 'outpost bundle keys',
    async run(ctx) {
      const keys = await (await ctx.api()).bundles.listKeys();
      ctx.out(keys, () => (keys.length === 0 ? ctx.t('bundle:cli.noKeys') : table([ctx.t('bundle:cli.key'), ctx.t('cli:name'), ctx.t('bundle:cli.added')], keys.map((k) => [k.id, k.name, k.addedAt]))));
    },
  },
  {
    name: 'bundle untrust', summary: 'Stop trusting a vendor key', usage: 'outpost bundle untrust <key-id>',
    async run(ctx) {
      const id = ctx.positionals[0];
      if (!id) throw usageError('bundle untrust needs a key id (outpost bundle keys)');
      await (await ctx.api()).bundles.removeKey({ id });
      ctx.out({ removed: id }, () => ctx.t('bundle:cli.untrusted', { id }));
    },
  },
];
