import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Alert, App, Badge, Button, Card, Dropdown, Flex, Result, Skeleton, Tabs, Typography } from 'antd';
import {
  CloseOutlined, DownloadOutlined, FileTextOutlined, CodeOutlined, RadarChartOutlined, SafetyCertificateOutlined, ClusterOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Host } from '../../../../electron/core/api/types';
import type { HostFacts } from '../../../../electron/core/probe/types';
import type { PreflightSummary } from '../../../../electron/core/preflight/types';
import { api } from '../../api';
import { errorText } from '../../i18n';
import { ErrorAlert } from '../../components/error-alert';
import { JobCard } from '../../components/job-view';
import { PageHeader } from '../../components/page-header';
import { navigate } from '../../router';
import { useSites } from '../../state/sites';
import { PreflightBanner } from './banner';
import { CheckDrawer } from './check-drawer';
import { CheckGrid, type CellRef } from './check-grid';
import {
  followJob, loadInputs, rerunForHost, saveInputs, startPreflight, startProbe, useFollowedJob, usePreflightData, type RunInputs,
} from './data';
import { FactsTable } from './facts-table';
import { downloadText } from './format';
import { buildGrid, type GridHost } from './grid-model';
import { usePreflightT } from './i18n';
import { OverrideModal } from './override-modal';
import { RawOutputModal } from './raw-output';
import { RunModal } from './run-modal';
import { SummaryBar } from './status';
import './preflight.css';

/** A screen with nothing to show yet: what will be here, and the first steps to get there. */
function FirstSteps({ title, text, steps, actions }: { title: string; text: string; steps: string[]; actions?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Card className="empty-card">
      <Result
        icon={<span className="empty-icon"><SafetyCertificateOutlined /></span>}
        title={<span data-testid="empty-title">{title}</span>}
        subTitle={<span data-testid="empty-text">{text}</span>}
        extra={actions}
      />
      {steps.length > 0 && (
        <div className="first-steps">
          <Typography.Text strong>{t('common.firstSteps')}</Typography.Text>
          <ol>{steps.map((s, i) => <li key={i}>{s}</li>)}</ol>
        </div>
      )}
    </Card>
  );
}

/** Preflight: probe the site's hosts, hold them against the bundle's requirements, pass / warn / fail per check. */
export default function PreflightPage() {
  const { tp } = usePreflightT();
  const { loaded, current } = useSites();
  if (!loaded) return <div data-testid="page-preflight"><Skeleton active /></div>;
  if (!current) {
    return (
      <div data-testid="page-preflight">
        <PageHeader title={tp('title')} subtitle={tp('subtitle')} />
        <FirstSteps
          title={tp('empty.noSiteTitle')}
          text={tp('empty.noSiteText')}
          steps={[tp('empty.steps.1'), tp('empty.steps.2'), tp('empty.steps.3')]}
          actions={<Button type="primary" onClick={() => navigate('sites')}>{tp('empty.goSites')}</Button>}
        />
      </div>
    );
  }
  return <SitePreflight key={current.id} siteId={current.id} siteName={current.name} />;
}

