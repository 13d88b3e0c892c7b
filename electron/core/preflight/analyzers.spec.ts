import { describe, expect, it } from 'vitest';
import type { HostFacts } from '../probe';
import { runPreflight } from './run';
import { parsePreflightSpec } from './spec';
import { fakeFacts } from './test-facts';
import type { CheckResult, Reachability } from './types';

const HEAD = 'apiVersion: troubleshoot.sh/v1beta2\nkind: HostPreflight\nspec:\n';

/** Runs one analyzer (plus collectors) on one host and returns its result. */
function one(analyzer: string, facts: HostFacts = fakeFacts('h1'), collectors = '', reachability?: Reachability): CheckResult {
  const spec = parsePreflightSpec(`${HEAD}  collectors:\n${collectors || '    - cpu: {}\n'}  analyzers:\n    - ${analyzer}\n`);
  const r = runPreflight({ spec, facts: [facts], reachability, requirements: { sudo: { required: false }, uniqueHostnames: false } });
  const ts = r.hosts[0].results.filter((x) => x.id.startsWith('ts.') && !x.id.startsWith('ts.collector'));
  expect(ts).toHaveLength(1);
  return ts[0];
}

const outcomes = (...o: string[]) => `{ outcomes: [ ${o.join(', ')} ] }`;
const fail = (when: string, message = 'F') => `{ fail: { when: "${when}", message: "${message}" } }`;
const warn = (when: string, message = 'W') => `{ warn: { when: "${when}", message: "${message}" } }`;
const pass = (when?: string, message = 'P') => (when ? `{ pass: { when: "${when}", message: "${message}" } }` : `{ pass: { message: "${message}" } }`);

describe('outcome semantics', () => {
  it('first match wins, in the order written', () => {
    expect(one(`cpu: ${outcomes(warn('count < 16', 'first'), fail('count < 10', 'second'), pass())}`)).toMatchObject({ status: 'warn', message: 'first' });
  });
  it('an outcome without when always matches', () => {
    expect(one(`cpu: ${outcomes(pass(undefined, 'always'), fail('count < 100'))}`)).toMatchObject({ status: 'pass', message: 'always' });
  });
  it('nothing matching is a warning, not a pass', () => {
    expect(one(`cpu: ${outcomes(fail('count < 2'))}`)).toMatchObject({ status: 'warn', message: { key: 'preflight.analyzer.noOutcome' } });
  });
  it('checkName is the title; strict and uri are kept', () => {
    const r = one(`cpu: { checkName: Cores, strict: true, outcomes: [ { fail: { when: "count < 100", message: m, uri: "https://docs/cpu" } } ] }`);
    expect(r).toMatchObject({ title: 'Cores', strict: true, uri: 'https://docs/cpu', status: 'fail', id: 'ts.0.cpu' });
  });
  it('excluded analyzers do not run; unsupported ones say so', () => {
    const spec = parsePreflightSpec(`${HEAD}  analyzers:\n    - cpu: { exclude: "true", outcomes: [ ${fail('count < 100')} ] }\n    - certificate: { outcomes: [ ${pass()} ] }\n`);
    const r = runPreflight({ spec, facts: [fakeFacts('h1')], requirements: { sudo: { required: false } } });
    const ts = r.hosts[0].results.filter((x) => x.id.startsWith('ts.'));
    expect(ts).toEqual([expect.objectContaining({ id: 'ts.1.certificate', status: 'unsupported', message: expect.objectContaining({ key: 'preflight.analyzer.unsupported' }) })]);
  });
  it('missing probe data is an error, never a guess', () => {
    expect(one(`memory: ${outcomes(fail('< 8Gi'), pass())}`, fakeFacts('h1', { memory: null }))).toMatchObject({ status: 'error', message: { key: 'preflight.data.missing' } });
  });
});

