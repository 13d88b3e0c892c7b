import { describe, expect, it } from 'vitest';
import { OutpostError } from '../api/errors';
import { createI18n } from '../i18n';
import { buildProbeScript, parseProbeOutput } from '../probe';
import { runLocal } from '../probe/test-helpers';
import { probeOptionsFromSpec } from './probe-options';
import { preflightExitCode, preflightToHtml, preflightToJson } from './report';
import { runPreflight, summarize } from './run';
import { parsePreflightSpec } from './spec';
import { fakeFacts } from './test-facts';
import type { CheckResult, PreflightReport } from './types';

function report(statuses: CheckResult['status'][]): PreflightReport {
  const hosts = [{ host: 'h', results: statuses.map((status, i) => ({ id: `x${i}`, analyzer: 'cpu', title: 't', status, message: 'm' })) }];
  return { name: null, generatedAt: '', hosts, site: [], summary: summarize(hosts) };
}

describe('exit codes (troubleshoot preflight)', () => {
  it('0 all pass, 3 a fail, 4 warnings only, 2 spec error, 1 other errors', () => {
    expect(preflightExitCode(report(['pass', 'pass']))).toBe(0);
    expect(preflightExitCode(report(['pass', 'warn', 'fail']))).toBe(3);
    expect(preflightExitCode(report(['pass', 'warn']))).toBe(4);
    expect(preflightExitCode(report(['pass', 'unsupported']))).toBe(4);
    expect(preflightExitCode(report(['pass', 'error']))).toBe(3);
    let specError: unknown;
    try { parsePreflightSpec('kind: nope'); } catch (e) { specError = e; }
    expect(preflightExitCode(specError)).toBe(2);
    expect(preflightExitCode(new OutpostError('ssh.connect_failed', 'x'))).toBe(1);
  });
});

describe('HTML and JSON export', () => {
  const spec = parsePreflightSpec(`apiVersion: troubleshoot.sh/v1beta2
kind: HostPreflight
metadata: { name: "acme <suite>" }
spec:
  analyzers:
    - memory:
        checkName: 内存
        outcomes:
          - fail: { when: "< 32Gi", message: "至少需要 32 GiB 内存 <b>", uri: "https://example.invalid/mem?a=1&b=2" }
          - pass: { message: 内存充足 }
    - ipv4Interfaces:
        outcomes: [ { pass: { message: ok } } ]
`);
  const r = runPreflight({ spec, facts: [fakeFacts('node-1'), fakeFacts('node-2', { memory: { totalBytes: 64 * 2 ** 30, availableBytes: 1 } })], requirements: { middleware: [{ name: 'redis' }] } });

  it('is a standalone table of host × check, escaped, with vendor messages as written', () => {
    const html = preflightToHtml(r);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link/);
    expect(html).toContain('<th scope="col">node-1</th><th scope="col">node-2</th>');
    expect(html).toContain('至少需要 32 GiB 内存 &lt;b&gt;');
    expect(html).toContain('内存充足');
    expect(html).toContain('href="https://example.invalid/mem?a=1&amp;b=2"');
    expect(html).toContain('acme &lt;suite&gt;');
    expect(html).toContain('Not supported');
    expect(html).toContain('Whole site');
    expect(html).toContain('No host has redis.');
  });

  it('renders Outpost messages in Chinese with a translator', async () => {
    const { t } = await createI18n('zh-CN');
    const html = preflightToHtml(r, t, { lang: 'zh-CN' });
    expect(html).toContain('lang="zh-CN"');
    expect(html).toContain('预检报告');
    expect(html).toContain('所有主机都没有 redis。');
    expect(html).toContain('至少需要 32 GiB 内存'); // vendor text unchanged
  });

  it('JSON keeps message keys, params and English text', () => {
    const back = JSON.parse(preflightToJson(r)) as PreflightReport;
    expect(back.summary).toEqual(r.summary);
    expect(back.site[0].message).toMatchObject({ key: 'preflight.middleware.missingEverywhere', text: 'No host has redis.' });
  });
});

describe('end to end on this machine', () => {
  it('probes this host for real (dash) and runs a spec against it', async () => {
    const spec = parsePreflightSpec(`apiVersion: troubleshoot.sh/v1beta2
kind: HostPreflight
metadata: { name: local }
spec:
  collectors:
    - diskUsage: { collectorName: root, path: / }
    - tcpPortStatus: { collectorName: free, port: 1 }
    - run: { collectorName: osname, command: uname, args: ["-s"] }
  analyzers:
    - cpu: { outcomes: [ { fail: { when: "count < 1", message: no cpu } }, { pass: { message: cpus ok } } ] }
    - memory: { outcomes: [ { fail: { when: "< 128Mi", message: tiny } }, { pass: { message: mem ok } } ] }
    - diskUsage: { collectorName: root, outcomes: [ { fail: { when: "total < 1Mi", message: small } }, { pass: { message: disk ok } } ] }
    - tcpPortStatus: { collectorName: free, outcomes: [ { fail: { when: "address-in-use", message: taken } }, { pass: { when: connected, message: port ok } } ] }
    - hostOS: { outcomes: [ { pass: { when: "os == debian && version >= 12", message: debian ok } }, { fail: { message: other os } } ] }
    - kernelModules: { outcomes: [ { fail: { when: "overlay == unknown", message: never } }, { pass: { message: modules read } } ] }
    - sysctl: { outcomes: [ { fail: { when: "vm.max_map_count < 1", message: never } }, { pass: { message: sysctl read } } ] }
    - textAnalyze: { fileName: host-collectors/run-host/osname.txt, regex: Linux, outcomes: [ { pass: { when: "true", message: linux } }, { fail: { when: "false", message: not linux } } ] }
`);
    const script = buildProbeScript({ ...probeOptionsFromSpec(spec) });
    const sentAt = Date.now();
    const out = await runLocal(script);
    const facts = parseProbeOutput(out.stdout, { host: 'local', sentAt, receivedAt: Date.now() });
    const r = runPreflight({ spec, facts: [facts], requirements: { sudo: { required: false } } });
    const ts = r.hosts[0].results.filter((x) => x.id.startsWith('ts.'));
    expect(ts.map((x) => `${x.analyzer}:${x.status}:${typeof x.message === 'string' ? x.message : x.message.text}`)).toEqual([
      'cpu:pass:cpus ok', 'memory:pass:mem ok', 'diskUsage:pass:disk ok', 'tcpPortStatus:pass:port ok', 'hostOS:pass:debian ok',
      'kernelModules:pass:modules read', 'sysctl:pass:sysctl read', 'textAnalyze:pass:linux',
    ]);
  });
});
