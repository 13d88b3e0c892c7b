import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Checkbox, Flex, Input, Table, Tag, Tooltip, Typography } from 'antd';
import { ReloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { AuditEntry, AuditVerifyResult } from '../../../../electron/core/api/types';
import { api } from '../../api';
import { errorText } from '../../i18n';
import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';
import { formatTime } from '../../components/format';
import { useEvent, useReconnect } from '../../state/events';
import { useSites } from '../../state/sites';

const OUTCOME_COLORS: Record<AuditEntry['outcome'], string> = { ok: 'success', error: 'error', refused: 'volcano', info: 'default' };

/** The hash-chained audit log: who did what, where, and whether the chain is intact. */
export default function AuditPage() {
  const { t } = useTranslation();
  const { sites, currentId, current } = useSites();
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();
  const [onlySite, setOnlySite] = useState(false);
  const [search, setSearch] = useState('');
  const [verify, setVerify] = useState<AuditVerifyResult | { failed: unknown }>();
  const [verifying, setVerifying] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setEntries(await api.audit.list({ limit: 2000, ...(onlySite && currentId ? { siteId: currentId } : {}) }));
      setError(undefined);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [onlySite, currentId]);

  useEffect(() => { void load(); }, [load]);
  useReconnect(load);
  // Every change to sites and hosts is audited; keep the table current while it is open.
  useEvent('store.changed', () => { void load(); });
  useEvent('job', (e) => { if (e.type === 'snapshot' && e.job.state !== 'running') void load(); });

  const runVerify = async () => {
    setVerifying(true);
    try { setVerify(await api.audit.verify()); } catch (e) { setVerify({ failed: e }); } finally { setVerifying(false); }
  };

  const siteName = useMemo(() => new Map(sites.map((s) => [s.id, s.name])), [sites]);
  const rows = useMemo(() => {
    const q = search.trim().toLowerCase();
    const sorted = [...entries].sort((a, b) => b.seq - a.seq);
    if (!q) return sorted;
    return sorted.filter((e) => [e.action, e.actor, e.target, e.detail, e.outcome, siteName.get(e.siteId ?? '')]
      .some((v) => v?.toLowerCase().includes(q)));
  }, [entries, search, siteName]);

  return (
    <div data-testid="page-audit">
      <PageHeader
        title={t('audit.title')}
        subtitle={t('audit.subtitle')}
        extra={(
          <>
            <Button icon={<ReloadOutlined />} onClick={() => void load()} data-testid="audit-reload">{t('common.refresh')}</Button>
            <Button type="primary" icon={<SafetyCertificateOutlined />} loading={verifying} onClick={() => void runVerify()} data-testid="audit-verify">
              {t('audit.verify')}
            </Button>
          </>
        )}
      />
      {verify && ('failed' in verify ? (
        <Alert type="error" showIcon closable={{ onClose: () => setVerify(undefined) }} style={{ marginBottom: 16 }}
          title={t('audit.verifyFailed')} description={errorText(t, verify.failed)} data-testid="audit-verify-result" data-ok="false" />
      ) : verify.ok ? (
        <Alert type="success" showIcon closable={{ onClose: () => setVerify(undefined) }} style={{ marginBottom: 16 }}
          title={t('audit.intact', { count: verify.entries })} description={t('audit.intactHint')} data-testid="audit-verify-result" data-ok="true" />
      ) : (
        <Alert type="error" showIcon closable={{ onClose: () => setVerify(undefined) }} style={{ marginBottom: 16 }}
          title={t('audit.broken', { seq: verify.brokenAt ?? '?' })}
          description={<>{verify.reason && <div>{verify.reason}</div>}<div>{t('audit.brokenHint')}</div></>}
          data-testid="audit-verify-result" data-ok="false" />
      ))}
      <ErrorAlert error={error} onRetry={() => void load()} />
      <Card styles={{ body: { padding: 0 } }}>
        <Flex gap={12} align="center" wrap style={{ padding: '12px 16px' }}>
          <Input.Search allowClear placeholder={t('audit.search')} style={{ width: 280 }} value={search} onChange={(e) => setSearch(e.target.value)} aria-label={t('audit.search')} />
          <Checkbox checked={onlySite} disabled={!current} onChange={(e) => setOnlySite(e.target.checked)} data-testid="audit-only-site">
            {current ? t('audit.onlySite', { name: current.name }) : t('audit.onlySiteNone')}
          </Checkbox>
          <Typography.Text type="secondary" style={{ marginLeft: 'auto' }}>{t('audit.count', { count: rows.length })}</Typography.Text>
        </Flex>
        <Table<AuditEntry>
          rowKey="seq"
          size="small"
          scroll={{ x: 1200 }}
          loading={loading && entries.length === 0}
          dataSource={rows}
          data-testid="audit-table"
          pagination={{ defaultPageSize: 20, showSizeChanger: true, hideOnSinglePage: false }}
          locale={{ emptyText: t('audit.empty') }}
          columns={[
            { title: '#', dataIndex: 'seq', width: 64 },
            { title: t('audit.col.time'), dataIndex: 'at', width: 190, render: (v: string) => <span className="nowrap">{formatTime(v)}</span> },
            { title: t('audit.col.action'), dataIndex: 'action', width: 200, render: (v: string) => <Typography.Text code className="nowrap">{v}</Typography.Text> },
            {
              title: t('audit.col.site'), dataIndex: 'siteId', width: 200, ellipsis: true,
              render: (v?: string) => (v ? siteName.get(v) ?? <Typography.Text type="secondary">{t('audit.deletedSite')}</Typography.Text> : '—'),
            },
            { title: t('audit.col.target'), dataIndex: 'target', width: 230, render: (v?: string) => (v ? <span className="mono nowrap">{v}</span> : '—') },
            {
              title: t('audit.col.detail'), dataIndex: 'detail', ellipsis: { showTitle: false },
              render: (v?: string) => (v ? <Tooltip title={v} placement="topLeft"><span>{v}</span></Tooltip> : ''),
            },
            { title: t('audit.col.actor'), dataIndex: 'actor', width: 110, ellipsis: true },
            {
              title: t('audit.col.outcome'), dataIndex: 'outcome', width: 96,
              render: (v: AuditEntry['outcome']) => <Tag color={OUTCOME_COLORS[v]}>{t(`audit.outcome.${v}`)}</Tag>,
            },
          ]}
        />
      </Card>
    </div>
  );
}