describe('cpu', () => {
  const f = fakeFacts('h1');
  it.each([
    ['count < 8', false], ['count <= 8', true], ['< 9', true], ['logical == 8', true], ['physical < 5', true],
    ['supports x86-64-v2', true], ['supports x86-64-v3', false], ['hasFlags sse4_2,popcnt', true], ['hasFlags avx512f', false],
    ['machineArch == x86_64', true], ['machineArch != x86_64', false],
  ])('%s → %s', (when, matches) => {
    expect(one(`cpu: ${outcomes(fail(when), pass())}`, f).status).toBe(matches ? 'fail' : 'pass');
  });
  it('fills {{ Info.MachineArch }}', () => {
    expect(one(`cpu: ${outcomes(fail('count > 1', 'arch {{ Info.MachineArch }}'))}`, f).message).toBe('arch x86_64');
  });
});

describe('memory and diskUsage', () => {
  it('memory compares total bytes with quantities', () => {
    expect(one(`memory: ${outcomes(fail('< 16Gi'), warn('< 32G'), pass())}`).status).toBe('warn');
    expect(one(`memory: ${outcomes(fail('>= 16Gi'), pass())}`).status).toBe('fail');
  });
  const col = '    - diskUsage: { collectorName: rancher, path: /var/lib/rancher/k3s }\n    - diskUsage: { collectorName: opt, path: /opt/acme }\n';
  it.each([
    ['rancher', 'total < 200Gi', false], ['rancher', 'total < 201Gi', true], ['rancher', 'used/total > 9%', true], ['rancher', 'used/total > 0.11', false],
    ['rancher', 'available < 180Gi', false], ['rancher', 'available/total < 91%', true], ['opt', 'total < 60Gi', true], ['opt', 'used > 9Gi', true],
  ])('%s: %s → %s (longest mount prefix)', (name, when, matches) => {
    expect(one(`diskUsage: { collectorName: ${name}, ${outcomes(fail(when), pass()).slice(2)}`, fakeFacts('h1'), col).status).toBe(matches ? 'fail' : 'pass');
  });
  it('a missing collector is named', () => {
    expect(one(`diskUsage: { collectorName: nope, ${outcomes(pass()).slice(2)}`, fakeFacts('h1'), col)).toMatchObject({ status: 'error', message: { key: 'preflight.analyzer.noCollector', params: { name: 'nope' } } });
  });
});

describe('ports', () => {
  const facts = fakeFacts('h1', { ports: [
    { proto: 'tcp', address: '127.0.0.1', port: 3306, process: 'mysqld', pid: 12 },
    { proto: 'udp', address: '0.0.0.0', port: 8472, process: null, pid: null },
  ] });
  const col = '    - tcpPortStatus: { collectorName: mysql, port: 3306 }\n    - tcpPortStatus: { collectorName: api, port: 6443 }\n    - udpPortStatus: { collectorName: vxlan, port: 8472 }\n';
  const spec = (name: string, type = 'tcpPortStatus') => `${type}: { collectorName: ${name}, outcomes: [ { fail: { when: "address-in-use", message: taken } }, { fail: { when: "connection-refused", message: refused } }, { pass: { when: "connected", message: free } } ] }`;
  it('a port something listens on is address-in-use, a free one connected', () => {
    expect(one(spec('mysql'), facts, col)).toMatchObject({ status: 'fail', message: 'taken' });
    expect(one(spec('api'), facts, col)).toMatchObject({ status: 'pass', message: 'free' });
    expect(one(spec('vxlan', 'udpPortStatus'), facts, col)).toMatchObject({ status: 'fail', message: 'taken' });
  });
  it('without a port list the answer is an error', () => {
    expect(one(spec('api'), fakeFacts('h1', { portsSource: null, ports: [] }), col).status).toBe('error');
  });
  it('tcpConnect reads the injected reachability matrix', () => {
    const c = '    - tcpConnect: { collectorName: db, address: "10.0.0.9:5432" }\n';
    const a = `tcpConnect: { collectorName: db, outcomes: [ ${fail('connection-refused', 'refused')}, ${fail('connection-timeout', 'timeout')}, ${pass('connected', 'ok')} ] }`;
    expect(one(a, fakeFacts('h1'), c, [{ from: 'h1', to: '10.0.0.9', port: 5432, proto: 'tcp', status: 'connection-timeout' }])).toMatchObject({ status: 'fail', message: 'timeout' });
    expect(one(a, fakeFacts('h1'), c, [{ from: 'h1', to: '10.0.0.9', port: 5432, proto: 'tcp', status: 'connected' }])).toMatchObject({ status: 'pass' });
    expect(one(a, fakeFacts('h1'), c, [])).toMatchObject({ status: 'warn', message: { key: 'preflight.reach.unmeasured' } });
  });
});

