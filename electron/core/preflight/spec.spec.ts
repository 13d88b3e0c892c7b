import { describe, expect, it } from 'vitest';
import { OutpostError } from '../api/errors';
import { goRegExp, parsePreflightSpec } from './spec';
import { probeOptionsFromSpec } from './probe-options';
import { parseQuantity, formatBytes } from './quantity';

const GOOD = `
apiVersion: troubleshoot.sh/v1beta2
kind: HostPreflight
metadata:
  name: acme-suite
spec:
  collectors:
    - cpu: {}
    - diskUsage:
        collectorName: rancher
        path: /var/lib/rancher
    - tcpPortStatus:
        collectorName: api
        port: 6443
    - run:
        collectorName: ulimit
        command: sh
        args: ["-c", "ulimit -n"]
    - filesystemPerformance:
        collectorName: etcd
        directory: /var/lib/etcd
  analyzers:
    - cpu:
        outcomes:
          - fail: { when: "count < 2", message: At least 2 CPUs are required }
          - pass: { message: enough }
    - kernelModules:
        outcomes:
          - fail: { when: "overlay,br_netfilter != loaded,loadable", message: modules missing }
          - pass: { message: ok }
    - sysctl:
        outcomes:
          - fail: { when: "vm.max_map_count < 262144", message: too low }
          - pass: { message: ok }
    - textAnalyze:
        checkName: Open files
        fileName: host-collectors/run-host/ulimit.txt
        regexGroups: '(?P<Limit>\\d+)'
        outcomes:
          - fail: { when: "Limit < 65536", message: "only {{ .Limit }}" }
          - pass: { message: ok }
    - http:
        outcomes:
          - pass: { message: ok }
`;

function issuesOf(yaml: string): Array<{ path: string; message: string }> {
  try {
    parsePreflightSpec(yaml);
  } catch (e) {
    expect(e).toBeInstanceOf(OutpostError);
    expect((e as OutpostError).code).toBe('preflight.spec_invalid');
    return (e as OutpostError).details!.issues as Array<{ path: string; message: string }>;
  }
  throw new Error('expected the spec to be rejected');
}

