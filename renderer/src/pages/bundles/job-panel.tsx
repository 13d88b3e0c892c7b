import { Alert, Button, Card, Flex, List, Progress, Space, Typography } from 'antd';
import { CloseOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { BundleLoadResult, FoundBundle, JobSnapshot, Problem, VerifyReport } from '../../../../electron/core/api/types';
import { JobLog, JobStateTag } from '../../components/job-view';
import { formatDuration } from '../../components/format';
import { errorText, msgText, stepText } from '../../i18n';
import { href } from '../../router';
import { formatBytes } from './format';
import { SignatureBadge } from './signature';

/** Percent of the work: bytes when the job knows them, else items, else unknown. */
export function jobPercent(job: JobSnapshot): number | undefined {
  if (job.state === 'succeeded') return 100;
  const p = job.progress;
  if (!p) return undefined;
  if (p.bytesDone !== undefined && p.bytesTotal) return Math.min(100, Math.floor((p.bytesDone / p.bytesTotal) * 100));
  if (p.total > 0) return Math.min(100, Math.floor((p.current / p.total) * 100));
  return undefined;
}

/** A problem in the user's language; it always names its file. */
export function problemText(t: TFunction, p: Problem): string {
  const text = msgText(t, { key: p.code, params: p.params ?? {}, text: p.message });
  return p.file && !text.includes(p.file) ? `${text} (${p.file}${p.line ? `:${p.line}` : ''})` : text;
}

export function ProblemList({ problems }: { problems: Problem[] }) {
  const { t } = useTranslation();
  if (!problems.length) return null;
  return (
    <List
      size="small"
      data-testid="problem-list"
      dataSource={problems}
      renderItem={(p) => (
        <List.Item data-testid="problem" data-code={p.code} data-file={p.file}>
          <Typography.Text type={p.severity === 'error' ? 'danger' : 'warning'}>
            {t(`bundles.severity.${p.severity}`)}: {problemText(t, p)}
          </Typography.Text>
        </List.Item>
      )}
    />
  );
}

/** The byte progress bar of a bundle job: step, bytes done of total, the file at hand. */
export function BundleProgress({ job }: { job: JobSnapshot }) {
  const { t } = useTranslation();
  const pct = jobPercent(job);
  const p = job.progress;
  // A verification that ran to its end but found the bundle damaged is no green bar.
  const report = job.kind === 'bundles.verify' && job.state === 'succeeded' ? (job.result as VerifyReport | undefined) : undefined;
  const status = job.state === 'failed' || report?.intact === false ? 'exception'
    : report && !report.ok ? 'normal'
      : job.state === 'succeeded' ? 'success' : job.state === 'running' ? 'active' : 'normal';
  const detail = !p ? '' : [
    p.label ? stepText(t, p.label, p.step) : p.step,
    p.bytesDone !== undefined ? (p.bytesTotal ? t('bundles.bytesOf', { done: formatBytes(p.bytesDone), total: formatBytes(p.bytesTotal) }) : formatBytes(p.bytesDone)) : p.total > 0 ? t('jobs.progress', { current: p.current, total: p.total }) : '',
    p.item ?? '',
  ].filter(Boolean).join(' · ');
  return (
    <div data-testid="bundle-progress" data-state={job.state} data-percent={pct ?? -1}>
      <Progress percent={pct ?? 100} status={status} showInfo={pct !== undefined} />
      {detail && job.state === 'running' && <Typography.Text type="secondary" className="bundle-progress-detail" data-testid="bundle-progress-text">{detail}</Typography.Text>}
    </div>
  );
}

export function VerifyReportView({ report }: { report: VerifyReport }) {
  const { t } = useTranslation();
  const m = report.manifest?.metadata;
  const name = m ? `${m.name} ${m.version}` : report.path;
  const type = report.ok ? 'success' : report.intact ? 'warning' : 'error';
  const title = report.ok ? t('bundles.report.ok', { name }) : report.intact ? t('bundles.report.intactUntrusted', { name }) : t('bundles.report.failed', { name, count: report.problems.filter((p) => p.severity === 'error').length });
  return (
    <Alert
      type={type}
      showIcon
      data-testid="verify-report"
      data-ok={report.ok}
      data-intact={report.intact}
      title={title}
      description={(
        <Space orientation="vertical" size={4} style={{ width: '100%' }}>
          <Flex gap={8} wrap align="center">
            <SignatureBadge status={report.signature} keyId={report.keyId} keyName={report.keyName} />
            <Typography.Text type="secondary">{t('bundles.report.stats', { files: report.files, size: formatBytes(report.bytes), time: formatDuration(report.durationMs) })}</Typography.Text>
          </Flex>
          {report.digest && <Typography.Text type="secondary" className="mono">{report.digest}</Typography.Text>}
          <ProblemList problems={report.problems} />
        </Space>
      )}
    />
  );
}

function JobOutcome({ job }: { job: JobSnapshot }) {
  const { t } = useTranslation();
  if (job.state === 'failed' || job.state === 'interrupted') {
    const problems = (job.error?.details?.problems as Problem[] | undefined) ?? [];
    return (
      <Alert
        type="error"
        showIcon
        data-testid="job-error"
        title={job.error ? errorText(t, job.error) : t(`jobs.state.${job.state}`)}
        description={problems.length ? <ProblemList problems={problems} /> : undefined}
      />
    );
  }
  if (job.state !== 'succeeded') return null;
  if (job.kind === 'bundles.verify') return <VerifyReportView report={job.result as VerifyReport} />;
  if (job.kind === 'bundles.load') {
    const r = job.result as BundleLoadResult;
    return (
      <Alert
        type="success"
        showIcon
        data-testid="load-result"
        title={t(r.already ? 'bundles.loaded.already' : r.entry.location === 'library' ? 'bundles.loaded.copied' : 'bundles.loaded.inPlace', { name: `${r.entry.name} ${r.entry.version}` })}
        description={(
          <Space orientation="vertical" size={4}>
            <Flex gap={8} align="center" wrap>
              <SignatureBadge status={r.entry.signature} keyId={r.entry.keyId} keyName={r.entry.keyName} override={r.entry.trustOverride} />
              {r.report && <Typography.Text type="secondary">{t('bundles.report.stats', { files: r.report.files, size: formatBytes(r.report.bytes), time: formatDuration(r.report.durationMs) })}</Typography.Text>}
            </Flex>
            <Typography.Text type="secondary" className="mono">{r.entry.path}</Typography.Text>
            <a href={href('bundles', r.entry.digest)} data-testid="load-result-open">{t('bundles.loaded.open')}</a>
          </Space>
        )}
      />
    );
  }
  if (job.kind === 'bundles.scan') {
    const n = (job.result as FoundBundle[]).length;
    return <Typography.Text type="secondary" data-testid="scan-result">{t('bundles.scanFound', { count: n })}</Typography.Text>;
  }
  return null;
}

/** Worth resuming: cut off (closed lid, pulled stick, cancelled), not refused for what the bundle is. */
function resumable(job: JobSnapshot): boolean {
  if (!job.resumable) return false;
  if (job.state === 'cancelled' || job.state === 'interrupted') return true;
  return job.state === 'failed' && !job.error?.code.startsWith('bundle.') && job.error?.code !== 'api.invalid_arguments';
}

/** The bundle job the screen follows: what it does, its byte progress, its outcome, its log. */
export function BundleJobPanel({ job, onCancel, onResume, onClose }: { job: JobSnapshot; onCancel(): void; onResume(): void; onClose(): void }) {
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      className="bundle-job"
      data-testid="bundle-job"
      data-kind={job.kind}
      data-job-id={job.id}
      data-state={job.state}
      title={<Flex gap={8} align="center" style={{ minWidth: 0 }}><Typography.Text strong ellipsis>{msgText(t, job.title)}</Typography.Text><JobStateTag state={job.state} /></Flex>}
      extra={(
        <Flex gap={4}>
          {job.state === 'running' && <Button size="small" danger onClick={onCancel} data-testid="bundle-job-cancel">{t('jobs.cancel')}</Button>}
          {resumable(job) && <Button size="small" onClick={onResume} data-testid="bundle-job-resume">{t('bundles.resumeCopy')}</Button>}
          {job.state !== 'running' && <Button type="text" size="small" icon={<CloseOutlined />} aria-label={t('common.close')} onClick={onClose} data-testid="bundle-job-close" />}
        </Flex>
      )}
    >
      <Space orientation="vertical" size={8} style={{ width: '100%' }}>
        <BundleProgress job={job} />
        <JobOutcome job={job} />
        {job.state !== 'succeeded' && job.log.length > 0 && <JobLog lines={job.log} height={120} />}
      </Space>
    </Card>
  );
}