function SitePreflight({ siteId, siteName }: { siteId: string; siteName: string }) {
  const { t, tp } = usePreflightT();
  const { i18n } = useTranslation();
  const { message } = App.useApp();
  const data = usePreflightData(siteId);
  const { site, probes, record } = data;
  const { job, running, chain } = useFollowedJob(siteId);
  const busy = !!running || !!chain;
  const hosts = useMemo(() => site?.hosts ?? [], [site]);

  const [tab, setTab] = useState<'checks' | 'facts'>();
  const [runOpen, setRunOpen] = useState(false);
  const [overrideOpen, setOverrideOpen] = useState(false);
  const [cell, setCell] = useState<CellRef | null>(null);
  const [raw, setRaw] = useState<{ host: string; facts: HostFacts }>();
  const [starting, setStarting] = useState<'probe' | 'preflight'>();
  const inputs = useMemo(() => loadInputs(siteId, record, site?.bundleDigest), [siteId, record, site, runOpen]);

  const grid = useMemo(() => (record ? buildGrid(record.report, hosts) : null), [record, hosts]);
  const activeTab = tab ?? (record ? 'checks' : 'facts');

  // When the followed job ends: fresh data, and a word on how it went.
  const lastState = useRef<string | undefined>(undefined);
  const lastId = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!job) return;
    if (lastId.current === job.id && lastState.current === 'running' && job.state !== 'running') {
      void data.reload();
      if (job.state === 'succeeded' && job.kind === 'probe.run') {
        const hs = (job.result as { hosts?: { ok: boolean }[] } | undefined)?.hosts ?? [];
        message.success(tp('job.probeDone', { ok: hs.filter((h) => h.ok).length, count: hs.length }));
        if (!chain) setTab('facts');
      } else if (job.state === 'succeeded' && job.kind === 'preflight.run') {
        const s = job.result as PreflightSummary | undefined;
        if (s) (s.fail + s.error ? message.warning : message.success)(tp('job.preflightDone', { fail: s.fail + s.error, warn: s.warn, pass: s.pass }));
        setTab('checks');
      } else if (job.error) {
        message.error(errorText(t, job.error));
      }
    }
    lastId.current = job.id;
    lastState.current = job.state;
  }, [job, data, message, t, tp, chain]);

  const act = async (kind: 'probe' | 'preflight', fn: () => Promise<unknown>) => {
    setStarting(kind);
    try {
      await fn();
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setStarting(undefined);
    }
  };

  const probe = (h?: Host) => act('probe', () => startProbe(siteId, h ? [h.id] : undefined));
  const run = async (v: RunInputs) => {
    try {
      await startPreflight(siteId, v);
      saveInputs(siteId, v);
      setRunOpen(false);
      setTab('checks');
    } catch (e) {
      message.error(errorText(t, e));
    }
  };
  const rerun = (h: GridHost) => {
    const host = hosts.find((x) => x.id === h.hostId);
    if (!host) return;
    rerunForHost(siteId, host, loadInputs(siteId, record, site?.bundleDigest)).then(
      (j) => { if (j.state !== 'succeeded' && j.error) message.error(errorText(t, j.error)); },
      (e) => message.error(errorText(t, e)),
    );
  };
  const exportAs = async (format: 'json' | 'html') => {
    try {
      const r = await api.preflight.export({ siteId, format, lang: i18n.language === 'zh-CN' ? 'zh-CN' : 'en' });
      downloadText(r.filename, r.mime, r.content);
      message.success(tp('actions.exported', { filename: r.filename }));
    } catch (e) {
      message.error(errorText(t, e));
    }
  };

  const actions = (
    <>
      <Button icon={<RadarChartOutlined />} onClick={() => void probe()} loading={starting === 'probe' || running?.kind === 'probe.run'} disabled={busy || !hosts.length} data-testid="preflight-probe">
        {tp('actions.probe')}
      </Button>
      <Button type="primary" icon={<SafetyCertificateOutlined />} onClick={() => setRunOpen(true)} loading={running?.kind === 'preflight.run'} disabled={busy || !hosts.length} data-testid="preflight-run">
        {tp('actions.run')}
      </Button>
      <Dropdown
        disabled={!record}
        trigger={['click']}
        menu={{
          items: [
            { key: 'html', icon: <FileTextOutlined />, label: <span data-testid="export-html">{tp('actions.exportHtml')}</span> },
            { key: 'json', icon: <CodeOutlined />, label: <span data-testid="export-json">{tp('actions.exportJson')}</span> },
          ],
          onClick: ({ key }) => void exportAs(key as 'json' | 'html'),
        }}
      >
        <Button icon={<DownloadOutlined />} data-testid="preflight-export">{tp('actions.export')}</Button>
      </Dropdown>
    </>
  );

  const chainNote = chain && (
    <Alert type="info" showIcon data-testid="preflight-chain" style={{ marginBottom: 8 }}
      title={tp('job.chainRerun', { host: chain.hostName })} />
  );

  const body = () => {
    if (!data.loaded) return <Card><Skeleton active /></Card>;
    if (!hosts.length) {
      return (
        <FirstSteps
          title={tp('empty.noHostsTitle')}
          text={tp('empty.noHostsText')}
          steps={[tp('empty.steps.1'), tp('empty.steps.2'), tp('empty.steps.3')]}
          actions={<Button type="primary" icon={<ClusterOutlined />} onClick={() => navigate('sites', siteId)}>{tp('empty.addHosts')}</Button>}
        />
      );
    }
    if (!probes.length && !record) {
      return (
        <FirstSteps
          title={tp('empty.title')}
          text={tp('empty.text')}
          steps={[tp('empty.steps.1'), tp('empty.steps.2'), tp('empty.steps.3')]}
        />
      );
    }
    const problems = record ? record.report.summary.fail + record.report.summary.error : 0;
    return (
      <Tabs
        activeKey={activeTab}
        onChange={(k) => setTab(k as 'checks' | 'facts')}
        data-testid="preflight-tabs"
        items={[
          {
            key: 'checks',
            label: <span data-testid="tab-checks">{tp('tabs.checks')} {record && <Badge count={problems} size="small" color={problems ? '#cf1322' : undefined} showZero={false} />}</span>,
            children: record && grid ? (
              <Flex vertical gap={12}>
                <PreflightBanner record={record} onOverride={() => setOverrideOpen(true)} disabled={busy} />
                <SummaryBar record={record} />
                <CheckGrid grid={grid} onOpen={setCell} onRerun={rerun} busy={busy} />
              </Flex>
            ) : (
              <Card>
                <Result
                  icon={<span className="empty-icon"><SafetyCertificateOutlined /></span>}
                  title={<span data-testid="no-record-title">{tp('noRecord.title')}</span>}
                  subTitle={tp('noRecord.text')}
                  extra={<Button type="primary" onClick={() => setRunOpen(true)} disabled={busy}>{tp('actions.run')}</Button>}
                />
              </Card>
            ),
          },
          {
            key: 'facts',
            label: <span data-testid="tab-facts">{tp('tabs.facts')} <Typography.Text type="secondary">({probes.filter((p) => hosts.some((h) => h.id === p.hostId)).length}/{hosts.length})</Typography.Text></span>,
            children: (
              <Card styles={{ body: { padding: 0 } }}>
                <FactsTable hosts={hosts} probes={probes} busy={busy} onProbe={(h) => void probe(h)} onRaw={(h, f) => setRaw({ host: h.name, facts: f })} />
              </Card>
            ),
          },
        ]}
      />
    );
  };

  return (
    <div data-testid="page-preflight" data-site-id={siteId}>
      <PageHeader
        title={<Flex align="baseline" gap={10} wrap>{tp('title')}<Typography.Text type="secondary" className="pf-site-name" data-testid="preflight-site">{siteName}</Typography.Text></Flex>}
        subtitle={tp('subtitle')}
        extra={actions}
      />
      <ErrorAlert error={data.error} onRetry={() => void data.reload()} />
      {job && (
        <Card
          size="small"
          title={tp('job.panelTitle')}
          className="pf-job-panel"
          data-testid="preflight-job"
          data-state={job.state}
          data-kind={job.kind}
          extra={job.state !== 'running' && !chain && (
            <Button type="text" size="small" icon={<CloseOutlined />} aria-label={t('common.close')} onClick={() => followJob(siteId, undefined)} data-testid="preflight-job-close" />
          )}
        >
          {chainNote}
          <JobCard job={job} logHeight={140} onCancel={() => void api.jobs.cancel({ id: job.id }).catch((e) => message.error(errorText(t, e)))} />
        </Card>
      )}
      {body()}

      <RunModal open={runOpen} siteName={siteName} initial={inputs} onClose={() => setRunOpen(false)} onRun={run} />
      <OverrideModal open={overrideOpen} siteId={siteId} onClose={() => setOverrideOpen(false)} onDone={() => { setOverrideOpen(false); void data.reload(); }} />
      {grid && <CheckDrawer cell={cell} grid={grid} onClose={() => setCell(null)} onSelect={setCell} onRerun={rerun} busy={busy} />}
      <RawOutputModal host={raw?.host} facts={raw?.facts} onClose={() => setRaw(undefined)} />
    </div>
  );
}