describe('parsePreflightSpec', () => {
  it('reads a HostPreflight and keeps unknown types as unsupported', () => {
    const s = parsePreflightSpec(GOOD);
    expect(s.name).toBe('acme-suite');
    expect(s.analyzers.map((a) => [a.type, a.supported])).toEqual([['cpu', true], ['kernelModules', true], ['sysctl', true], ['textAnalyze', true], ['http', false]]);
    expect(s.collectors.find((c) => c.type === 'filesystemPerformance')?.supported).toBe(false);
    expect(s.collectors.find((c) => c.type === 'diskUsage')).toMatchObject({ supported: true, spec: { path: '/var/lib/rancher' } });
  });

  it('names the field of every problem', () => {
    const bad = GOOD.replace('count < 2', 'count <<< two').replace('path: /var/lib/rancher', 'path: 42').replace('port: 6443', 'port: "x"');
    const issues = issuesOf(bad);
    const paths = issues.map((i) => i.path);
    expect(paths).toContain('spec.analyzers[0].cpu.outcomes[0].fail.when');
    expect(paths).toContain('spec.collectors[1].diskUsage.path');
    expect(paths).toContain('spec.collectors[2].tcpPortStatus.port');
  });

  it('rejects the wrong kind, YAML errors, empty outcomes, two-key items and bad regexes', () => {
    expect(issuesOf(GOOD.replace('kind: HostPreflight', 'kind: Preflight')).map((i) => i.path)).toContain('kind');
    expect(issuesOf('apiVersion: [').map((i) => i.path)).toEqual(['(yaml)']);
    expect(issuesOf(GOOD.replace(/    - sysctl:\n        outcomes:\n[\s\S]*?(?=    - textAnalyze)/, '    - sysctl:\n        outcomes: []\n')).map((i) => i.path)).toContain('spec.analyzers[2].sysctl.outcomes');
    expect(issuesOf(GOOD.replace('    - cpu: {}', '    - cpu: {}\n      memory: {}')).map((i) => i.path)).toContain('spec.collectors[0]');
    expect(issuesOf(GOOD.replace("'(?P<Limit>\\d+)'", "'(?P<Limit>\\d+'")).map((i) => i.path)).toContain('spec.analyzers[3].textAnalyze.regexGroups');
    expect(issuesOf(GOOD.replace('- pass: { message: enough }', '- pass: { message: enough }\n          - {}')).map((i) => i.path)).toContain('spec.analyzers[0].cpu.outcomes[2]');
  });

  it('checks when-grammar per analyzer type', () => {
    const spec = (analyzer: string) => `apiVersion: troubleshoot.sh/v1beta2\nkind: HostPreflight\nspec:\n  analyzers:\n    - ${analyzer}`;
    const cases: Array<[string, boolean]> = [
      ['memory: { outcomes: [ { fail: { when: "< 8Gi" } } ] }', true],
      ['memory: { outcomes: [ { fail: { when: "< 8 bananas" } } ] }', false],
      ['diskUsage: { outcomes: [ { fail: { when: "used/total > 80%" } } ] }', true],
      ['diskUsage: { outcomes: [ { fail: { when: "free < 10Gi" } } ] }', false],
      ['time: { outcomes: [ { fail: { when: "ntp == unsynchronized+inactive" } } ] }', true],
      ['time: { outcomes: [ { fail: { when: "ntp == sometimes" } } ] }', false],
      ['hostOS: { outcomes: [ { pass: { when: "os == ubuntu && version >= 22.04" } } ] }', true],
      ['hostOS: { outcomes: [ { pass: { when: "centos-7.9-kernel >= 3.10" } } ] }', true],
      ['hostOS: { outcomes: [ { pass: { when: "ubuntu" } } ] }', false],
      ['tcpPortStatus: { outcomes: [ { fail: { when: "address-in-use" } } ] }', true],
      ['tcpPortStatus: { outcomes: [ { fail: { when: "in-use" } } ] }', false],
      ['cpu: { outcomes: [ { fail: { when: "supports x86-64-v9" } } ] }', false],
      ['blockDevices: { outcomes: [ { pass: { when: "sd[b-z] >= 1" } } ] }', true],
    ];
    for (const [a, ok] of cases) {
      if (ok) expect(() => parsePreflightSpec(spec(a)), a).not.toThrow();
      else expect(() => parsePreflightSpec(spec(a)), a).toThrow(/when/);
    }
  });

  it('derives extra probe options from the spec', () => {
    const o = probeOptionsFromSpec(parsePreflightSpec(GOOD));
    expect(o.kernelModules).toEqual(['overlay', 'br_netfilter']);
    expect(o.sysctls).toEqual(['vm.max_map_count']);
    expect(o.runs).toEqual([{ name: 'ulimit', command: 'sh', args: ['-c', 'ulimit -n'] }]);
  });

  it('translates Go regexes', () => {
    expect(goRegExp('(?i)(?P<Ver>\\d+)').exec('VERSION 12')?.groups?.Ver).toBe('12');
  });
});

describe('quantities', () => {
  it('reads Kubernetes quantities', () => {
    expect(parseQuantity('40Gi')).toBe(40 * 2 ** 30);
    expect(parseQuantity('10G')).toBe(10e9);
    expect(parseQuantity('1.5Ti')).toBe(1.5 * 2 ** 40);
    expect(parseQuantity('512Mi')).toBe(512 * 2 ** 20);
    expect(parseQuantity('100k')).toBe(100_000);
    expect(parseQuantity('1e9')).toBe(1e9);
    expect(parseQuantity('1024')).toBe(1024);
    expect(() => parseQuantity('ten gigs')).toThrow();
    expect(formatBytes(40 * 2 ** 30)).toBe('40.0 GiB');
  });
});