describe('time, hostOS, kernelModules, sysctl, hostServices', () => {
  const ntp = `time: ${outcomes(fail('ntp == unsynchronized+inactive', 'off'), warn('ntp == unsynchronized+active', 'syncing'), fail('timezone != Asia/Shanghai', 'tz'), pass('ntp == synchronized+active', 'ok'))}`;
  it('time', () => {
    expect(one(ntp).status).toBe('pass');
    expect(one(ntp, fakeFacts('h', { time: { ...fakeFacts('h').time, ntpSynced: false, ntpActive: false } })).message).toBe('off');
    expect(one(ntp, fakeFacts('h', { time: { ...fakeFacts('h').time, ntpSynced: false, ntpActive: true } })).message).toBe('syncing');
    expect(one(ntp, fakeFacts('h', { time: { ...fakeFacts('h').time, timezone: 'UTC' } })).message).toBe('tz');
    expect(one(ntp, fakeFacts('h', { time: { ...fakeFacts('h').time, ntpSynced: null, ntpActive: null } })).status).toBe('error');
  });

  it.each([
    ['rocky >= 9', true], ['rocky >= 9.4', false], ['centos >= 7', false], ['os == rocky && version >= 9.3', true],
    ['os == ubuntu && version >= 22.04', false], ['family == rhel', true], ['kernelVersion >= 5.14', true], ['kernelVersion < 4.18', false],
    ['rocky-9.3-kernel >= 5.14', true], ['os == ubuntu || family == rhel', true], ['arch == aarch64', false],
  ])('hostOS %s → %s', (when, matches) => {
    expect(one(`hostOS: ${outcomes(pass(when), fail(''))}`.replace('{ fail: { when: "", message: "F" } }', '{ fail: { message: "F" } }')).status).toBe(matches ? 'pass' : 'fail');
  });

  it('hostOS on the domestic distributions (Kylin V10, openEuler, UOS via redhat name)', () => {
    const kylin = fakeFacts('k', { os: { ...fakeFacts('k').os!, id: 'kylin', versionId: 'V10', family: 'rhel' } });
    expect(one(`hostOS: ${outcomes(pass('kylin >= 10'), fail('', 'x').replace('when: "", ', ''))}`, kylin).status).toBe('pass');
    const rhel = fakeFacts('r', { os: { ...fakeFacts('r').os!, id: 'rhel', versionId: '8.9' } });
    expect(one(`hostOS: ${outcomes(pass('redhat >= 8'), '{ fail: { message: x } }')}`, rhel).status).toBe('pass');
  });

  it('kernelModules (builtin counts as loaded; absent is neither loaded nor loadable)', () => {
    const k = (when: string) => one(`kernelModules: ${outcomes(fail(when), pass())}`).status;
    expect(k('overlay,nf_conntrack == loaded')).toBe('fail');
    expect(k('br_netfilter == loaded')).toBe('pass');
    expect(k('br_netfilter == loaded,loadable')).toBe('fail');
    expect(k('overlay,br_netfilter != loaded,loadable')).toBe('pass');
    expect(k('ip_vs != loaded')).toBe('fail');
    expect(k('never_probed == loaded')).toBe('error');
  });

  it('sysctl (a missing parameter never matches)', () => {
    const s = (when: string) => one(`sysctl: ${outcomes(fail(when), pass())}`).status;
    expect(s('net.ipv4.ip_forward = 0')).toBe('pass');
    expect(s('net.ipv4.ip_forward = 1')).toBe('fail');
    expect(s('vm.max_map_count < 262144')).toBe('fail');
    expect(s('net.bridge.bridge-nf-call-iptables = 0')).toBe('pass');
    expect(s('net.ipv4.ip_local_port_range = 32768 60999')).toBe('fail');
  });

  it('hostServices', () => {
    const h = (when: string, f?: HostFacts) => one(`hostServices: ${outcomes(fail(when), pass())}`, f).status;
    expect(h('firewalld.service = active')).toBe('fail');
    expect(h('firewalld = active,running')).toBe('fail');
    expect(h('ufw.service = active')).toBe('pass');
    expect(h('chronyd.service != active')).toBe('pass');
    expect(h('firewalld.service = active', fakeFacts('h', { services: null }))).toBe('error');
  });
});

