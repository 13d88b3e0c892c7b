import { promises as fsp } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobContext } from '../jobs/context';
import { OutpostError } from '../api/errors';
import { extractBundle } from './extract';
import type { HashPool } from './hash-pool';
import { assertTrusted, type TrustPolicy } from './library';
import { detectKind } from './source';
import { renderValues, validateAnswers, type ValuesFacts } from './values';
import { assertIntact, verifyBundle } from './verify';
import { resolveInside } from './paths';
import type { BundleManifest, RenderedValues, VerifyReport } from './types';

/** A verified folder bundle, ready for the installer. */
export interface LoadedBundle {
  /** Folder holding the bundle's files (the source folder, or where an archive was extracted). */
  dir: string;
  manifest: BundleManifest;
  digest: string;
  report: VerifyReport;
}

export interface LoadOptions extends TrustPolicy {
  ctx?: JobContext;
  /** Where an archive is extracted (absent or empty folder); a temporary folder by default. */
  extractTo?: string;
  pool?: HashPool;
}

/**
 * Verifies a bundle and makes it usable: a folder is verified in place, an archive is
 * extracted (and verified in the same pass). Throws unless the bundle is intact and either
 * validly signed or explicitly allowed by the user with a reason.
 */
export async function loadBundle(path: string, opts: LoadOptions = {}): Promise<LoadedBundle> {
  const kind = await detectKind(path);
  let report: VerifyReport;
  let dir = path;
  if (kind === 'folder') {
    report = await verifyBundle(path, { trustedKeys: opts.trustedKeys, ctx: opts.ctx, pool: opts.pool });
    assertIntact(report);
  } else {
    dir = opts.extractTo ?? (await mkdtemp(join(tmpdir(), 'outpost-bundle-')));
    report = await extractBundle(path, dir, { trustedKeys: opts.trustedKeys, ctx: opts.ctx });
  }
  try {
    assertTrusted(report.signature, opts);
  } catch (e) {
    if (kind !== 'folder') await fsp.rm(dir, { recursive: true, force: true });
    throw e;
  }
  return { dir, manifest: report.manifest!, digest: report.digest!, report };
}

/**
 * Renders the values of every chart of a loaded bundle, in install order, after checking the
 * answers against the bundle's questions. Throws `bundle.answer_*` with every answer problem.
 */
export async function renderBundleValues(
  bundle: Pick<LoadedBundle, 'dir' | 'manifest'>,
  input: { facts: ValuesFacts | Record<string, unknown>; answers: Record<string, unknown> },
): Promise<RenderedValues[]> {
  const m = bundle.manifest;
  const { answers, problems } = validateAnswers(m.spec.questions, input.answers);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length) throw new OutpostError(errors[0].code, errors[0].message, { ...errors[0].params, problems: errors });
  const out: RenderedValues[] = [];
  for (const g of m.spec.groups) {
    for (const c of g.charts) {
      if (!c.values) {
        out.push({ release: c.release, template: '', text: '', values: {} });
        continue;
      }
      const template = await fsp.readFile(resolveInside(bundle.dir, c.values), 'utf8');
      const r = renderValues(template, {
        facts: input.facts,
        answers,
        bundle: { name: m.metadata.name, version: m.metadata.version, vendor: m.metadata.vendor },
        release: { name: c.release, namespace: c.namespace },
        name: c.values,
      });
      out.push({ release: c.release, template: c.values, ...r });
    }
  }
  return out;
}
