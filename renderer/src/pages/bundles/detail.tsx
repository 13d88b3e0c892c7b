import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Breadcrumb, Button, Card, Descriptions, Empty, Flex, Result, Select, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { CheckOutlined, SafetyOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { BundleDiff, BundleInfo, ChartInfo } from '../../../../electron/core/api/types';
import { api } from '../../api';
import { ErrorAlert } from '../../components/error-alert';
import { formatTime } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { errorText } from '../../i18n';
import { href } from '../../router';
import { trackJob, useJob } from '../../state/jobs';
import { useSites } from '../../state/sites';
import { followJob, useFollowedJobId, useLibrary } from './data';
import { DiffView } from './diff-view';
import { formatBytes } from './format';
import { BundleJobPanel } from './job-panel';
import { chooseBundleForSite } from './library-table';
import { SignatureBadge } from './signature';

type ChartRow = ChartInfo & { key: string };

/**
 * One bundle of the library: what it holds, and what installing it would change against the
 * bundle the current site runs (or any other bundle picked for comparison).
 */
export function BundleDetail({ digest }: { digest: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const library = useLibrary();
  const { current: site } = useSites();
  const rec = library.data.find((r) => r.digest === digest);
  const others = useMemo(() => library.data.filter((r) => r.digest !== digest), [library.data, digest]);

  const [info, setInfo] = useState<BundleInfo>();
  const [infoError, setInfoError] = useState<unknown>();
  useEffect(() => {
    let live = true;
    setInfo(undefined);
    api.bundles.inspect({ ref: digest }).then((i) => { if (live) setInfo(i); }, (e) => { if (live) setInfoError(e); });
    return () => { live = false; };
  }, [digest, rec?.available]);

  // Compared by default with what the site runs; otherwise with the newest older version of the same product.
  const fallback = useMemo(() => {
    if (site?.bundleDigest && site.bundleDigest !== digest && others.some((o) => o.digest === site.bundleDigest)) return site.bundleDigest;
    return others.find((o) => o.name === rec?.name && o.addedAt <= (rec?.addedAt ?? ''))?.digest ?? others.find((o) => o.name === rec?.name)?.digest;
  }, [site?.bundleDigest, others, digest, rec?.name, rec?.addedAt]);
  const [picked, setPicked] = useState<string>();
  const base = picked && others.some((o) => o.digest === picked) ? picked : fallback;
  const [diff, setDiff] = useState<{ base: string; diff?: BundleDiff; error?: unknown }>();
  useEffect(() => {
    if (!base) { setDiff(undefined); return; }
    let live = true;
    setDiff({ base });
    api.bundles.diff({ from: base, to: digest }).then((d) => { if (live) setDiff({ base, diff: d }); }, (error) => { if (live) setDiff({ base, error }); });
    return () => { live = false; };
  }, [base, digest]);

  const jobId = useFollowedJobId();
  const job = useJob(jobId);
  const showJob = job && job.kind === 'bundles.verify' && job.params.digest === digest ? job : undefined;
  const verify = async () => {
    try {
      const { jobId: id } = await api.bundles.verify({ digest });
      trackJob(id);
      followJob(id);
    } catch (e) {
      message.error(errorText(t, e));
    }
  };

  const crumbs = <Breadcrumb items={[{ title: <a href={href('bundles')}>{t('nav.bundles')}</a> }, { title: rec ? `${rec.name} ${rec.version}` : '…' }]} style={{ marginBottom: 8 }} />;
  if (library.loaded && !rec) {
    return (
      <div data-testid="page-bundle">
        {crumbs}
        <ErrorAlert error={library.error} />
        <Result status="404" title={t('bundles.detail.missing')} extra={<Button href={href('bundles')}>{t('bundles.detail.back')}</Button>} />
      </div>
    );
  }
  const baseRec = others.find((o) => o.digest === base);
  const runsHere = !!site && site.bundleDigest === digest;

  return (
    <div data-testid="page-bundle" data-digest={digest}>
      <PageHeader
        breadcrumb={crumbs}
        title={rec ? <span data-testid="bundle-title">{rec.name} {rec.version}</span> : '…'}
        subtitle={rec ? [rec.vendor, rec.description].filter(Boolean).join(' — ') : undefined}
        extra={rec && (
          <>
            <Button icon={<SafetyOutlined />} onClick={() => void verify()} disabled={!rec.available || job?.state === 'running'} data-testid="detail-verify">{t('bundles.verifyAgain')}</Button>
            {site && (
              <Button type="primary" icon={<CheckOutlined />} disabled={runsHere} onClick={() => void chooseBundleForSite(site, rec, t, message)} data-testid="detail-use">
                {runsHere ? t('bundles.library.runsHere') : t('bundles.useForSiteNamed', { site: site.name })}
              </Button>
            )}
          </>
        )}
      />
      <ErrorAlert error={library.error} onRetry={() => void library.reload()} />
      {showJob && (
        <div style={{ marginBottom: 16 }}>
          <BundleJobPanel job={showJob} onCancel={() => void api.jobs.cancel({ id: showJob.id })} onResume={() => void api.jobs.resume({ id: showJob.id })} onClose={() => followJob(undefined)} />
        </div>
      )}
      {rec && site && (
        <Alert
          style={{ marginBottom: 16 }}
          showIcon
          data-testid="detail-site"
          type={runsHere ? 'success' : 'info'}
          title={runsHere ? t('bundles.detail.siteRunsThis', { site: site.name })
            : site.bundleDigest ? t('bundles.detail.siteRunsOther', { site: site.name, version: site.bundleVersion ?? '?' })
              : t('bundles.detail.siteRunsNone', { site: site.name })}
        />
      )}

      {rec && (
        <Card size="small" style={{ marginBottom: 16 }}>
          <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }} data-testid="bundle-info" items={[
            { key: 'sig', label: t('bundles.col.signature'), children: <SignatureBadge status={rec.signature} keyId={rec.keyId} keyName={rec.keyName} override={rec.trustOverride} /> },
            { key: 'k3s', label: 'k3s', children: <span data-testid="info-k3s">{rec.k3sVersion} ({rec.arch})</span> },
            { key: 'size', label: t('bundles.col.size'), children: t('bundles.detail.sizeFiles', { size: formatBytes(rec.sizeBytes), files: rec.files }) },
            { key: 'loc', label: t('bundles.col.location'), children: <Space size={4}><Tag color={rec.location === 'library' ? 'geekblue' : 'default'}>{t(`bundles.location.${rec.location}`)}</Tag>{!rec.available && <Tag color="error">{t('bundles.location.missing')}</Tag>}</Space> },
            { key: 'added', label: t('bundles.col.added'), children: formatTime(rec.addedAt) },
            { key: 'digest', label: t('bundles.col.digest'), children: <Typography.Text className="mono" copyable={{ text: rec.digest }}>{rec.digest.slice(0, 23)}…</Typography.Text> },
            { key: 'path', label: t('bundles.col.path'), span: 'filled', children: <Typography.Text className="mono">{rec.path}</Typography.Text> },
            ...(rec.source && rec.source !== rec.path ? [{ key: 'source', label: t('bundles.col.source'), span: 'filled' as const, children: <Typography.Text className="mono">{rec.source}</Typography.Text> }] : []),
            ...(rec.trustOverride ? [{ key: 'override', label: t('bundles.detail.override'), span: 'filled' as const, children: <Typography.Text type="warning" data-testid="info-override">{t('bundles.overrideReason', { reason: rec.trustOverride.reason })} ({formatTime(rec.trustOverride.at)})</Typography.Text> }] : []),
          ]} />
        </Card>
      )}

      <Card
        title={<span data-testid="compare-title">{site && base === site.bundleDigest ? t('bundles.detail.changesForSite', { site: site.name }) : t('bundles.detail.changes')}</span>}
        style={{ marginBottom: 16 }}
        data-testid="bundle-compare"
        extra={others.length > 0 && (
          <Flex align="center" gap={8}>
            <Typography.Text type="secondary">{t('bundles.detail.compareWith')}</Typography.Text>
            <Select
              style={{ minWidth: 260 }}
              value={base}
              onChange={setPicked}
              data-testid="compare-select"
              options={others.map((o) => ({
                value: o.digest,
                label: `${o.name} ${o.version}${site?.bundleDigest === o.digest ? ` — ${t('bundles.detail.siteRunsShort', { site: site.name })}` : ''}`,
              }))}
            />
          </Flex>
        )}
      >
        {!base ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('bundles.detail.nothingToCompare')} />
          : diff?.error ? <Alert type="error" showIcon title={errorText(t, diff.error)} />
            : !diff?.diff ? <Skeleton active />
              : (
                <>
                  {baseRec && <Typography.Paragraph type="secondary" data-testid="compare-caption">{t('bundles.detail.fromTo', { from: `${baseRec.name} ${baseRec.version}`, to: `${rec?.name} ${rec?.version}` })}</Typography.Paragraph>}
                  <DiffView diff={diff.diff} />
                </>
              )}
      </Card>

      <Card title={t('bundles.detail.contents')} data-testid="bundle-contents">
        {infoError ? <Alert type="error" showIcon title={errorText(t, infoError)} /> : !info ? <Skeleton active /> : (
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Table<ChartRow>
              size="small"
              pagination={false}
              data-testid="contents-charts"
              dataSource={info.groups.flatMap((g, gi) => g.charts.map((c) => ({ ...c, key: `${gi}-${c.release}` })))}
              columns={[
                { title: t('bundles.detail.group'), dataIndex: 'group', width: 120, render: (g: string) => <Tag>{g}</Tag> },
                { title: t('bundles.diff.release'), dataIndex: 'release', render: (r: string) => <Typography.Text strong>{r}</Typography.Text> },
                { title: t('bundles.diff.chart'), key: 'chart', render: (_, c) => c.name ?? c.chart },
                { title: t('bundles.diff.version'), dataIndex: 'version', width: 110 },
                { title: t('bundles.detail.appVersion'), dataIndex: 'appVersion', width: 110 },
                { title: t('bundles.detail.namespace'), dataIndex: 'namespace' },
                { title: t('bundles.detail.values'), dataIndex: 'values', render: (v?: string) => (v ? <span className="mono">{v}</span> : '—') },
              ]}
            />
            <Descriptions size="small" column={1} bordered items={[
              {
                key: 'images', label: t('bundles.diff.images'),
                children: (
                  <Space orientation="vertical" size={2}>
                    {info.images.map((im) => (
                      <div key={im.file}>
                        <span className="mono">{im.file}</span> <Typography.Text type="secondary">({formatBytes(im.sizeBytes)})</Typography.Text>
                        {im.refs.map((r) => <div key={r} className="cell-note mono">{r}</div>)}
                      </div>
                    ))}
                  </Space>
                ),
              },
              { key: 'questions', label: t('bundles.diff.questions'), children: <Flex gap={4} wrap>{info.questions.map((q) => <Tag key={q.name}>{q.name}</Tag>)}</Flex> },
            ]} />
          </Space>
        )}
      </Card>
    </div>
  );
}
