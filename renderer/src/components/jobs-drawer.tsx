import { useMemo, useState } from 'react';
import { App, Badge, Button, Collapse, Drawer, Empty, Flex, Progress, Tooltip, Typography } from 'antd';
import { ThunderboltOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { errorText, msgText } from '../i18n';
import { useJobs } from '../state/jobs';
import { JobCard, JobStateTag } from './job-view';
import { formatTime } from './format';

/** Header button: how many jobs run now; opens the drawer with every job's progress and log. */
export function JobsIndicator() {
  const { t } = useTranslation();
  const jobs = useJobs();
  const [open, setOpen] = useState(false);
  const running = jobs.filter((j) => j.state === 'running').length;
  return (
    <>
      <Tooltip title={t('jobs.indicatorHint')}>
        <Button
          type="text"
          className="header-button"
          onClick={() => setOpen(true)}
          data-testid="jobs-indicator"
          data-running={running}
          aria-label={t('jobs.indicatorLabel', { count: running })}
        >
          <Badge count={running} size="small" offset={[4, -2]} color="#1677ff">
            <ThunderboltOutlined className={running ? 'spin-slow' : undefined} style={{ color: 'rgba(255,255,255,0.85)', fontSize: 16 }} />
          </Badge>
          <span className="header-button-text">{running ? t('jobs.running', { count: running }) : t('jobs.title')}</span>
        </Button>
      </Tooltip>
      <JobsDrawer open={open} onClose={() => setOpen(false)} />
    </>
  );
}

export function JobsDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const jobs = useJobs();
  const defaultOpen = useMemo(() => jobs.filter((j, i) => j.state === 'running' || i === 0).map((j) => j.id), [open]);
  const [active, setActive] = useState<string[] | undefined>(undefined);

  const act = async (fn: () => Promise<unknown>) => {
    try { await fn(); } catch (e) { message.error(errorText(t, e)); }
  };

  return (
    <Drawer
      title={t('jobs.drawerTitle')}
      open={open}
      onClose={() => { setActive(undefined); onClose(); }}
      size={620}
      destroyOnHidden
      data-testid="jobs-drawer"
      rootClassName="jobs-drawer"
    >
      {jobs.length === 0 ? (
        <Empty description={t('jobs.empty')} />
      ) : (
        <Collapse
          activeKey={active ?? defaultOpen}
          onChange={(k) => setActive(Array.isArray(k) ? k : [k])}
          items={jobs.map((job) => ({
            key: job.id,
            label: (
              <Flex justify="space-between" align="center" gap={12} data-testid="job-item" data-state={job.state}>
                <Flex vertical style={{ minWidth: 0 }}>
                  <Typography.Text strong ellipsis>{msgText(t, job.title)}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatTime(job.startedAt)}</Typography.Text>
                </Flex>
                <Flex align="center" gap={8} style={{ flex: 'none' }}>
                  {job.state === 'running' && job.progress && job.progress.total > 0 && (
                    <Progress type="circle" size={22} percent={Math.round((job.progress.current / job.progress.total) * 100)} showInfo={false} />
                  )}
                  <JobStateTag state={job.state} />
                </Flex>
              </Flex>
            ),
            children: (
              <JobCard
                job={job}
                showTitle={false}
                onCancel={() => act(() => api.jobs.cancel({ id: job.id }))}
                onResume={() => act(() => api.jobs.resume({ id: job.id }))}
              />
            ),
          }))}
        />
      )}
    </Drawer>
  );
}
