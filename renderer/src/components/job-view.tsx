import { useEffect, useRef } from 'react';
import { Button, Flex, Progress, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { JobLogLine, JobSnapshot, JobState } from '../../../electron/core/api/types';
import { errorText, msgText, stepText } from '../i18n';
import { formatClock, formatTime } from './format';

const STATE_COLORS: Record<JobState, string> = {
  running: 'processing', succeeded: 'success', failed: 'error', cancelled: 'default', interrupted: 'warning',
};

export function JobStateTag({ state }: { state: JobState }) {
  const { t } = useTranslation();
  return <Tag color={STATE_COLORS[state]} data-testid="job-state" data-state={state}>{t(`jobs.state.${state}`)}</Tag>;
}

/** Percent for the bar; undefined while the total is unknown (max = -1). */
function percent(job: JobSnapshot): number | undefined {
  const p = job.progress;
  if (job.state === 'succeeded') return 100;
  if (!p || p.total < 0) return undefined;
  if (p.total === 0) return 0;
  return Math.min(100, Math.round((p.current / p.total) * 100));
}

export function JobProgress({ job }: { job: JobSnapshot }) {
  const { t } = useTranslation();
  const pct = percent(job);
  const p = job.progress;
  const status = job.state === 'failed' ? 'exception' : job.state === 'succeeded' ? 'success' : job.state === 'running' ? 'active' : 'normal';
  return (
    <div data-testid="job-progress">
      <Progress percent={pct ?? 100} status={status} showInfo={pct !== undefined} strokeLinecap="round" />
      {p && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="job-progress-text">
          {p.label ? `${stepText(t, p.label, p.step)} · ` : ''}
          {p.total >= 0
            ? t('jobs.progress', { current: p.current, total: p.total })
            : t('jobs.progressUnknown', { current: p.current })}
          {p.item ? ` · ${p.item}` : ''}
        </Typography.Text>
      )}
    </div>
  );
}

/** Live log lines of a job, newest at the bottom, following the tail unless the user scrolled up. */
export function JobLog({ lines, height = 220 }: { lines: JobLogLine[]; height?: number }) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const follow = useRef(true);
  useEffect(() => {
    const el = box.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [lines.length]);
  return (
    <div
      ref={box}
      className="job-log"
      style={{ maxHeight: height }}
      data-testid="job-log"
      role="log"
      aria-live="polite"
      aria-label={t('jobs.log')}
      tabIndex={0}
      onScroll={(e) => {
        const el = e.currentTarget;
        follow.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 8;
      }}
    >
      {lines.length === 0 && <div className="job-log-empty">{t('jobs.noLog')}</div>}
      {lines.map((l, i) => (
        <div key={i} className={`job-log-line job-log-${l.level}`}>
          <span className="job-log-time">{formatClock(l.at)}</span>
          <span>{l.text}</span>
        </div>
      ))}
    </div>
  );
}

/** A job in full: title, state, progress, error, live log, and cancel/resume. */
export function JobCard({ job, onCancel, onResume, logHeight, showTitle = true }: {
  job: JobSnapshot;
  onCancel?: () => void;
  onResume?: () => void;
  logHeight?: number;
  /** False where the surrounding panel already names the job (the jobs drawer). */
  showTitle?: boolean;
}) {
  const { t } = useTranslation();
  const actions = (job.state === 'running' && onCancel) || (job.resumable && job.state !== 'running' && job.state !== 'succeeded' && onResume);
  return (
    <div className="job-card" data-testid={`job-${job.id}`} data-state={job.state} data-kind={job.kind}>
      {(showTitle || actions) && <Flex justify="space-between" align="center" gap={8} wrap>
        {showTitle ? (
          <Flex align="center" gap={8} style={{ minWidth: 0 }}>
            <Typography.Text strong ellipsis>{msgText(t, job.title)}</Typography.Text>
            <JobStateTag state={job.state} />
          </Flex>
        ) : <span />}
        <Flex gap={8} align="center">
          {showTitle && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatTime(job.startedAt)}</Typography.Text>}
          {job.state === 'running' && onCancel && <Button size="small" danger onClick={onCancel} data-testid="job-cancel">{t('jobs.cancel')}</Button>}
          {job.resumable && job.state !== 'running' && job.state !== 'succeeded' && onResume && (
            <Button size="small" onClick={onResume} data-testid="job-resume">{t('jobs.resume')}</Button>
          )}
        </Flex>
      </Flex>}
      <JobProgress job={job} />
      {job.error && <Typography.Text type="danger" data-testid="job-error">{errorText(t, job.error)}</Typography.Text>}
      <JobLog lines={job.log} height={logHeight} />
    </div>
  );
}
