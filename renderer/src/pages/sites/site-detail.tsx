import { useCallback, useEffect, useMemo, useRef, useState, type Key } from 'react';
import { App, Breadcrumb, Button, Card, Col, Flex, Row, Statistic, Typography } from 'antd';
import { ApiOutlined, CloseOutlined, EditOutlined, ImportOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Host, JobSnapshot, SiteDetail } from '../../../../electron/core/api/types';
import { api } from '../../api';
import { errorText } from '../../i18n';
import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';
import { JobCard } from '../../components/job-view';
import { href } from '../../router';
import { useEvent, useReconnect } from '../../state/events';
import { trackJob, useJob, useJobs } from '../../state/jobs';
import { reloadSites } from '../../state/sites';
import { HostFormModal } from './host-form';
import { HostTable, hostStatus } from './host-table';
import { ImportHostsModal } from './import-hosts';
import { SiteFormModal } from './site-form';

/** Hosts a running connection test has not reached yet. */
function pendingHosts(job: JobSnapshot | undefined, hosts: Host[]): Set<string> {
  if (!job || job.state !== 'running') return new Set();
  const ids = job.params.hostIds as string[] | undefined;
  return new Set(hosts.filter((h) => (!ids || ids.includes(h.id)) && !(h.lastTest && h.lastTest.at >= job.startedAt)).map((h) => h.id));
}

