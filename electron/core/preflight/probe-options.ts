import type { ProbeScriptOptions } from '../probe';
import type { PreflightSpec } from './spec';

/**
 * What the probe must look at for this spec beyond its defaults: the kernel modules and sysctls the
 * analyzers name, and the `run`/`copy` collectors whose output textAnalyze reads. Merge it into the
 * probe options before probing, or those analyzers report missing data.
 */
export function probeOptionsFromSpec(spec: PreflightSpec | null | undefined): ProbeScriptOptions {
  const kernelModules = new Set<string>();
  const sysctls = new Set<string>();
  const runs: NonNullable<ProbeScriptOptions['runs']> = [];
  const copies: NonNullable<ProbeScriptOptions['copies']> = [];
  for (const a of spec?.analyzers ?? []) {
    if (!a.supported || (a.type !== 'kernelModules' && a.type !== 'sysctl')) continue;
    for (const o of a.spec.outcomes) {
      for (const s of [o.fail, o.warn, o.pass, o.fatal]) {
        const w = s?.when?.trim();
        if (!w) continue;
        if (a.type === 'kernelModules') for (const n of w.split(/\s+/)[0].split(',')) if (/^[A-Za-z0-9_-]+$/.test(n)) kernelModules.add(n);
        if (a.type === 'sysctl') { const k = w.split(/\s+/)[0]; if (/^[A-Za-z0-9_.-]+$/.test(k)) sysctls.add(k); }
      }
    }
  }
  spec?.collectors.forEach((c, i) => {
    if (!c.supported) return;
    const name = (c.spec as { collectorName?: string }).collectorName || `${c.type}-${i}`;
    if (c.type === 'run') runs.push({ name, command: c.spec.command, args: c.spec.args ?? [] });
    if (c.type === 'copy') copies.push({ name, path: c.spec.path });
  });
  return { kernelModules: [...kernelModules], sysctls: [...sysctls], runs, copies };
}
