import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

function* files(dir: string): Generator<string> {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) yield* files(p); else if (/\.tsx?$/.test(f)) yield p;
  }
}

describe('layering', () => {
  it('the lint rule rejects an electron import under electron/core and the renderer', async () => {
    const eslint = new ESLint();
    const [core] = await eslint.lintText("import { app } from 'electron';\nexport const x = app;\n", { filePath: 'electron/core/bad.ts' });
    expect(core.messages.map((m) => m.ruleId)).toContain('no-restricted-imports');
    const [ui] = await eslint.lintText("import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", { filePath: 'renderer/src/bad.ts' });
    expect(ui.messages.map((m) => m.ruleId)).toContain('@typescript-eslint/no-restricted-imports');
    const [typeOnly] = await eslint.lintText("import type { OutpostApi } from '../../electron/core/api/contract';\nexport type X = OutpostApi;\n", { filePath: 'renderer/src/ok.ts' });
    expect(typeOnly.messages).toEqual([]);
    const [runtime] = await eslint.lintText("import { contract } from '../../electron/core/api/contract';\nexport const x = contract;\n", { filePath: 'renderer/src/bad.ts' });
    expect(runtime.messages.map((m) => m.ruleId)).toContain('@typescript-eslint/no-restricted-imports');
    const [main] = await eslint.lintText("import { app } from 'electron';\nexport const x = app;\n", { filePath: 'electron/main/ok.ts' });
    expect(main.messages).toEqual([]);
  });

  it('no file under electron/core imports electron today', () => {
    const offenders = [...files('electron/core')].filter((f) => /from ['"]electron['"]|require\(['"]electron['"]\)/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});

describe('dependencies on Node 20', () => {
  it('@kubernetes/client-node imports (2.x crashes on Node 20; 1.4 is pinned)', async () => {
    const k8s = await import('@kubernetes/client-node');
    const kc = new k8s.KubeConfig();
    kc.loadFromOptions({ clusters: [{ name: 'c', server: 'https://127.0.0.1:6443' }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
    expect(kc.makeApiClient(k8s.CoreV1Api)).toBeInstanceOf(k8s.CoreV1Api);
  });
});
