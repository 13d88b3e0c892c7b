import { useState, type Key, type ReactNode } from 'react';
import { Button, Col, Descriptions, Flex, Progress, Row, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, CodeOutlined, MinusCircleOutlined, ReloadOutlined, WarningFilled } from '@ant-design/icons';
import type { Host } from '../../../../electron/core/api/types';
import type { HostFacts, ListeningPort, Middleware, Mount } from '../../../../electron/core/probe/types';
import { errorText, msgText } from '../../i18n';
import { formatDuration, formatTime } from '../../components/format';
import type { ProbeRecord } from './data';
import { formatBytes, percent } from './format';
import { usePreflightT } from './i18n';

interface FactsRow { host: Host; facts?: HostFacts }

const MW_NAMES: Record<string, string> = { mysql: 'MySQL', mariadb: 'MariaDB', postgresql: 'PostgreSQL', redis: 'Redis', nginx: 'nginx', jdk: 'JDK' };
export const mwName = (m: Middleware) => MW_NAMES[m.name] ?? m.name;
const portLabel = (p: ListeningPort) => `${p.port}/${p.proto}`;

/** Ports shown once per port/protocol/process (IPv4 and IPv6 listeners of one daemon are one line). */
function uniquePorts(ports: ListeningPort[]): ListeningPort[] {
  const seen = new Set<string>();
  return [...ports].sort((a, b) => a.port - b.port || a.proto.localeCompare(b.proto)).filter((p) => {
    const k = `${p.proto}/${p.port}/${p.process ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function OsCell({ f }: { f: HostFacts }) {
  const { tp } = usePreflightT();
  const os = f.os;
  if (!os) return <Typography.Text type="secondary">{tp('facts.unknown')}</Typography.Text>;
  const detail = [os.id, os.versionId, os.codename, os.servicePack].filter(Boolean).join(' · ');
  return (
    <div>
      <Typography.Text strong data-testid="facts-os">{os.prettyName ?? os.name ?? os.id}</Typography.Text>
      <div className="cell-note">
        <Tag color={os.family === 'rhel' ? 'red' : os.family === 'debian' ? 'magenta' : os.family === 'suse' ? 'green' : 'default'} className="pf-mini-tag" data-testid="facts-family" data-family={os.family}>
          {tp(`facts.family.${os.family}`)}
        </Tag>
        <span className="mono">{detail}</span>
      </div>
      <div className="cell-note mono" data-testid="facts-kernel">{[f.kernel, f.arch].filter(Boolean).join(' · ')}</div>
    </div>
  );
}

function ProbeState({ f }: { f?: HostFacts }) {
  const { t, tp } = usePreflightT();
  if (!f) return <Tag icon={<MinusCircleOutlined />} data-testid="facts-state" data-state="none">{tp('facts.notProbed')}</Tag>;
  if (!f.ok) {
    return (
      <div data-testid="facts-state" data-state="failed">
        <Tag color="error" icon={<CloseCircleFilled />}>{tp('facts.failed')}</Tag>
        {f.error && <div className="cell-note cell-error">{errorText(t, f.error)}</div>}
      </div>
    );
  }
  return (
    <div data-testid="facts-state" data-state="ok">
      <Space size={4} wrap>
        <Tooltip title={tp('facts.probedAt', { at: formatTime(f.probedAt), duration: formatDuration(f.durationMs ?? 0) })}>
          <Tag color="success" icon={<CheckCircleFilled />}>{tp('facts.probed')}</Tag>
        </Tooltip>
        {f.warnings.length > 0 && <Tag color="warning" icon={<WarningFilled />}>{tp('facts.warnings', { count: f.warnings.length })}</Tag>}
      </Space>
      <div className="cell-note">{formatTime(f.probedAt)}</div>
    </div>
  );
}

function Section({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  return (
    <section className="pf-facts-section" data-testid={testId}>
      <Typography.Text strong className="pf-facts-section-title">{title}</Typography.Text>
      {children}
    </section>
  );
}

/** Everything the probe learned about one host. */
function FactsDetail({ f }: { f: HostFacts }) {
  const { t, tp } = usePreflightT();
  const yesNo = (v: boolean | null | undefined) => (v === null || v === undefined ? tp('facts.unknown') : v ? tp('facts.yes') : tp('facts.no'));
  const none = tp('facts.none');
  const ports = uniquePorts(f.ports);
  const os = f.os;
  const system = [
    { key: 'hostname', label: tp('facts.system.hostname'), children: <span className="mono">{f.hostname ?? '—'}</span> },
    { key: 'os', label: tp('facts.system.os'), children: os ? `${os.prettyName ?? os.name ?? os.id} (${tp(`facts.family.${os.family}`)})` : '—' },
    { key: 'osId', label: tp('facts.system.osId'), children: <span className="mono">{os ? [os.id, os.versionId, os.codename, os.servicePack].filter(Boolean).join(' · ') : '—'}</span> },
    { key: 'source', label: tp('facts.system.source'), children: <span className="mono">{os ? `${os.source}${os.packageManagers.length ? ` · ${os.packageManagers.join(', ')}` : ''}` : '—'}</span> },
    { key: 'kernel', label: tp('facts.system.kernel'), children: <span className="mono">{f.kernel ?? '—'}</span> },
    { key: 'arch', label: tp('facts.system.arch'), children: <span className="mono">{f.arch ?? '—'}</span> },
    { key: 'cpu', label: tp('facts.system.cpu'), children: f.cpu ? `${tp('facts.cpu', { count: f.cpu.count })}${f.cpu.model ? ` · ${f.cpu.model}` : ''}` : '—' },
    ...(f.cpu?.x86_64_v2 !== null && f.cpu?.x86_64_v2 !== undefined ? [{ key: 'x86v2', label: tp('facts.system.x86v2'), children: yesNo(f.cpu.x86_64_v2) }] : []),
    { key: 'memory', label: tp('facts.system.memory'), children: f.memory ? tp('facts.memory', { total: formatBytes(f.memory.totalBytes), available: formatBytes(f.memory.availableBytes) }) : '—' },
    { key: 'swap', label: tp('facts.system.swap'), children: f.swap ? (f.swap.totalBytes ? tp('facts.system.swapValue', { total: formatBytes(f.swap.totalBytes), free: formatBytes(f.swap.freeBytes) }) : none) : '—' },
    { key: 'selinux', label: tp('facts.system.selinux'), children: <span className="mono">{f.selinux ? `${f.selinux.mode}${f.selinux.configured && f.selinux.configured !== f.selinux.mode ? ` → ${f.selinux.configured}` : ''}` : '—'}</span> },
    { key: 'firewall', label: tp('facts.system.firewall'), children: <span className="mono">{f.firewall ? (f.firewall.active.length ? f.firewall.active.join(', ') : none) : '—'}</span> },
    {
      key: 'clock', label: tp('facts.system.clock'),
      children: f.time.skewSeconds === null ? '—' : tp('facts.system.clockValue', { skew: f.time.skewSeconds, timezone: f.time.timezone ?? '?', offset: f.time.utcOffset ?? '?' }),
    },
    { key: 'ntp', label: tp('facts.system.ntp'), children: yesNo(f.time.ntpSynced ?? f.time.ntpActive) },
    { key: 'cgroup', label: tp('facts.system.cgroup'), children: <span className="mono">{f.cgroupVersion ?? '—'}</span> },
    {
      key: 'runtimes', label: tp('facts.system.runtimes'),
      children: f.containerRuntimes.filter((r) => r.installed).length
        ? <Space size={4} wrap>{f.containerRuntimes.filter((r) => r.installed).map((r) => <Tag key={r.name} color={r.running ? 'green' : undefined}>{r.name} {r.version ?? ''} · {r.running ? tp('facts.running') : tp('facts.stopped')}</Tag>)}</Space>
        : none,
    },
    {
      key: 'k3s', label: tp('facts.system.k3s'),
      children: f.k3s?.installed ? `${f.k3s.version ?? '?'} · ${f.k3s.role ?? '?'} · ${f.k3s.running ? tp('facts.running') : tp('facts.stopped')}` : tp('facts.notInstalled'),
    },
    { key: 'sudo', label: tp('facts.system.sudo'), children: <span className="mono">{f.sudo ? `${f.sudo.user ?? '?'} · ${f.sudo.status}` : '—'}</span> },
  ];

  return (
    <div className="pf-facts-detail" data-testid="facts-detail">
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={10}>
          <Section title={tp('facts.sections.system')} testId="facts-system">
            <Descriptions size="small" column={1} bordered items={system} styles={{ label: { width: 150 } }} />
          </Section>
        </Col>
        <Col xs={24} xl={14}>
          <Flex vertical gap={16}>
            <Section title={tp('facts.sections.disks')} testId="facts-disks">
              <Table<Mount>
                size="small"
                rowKey={(m) => `${m.device}@${m.mountpoint}`}
                pagination={false}
                dataSource={f.mounts}
                locale={{ emptyText: tp('facts.noMounts') }}
                columns={[
                  { title: tp('facts.mount.mountpoint'), dataIndex: 'mountpoint', render: (v: string) => <span className="mono">{v}</span> },
                  { title: tp('facts.mount.device'), dataIndex: 'device', render: (v: string) => <span className="mono">{v}</span>, ellipsis: true },
                  { title: tp('facts.mount.fs'), dataIndex: 'fsType', width: 80, render: (v: string | null) => <span className="mono">{v ?? '—'}</span> },
                  { title: tp('facts.mount.size'), dataIndex: 'totalBytes', width: 90, align: 'right', render: (v: number) => formatBytes(v) },
                  { title: tp('facts.mount.available'), dataIndex: 'availableBytes', width: 100, align: 'right', render: (v: number) => formatBytes(v) },
                  {
                    title: tp('facts.mount.usage'), key: 'usage', width: 120,
                    render: (_, m) => {
                      const p = percent(m.usedBytes, m.usedBytes + m.availableBytes);
                      return <Progress percent={p} size="small" status={p >= 90 ? 'exception' : 'normal'} strokeColor={p >= 80 && p < 90 ? '#faad14' : undefined} />;
                    },
                  },
                ]}
              />
            </Section>
            <Section title={tp('facts.sections.ports')} testId="facts-ports">
              <Table<ListeningPort>
                size="small"
                rowKey={(p) => `${p.proto}/${p.address}/${p.port}/${p.pid ?? ''}`}
                pagination={false}
                dataSource={ports}
                locale={{ emptyText: tp('facts.noPorts') }}
                columns={[
                  { title: tp('facts.port.port'), key: 'port', width: 100, render: (_, p) => <span className="mono">{portLabel(p)}</span> },
                  { title: tp('facts.port.address'), dataIndex: 'address', render: (v: string) => <span className="mono">{v}</span> },
                  { title: tp('facts.port.process'), dataIndex: 'process', render: (v: string | null) => (v ? <span className="mono">{v}</span> : <Typography.Text type="secondary">{tp('facts.processUnknown')}</Typography.Text>) },
                  { title: tp('facts.port.pid'), dataIndex: 'pid', width: 80, render: (v: number | null) => <span className="mono">{v ?? '—'}</span> },
                ]}
              />
            </Section>
            <Section title={tp('facts.sections.middleware')} testId="facts-middleware">
              <Table<Middleware>
                size="small"
                rowKey={(m) => `${m.name}@${m.path ?? m.source}@${m.version ?? ''}`}
                pagination={false}
                dataSource={f.middleware}
                locale={{ emptyText: tp('facts.noMiddleware') }}
                columns={[
                  { title: tp('facts.mw.name'), key: 'name', render: (_, m) => <Typography.Text strong>{mwName(m)}</Typography.Text> },
                  { title: tp('facts.mw.version'), dataIndex: 'version', render: (v: string | null) => <span className="mono">{v ?? '?'}</span> },
                  {
                    title: tp('facts.mw.state'), key: 'state', width: 110,
                    render: (_, m) => (m.clientOnly ? <Tag>{tp('facts.clientOnly')}</Tag> : <Tag color={m.running ? 'green' : undefined}>{m.running ? tp('facts.running') : tp('facts.stopped')}</Tag>),
                  },
                  { title: tp('facts.mw.ports'), key: 'ports', width: 90, render: (_, m) => <span className="mono">{(m.ports.length ? m.ports : m.port ? [m.port] : []).join(', ') || '—'}</span> },
                  { title: tp('facts.mw.path'), dataIndex: 'path', ellipsis: true, render: (v: string | null) => <span className="mono">{v ?? '—'}</span> },
                  { title: tp('facts.mw.package'), dataIndex: 'package', ellipsis: true, render: (v: string | null) => <span className="mono">{v ?? '—'}</span> },
                ]}
              />
            </Section>
            <Section title={tp('facts.sections.warnings')} testId="facts-warnings">
              {f.warnings.length === 0
                ? <Typography.Text type="secondary">{tp('facts.noWarnings')}</Typography.Text>
                : (
                  <ul className="pf-warnings">
                    {f.warnings.map((w, i) => <li key={i}><Tag className="pf-mini-tag mono">{w.section}</Tag>{msgText(t, w.message)}</li>)}
                  </ul>
                )}
            </Section>
          </Flex>
        </Col>
      </Row>
    </div>
  );
}

/** One row per host of the site: the probe's key facts, expandable to everything it found. */
export function FactsTable({ hosts, probes, onRaw, onProbe, busy }: {
  hosts: Host[];
  probes: ProbeRecord[];
  onRaw: (host: Host, facts: HostFacts) => void;
  onProbe: (host: Host) => void;
  busy: boolean;
}) {
  const { t, tp } = usePreflightT();
  const rows: FactsRow[] = hosts.map((host) => ({ host, facts: probes.find((p) => p.hostId === host.id)?.facts }));
  const [expanded, setExpanded] = useState<Key[]>([]);
  return (
    <Table<FactsRow>
      rowKey={(r) => r.host.id}
      size="middle"
      dataSource={rows}
      pagination={false}
      scroll={{ x: 1200 }}
      data-testid="facts-table"
      aria-label={tp('facts.label')}
      onRow={(r) => ({ 'data-testid': `facts-row-${r.host.name}` } as object)}
      expandable={{
        expandedRowKeys: expanded,
        onExpandedRowsChange: (keys) => setExpanded([...keys]),
        rowExpandable: (r) => !!r.facts?.ok,
        expandedRowRender: (r) => (r.facts ? <FactsDetail f={r.facts} /> : null),
        columnWidth: 40,
      }}
      columns={[
        {
          title: tp('facts.col.host'), key: 'host', fixed: 'left', width: 160,
          render: (_, r) => (
            <div>
              <Typography.Text strong>{r.host.name}</Typography.Text>
              <div className="cell-note mono">{r.host.address}:{r.host.port}</div>
              {r.facts?.hostname && r.facts.hostname !== r.host.name && <div className="cell-note mono">{r.facts.hostname}</div>}
            </div>
          ),
        },
        { title: tp('facts.col.os'), key: 'os', width: 260, render: (_, r) => (r.facts?.ok ? <OsCell f={r.facts} /> : '—') },
        {
          title: tp('facts.col.resources'), key: 'resources', width: 170,
          render: (_, r) => (r.facts?.ok ? (
            <div>
              <div>{r.facts.cpu ? tp('facts.cpu', { count: r.facts.cpu.count }) : '—'}</div>
              <div className="cell-note">{r.facts.memory ? tp('facts.memory', { total: formatBytes(r.facts.memory.totalBytes), available: formatBytes(r.facts.memory.availableBytes) }) : '—'}</div>
            </div>
          ) : '—'),
        },
        {
          title: tp('facts.col.ports'), key: 'ports', width: 160,
          render: (_, r) => {
            if (!r.facts?.ok) return '—';
            const ports = uniquePorts(r.facts.ports);
            if (!ports.length) return <Typography.Text type="secondary">{tp('facts.none')}</Typography.Text>;
            return (
              <div className="pf-port-list" data-testid="facts-ports-summary">
                {ports.slice(0, 4).map((p) => (
                  <div key={`${p.proto}/${p.port}/${p.process}`} className="mono"><span className="pf-port">{portLabel(p)}</span> {p.process ?? '?'}</div>
                ))}
                {ports.length > 4 && <div className="cell-note">{tp('facts.morePorts', { count: ports.length - 4 })}</div>}
              </div>
            );
          },
        },
        {
          title: tp('facts.col.middleware'), key: 'middleware', minWidth: 220,
          render: (_, r) => (r.facts?.ok ? (
            r.facts.middleware.length
              ? <Space size={[4, 4]} wrap>{r.facts.middleware.map((m, i) => <Tag key={i} color={m.running ? 'green' : undefined} className="pf-mw-tag" title={`${mwName(m)} ${m.version ?? ''}`}>{mwName(m)} {m.version ?? ''}</Tag>)}</Space>
              : <Typography.Text type="secondary">{tp('facts.none')}</Typography.Text>
          ) : '—'),
        },
        { title: tp('facts.col.status'), key: 'status', width: 140, render: (_, r) => <ProbeState f={r.facts} /> },
        {
          title: t('common.actions'), key: 'actions', fixed: 'right', width: 96, align: 'right',
          render: (_, r) => (
            <Space size={0}>
              <Tooltip title={tp('actions.rawOutput')}>
                <Button type="text" icon={<CodeOutlined />} aria-label={`${tp('actions.rawOutput')}: ${r.host.name}`} disabled={!r.facts} onClick={() => r.facts && onRaw(r.host, r.facts)} data-testid={`facts-raw-${r.host.name}`} />
              </Tooltip>
              <Tooltip title={tp('actions.probeHost')}>
                <Button type="text" icon={<ReloadOutlined />} aria-label={`${tp('actions.probeHost')}: ${r.host.name}`} disabled={busy} onClick={() => onProbe(r.host)} data-testid={`facts-probe-${r.host.name}`} />
              </Tooltip>
            </Space>
          ),
        },
      ]}
    />
  );
}