describe('blockDevices and textAnalyze', () => {
  it('counts unused whole disks matching the regex, above the minimum size', () => {
    const b = (extra: string, when: string) => one(`blockDevices: { ${extra}outcomes: [ ${pass(when)}, { fail: { message: none } } ] }`).status;
    expect(b('', 'sdc == 1')).toBe('pass');
    expect(b('', 'sd[a-z] == 1')).toBe('pass'); // sda has a partition
    expect(b('minimumAcceptableSize: 1099511627776, ', '.* >= 1')).toBe('fail');
    expect(b('includeUnmountedPartitions: true, ', '.* == 1')).toBe('pass'); // sda1 is mounted
  });

  it('regex and regexGroups over run collector output', () => {
    const facts = fakeFacts('h1', { files: { 'host-collectors/run-host/ulimit.txt': '1024\n' } });
    const c = '    - run: { collectorName: ulimit, command: sh, args: ["-c", "ulimit -n"] }\n';
    const groups = `textAnalyze: { fileName: host-collectors/run-host/ulimit.txt, regexGroups: '(?P<Limit>\\d+)', outcomes: [ { fail: { when: "Limit < 65536", message: "only {{ .Limit }}" } }, { pass: { message: ok } } ] }`;
    expect(one(groups, facts, c)).toMatchObject({ status: 'fail', message: 'only 1024' });
    const rx = `textAnalyze: { fileName: "host-collectors/run-host/*.txt", regex: '^\\d{5,}', outcomes: [ { pass: { when: "true", message: big } }, { fail: { when: "false", message: small } } ] }`;
    expect(one(rx, facts, c)).toMatchObject({ status: 'fail', message: 'small' });
    const none = `textAnalyze: { fileName: nothing.txt, regex: x, outcomes: [ { pass: { message: ok } } ] }`;
    expect(one(none, facts, c)).toMatchObject({ status: 'warn', message: { key: 'preflight.textAnalyze.noFiles' } });
    const spec = parsePreflightSpec(`${HEAD}  analyzers:\n    - textAnalyze: { fileName: nothing.txt, ignoreIfNoFiles: true, regex: x, outcomes: [ { pass: { message: ok } } ] }\n`);
    expect(runPreflight({ spec, facts: [facts], requirements: { sudo: { required: false } } }).hosts[0].results.filter((r) => r.id.startsWith('ts.'))).toEqual([]);
  });
});

describe('every analyzer runs on every host', () => {
  it('one result per host, and a host that could not be probed gets one clear error', () => {
    const spec = parsePreflightSpec(`${HEAD}  analyzers:\n    - memory: ${outcomes(fail('< 32Gi', 'small'), pass())}\n`);
    const big = fakeFacts('big', { memory: { totalBytes: 64 * 2 ** 30, availableBytes: 1 } });
    const down = { ...fakeFacts('down'), ok: false, error: { code: 'ssh.connect_failed', message: 'connect ECONNREFUSED' } };
    const r = runPreflight({ spec, facts: [fakeFacts('small'), big, down], requirements: { sudo: { required: false } } });
    expect(r.hosts.map((h) => [h.host, h.results.find((x) => x.id === 'ts.0.memory')?.status ?? h.results[0].id])).toEqual([['small', 'fail'], ['big', 'pass'], ['down', 'outpost.probe']]);
    expect(r.hosts[2].results[0]).toMatchObject({ status: 'error', message: { params: { reason: 'connect ECONNREFUSED' } } });
  });
});