/** One site: its hosts, their credentials and pinned keys, and the connection test. */
export function SiteDetailView({ siteId }: { siteId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [site, setSite] = useState<SiteDetail>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [selected, setSelected] = useState<Key[]>([]);
  const [hostForm, setHostForm] = useState<{ host?: Host } | null>(null);
  const [importing, setImporting] = useState(false);
  const [renaming, setRenaming] = useState(false);
  const [starting, setStarting] = useState(false);

  const load = useCallback(async () => {
    try {
      const s = await api.sites.get({ id: siteId });
      setSite(s);
      setError(undefined);
      setSelected((sel) => sel.filter((k) => s.hosts.some((h) => h.id === k)));
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [siteId]);

  useEffect(() => { void load(); }, [load]);
  useReconnect(load);
  useEvent('store.changed', (c) => { if (c.collection === 'hosts' || c.collection === 'sites') void load(); });

  // The connection test shown here: the one started from this screen, or one already running.
  const jobs = useJobs();
  const [jobId, setJobId] = useState<string>();
  const runningHere = jobs.find((j) => j.kind === 'hosts.test' && j.siteId === siteId && j.state === 'running');
  const shownId = jobId ?? runningHere?.id;
  const job = useJob(shownId);
  useEffect(() => { if (!jobId && runningHere) setJobId(runningHere.id); }, [jobId, runningHere]);

  const lastState = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!job) return;
    if (lastState.current === 'running' && job.state !== 'running') {
      void load();
      const r = job.result as { ok?: number; failed?: number } | undefined;
      if (job.state === 'succeeded' && r && r.failed === 0) message.success(t('test.allOk', { count: r.ok ?? 0 }));
      else if (job.state === 'succeeded' && r) message.warning(t('test.someFailed', { failed: r.failed ?? 0, count: (r.ok ?? 0) + (r.failed ?? 0) }));
      else if (job.error) message.error(errorText(t, job.error));
    }
    lastState.current = job.state;
  }, [job, load, message, t]);

  const startTest = async (hostIds?: string[]) => {
    setStarting(true);
    try {
      const { jobId: id } = await api.hosts.test({ siteId, ...(hostIds ? { hostIds } : {}) });
      lastState.current = 'running';
      trackJob(id);
      setJobId(id);
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setStarting(false);
    }
  };

  const removeHost = async (h: Host) => {
    try {
      await api.hosts.remove({ id: h.id });
      message.success(t('hosts.deleted', { name: h.name }));
      void load();
    } catch (e) {
      message.error(errorText(t, e));
    }
  };

  const hosts = useMemo(() => site?.hosts ?? [], [site]);
  const counts = useMemo(() => {
    const c = { ok: 0, failed: 0, 'key-changed': 0, untested: 0 };
    for (const h of hosts) c[hostStatus(h)]++;
    return c;
  }, [hosts]);
  const testing = job?.state === 'running';
  const pending = pendingHosts(job, hosts);

  if (error && !site) {
    return (
      <div data-testid="page-site">
        <Breadcrumb items={[{ title: <a href={href('sites')}>{t('nav.sites')}</a> }]} style={{ marginBottom: 12 }} />
        <ErrorAlert error={error} onRetry={() => void load()} />
      </div>
    );
  }

  return (
    <div data-testid="page-site" data-site-id={siteId}>
      <PageHeader
        breadcrumb={<Breadcrumb items={[{ title: <a href={href('sites')}>{t('nav.sites')}</a> }, { title: site?.name ?? '…' }]} style={{ marginBottom: 8 }} />}
        title={<Flex align="center" gap={8}><span data-testid="site-name">{site?.name ?? ''}</span>
          {site && <Button type="text" size="small" icon={<EditOutlined />} onClick={() => setRenaming(true)} aria-label={t('sites.rename')} data-testid="site-rename" />}</Flex>}
        subtitle={site?.description || t('site.subtitle')}
        extra={(
          <>
            <Button icon={<ImportOutlined />} onClick={() => setImporting(true)} data-testid="hosts-import">{t('hosts.import')}</Button>
            <Button icon={<PlusOutlined />} onClick={() => setHostForm({})} data-testid="host-add">{t('hosts.add')}</Button>
            <Button
              type="primary"
              icon={<ApiOutlined />}
              loading={starting || testing}
              disabled={hosts.length === 0}
              onClick={() => void startTest(selected.length ? selected.map(String) : undefined)}
              data-testid="hosts-test"
            >
              {selected.length ? t('test.selected', { count: selected.length }) : t('test.all')}
            </Button>
          </>
        )}
      />
      <ErrorAlert error={error} onRetry={() => void load()} />

      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('site.stats.hosts')} value={hosts.length} /></Card></Col>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('site.stats.ok')} value={counts.ok} styles={{ content: { color: counts.ok ? '#389e0d' : undefined } }} data-testid="stat-ok" /></Card></Col>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('site.stats.failed')} value={counts.failed + counts['key-changed']} styles={{ content: { color: counts.failed + counts['key-changed'] ? '#cf1322' : undefined } }} data-testid="stat-failed" /></Card></Col>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('site.stats.untested')} value={counts.untested} /></Card></Col>
      </Row>

      {job && (
        <Card
          size="small"
          title={t('test.panelTitle')}
          style={{ marginBottom: 16 }}
          data-testid="test-panel"
          data-state={job.state}
          extra={job.state !== 'running' && (
            <Button type="text" size="small" icon={<CloseOutlined />} aria-label={t('common.close')} onClick={() => setJobId(undefined)} data-testid="test-panel-close" />
          )}
        >
          <JobCard job={job} onCancel={() => void api.jobs.cancel({ id: job.id }).catch((e) => message.error(errorText(t, e)))} logHeight={160} />
        </Card>
      )}

      <Card
        title={<Flex align="center" gap={8}>{t('site.hostsTitle')}<Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 13 }}>{t('site.hostsHint')}</Typography.Text></Flex>}
        styles={{ body: { padding: 0 } }}
      >
        <HostTable
          hosts={hosts}
          loading={loading}
          selected={selected}
          onSelect={setSelected}
          testingIds={pending}
          onEdit={(h) => setHostForm({ host: h })}
          onDelete={(h) => void removeHost(h)}
          onTest={(h) => void startTest([h.id])}
          onTrusted={() => void load()}
        />
      </Card>

      <HostFormModal
        open={!!hostForm}
        siteId={siteId}
        host={hostForm?.host}
        onClose={() => setHostForm(null)}
        onSaved={(h) => {
          message.success(hostForm?.host ? t('hosts.saved', { name: h.name }) : t('hosts.added', { name: h.name }));
          setHostForm(null);
          void load();
        }}
      />
      <ImportHostsModal open={importing} siteId={siteId} onClose={() => setImporting(false)} onImported={() => void load()} />
      {site && (
        <SiteFormModal
          open={renaming}
          site={site}
          onClose={() => setRenaming(false)}
          onSaved={(s) => { setRenaming(false); message.success(t('sites.saved', { name: s.name })); void reloadSites(); void load(); }}
        />
      )}
    </div>
  );
}
