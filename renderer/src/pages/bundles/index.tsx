import { useEffect, useRef, useState } from 'react';
import { App, Card, Result, Typography } from 'antd';
import { UsbOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { JobSnapshot } from '../../../../electron/core/api/types';
import { api } from '../../api';
import { PageHeader } from '../../components/page-header';
import { errorText } from '../../i18n';
import { useJob, useJobs } from '../../state/jobs';
import { useSites } from '../../state/sites';
import { BUNDLE_JOB_KINDS, followJob, useFollowedJobId, useLibrary, useMedia, useTrustedKeys } from './data';
import { BundleDetail } from './detail';
import { BundleJobPanel } from './job-panel';
import { LibraryTable } from './library-table';
import { LoadDialog, type LoadTarget } from './load-dialog';
import { MediaCard } from './media-card';
import { TrustedKeysCard } from './trusted-keys';
import './bundles.css';

/** Nothing loaded yet: what this screen is for and the first steps. */
function FirstSteps() {
  const { t } = useTranslation();
  return (
    <Card className="empty-card" style={{ marginBottom: 16 }} data-testid="bundles-empty">
      <Result
        icon={<span className="empty-icon"><UsbOutlined /></span>}
        title={<span data-testid="empty-title">{t('bundles.emptyTitle')}</span>}
        subTitle={<span data-testid="empty-text">{t('bundles.emptyText')}</span>}
      />
      <div className="first-steps">
        <Typography.Text strong>{t('common.firstSteps')}</Typography.Text>
        <ol>
          <li>{t('bundles.steps.1')}</li>
          <li>{t('bundles.steps.2')}</li>
          <li>{t('bundles.steps.3')}</li>
        </ol>
      </div>
    </Card>
  );
}

/** The screen: media and scan, the followed job, the library, the trusted vendor keys. */
function BundlesOverview() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const library = useLibrary();
  const keys = useTrustedKeys();
  const media = useMedia();
  const { current: site } = useSites();
  const [loadTarget, setLoadTarget] = useState<LoadTarget | null>(null);

  // The job shown here: the one started from this screen, else one of ours still running.
  const jobs = useJobs();
  const followed = useFollowedJobId();
  const running = jobs.find((j) => BUNDLE_JOB_KINDS.includes(j.kind) && j.state === 'running');
  useEffect(() => { if (!followed && running) followJob(running.id); }, [followed, running]);
  const job = useJob(followed);

  // When a load ends: say so, and offer the reason dialog if it was refused for want of one.
  const last = useRef<JobSnapshot | undefined>(undefined);
  useEffect(() => {
    const before = last.current;
    last.current = job;
    if (!job || !before || before.id !== job.id || before.state !== 'running' || job.state === 'running') return;
    if (job.kind === 'bundles.load' && job.state === 'failed' && job.error?.code === 'bundle.signature_required' && job.error.details?.status !== 'invalid') {
      setLoadTarget({ path: String(job.params.path), signature: job.error.details?.status as LoadTarget['signature'], refused: true });
    } else if (job.kind === 'bundles.load' && job.state === 'succeeded') {
      message.success(t('bundles.loadedToast'));
    } else if (job.state === 'failed' && job.error) {
      message.error(errorText(t, job.error));
    }
  }, [job, message, t]);

  const act = (fn: () => Promise<unknown>) => { fn().catch((e) => message.error(errorText(t, e))); };

  return (
    <div data-testid="page-bundles">
      <PageHeader title={t('bundles.title')} subtitle={t('bundles.subtitle')} />
      {library.loaded && library.data.length === 0 && <FirstSteps />}
      <MediaCard media={media} library={library.data} onLoad={setLoadTarget} busy={job?.state === 'running'} />
      {job && BUNDLE_JOB_KINDS.includes(job.kind) && (
        <div style={{ marginBottom: 16 }}>
          <BundleJobPanel
            job={job}
            onCancel={() => act(() => api.jobs.cancel({ id: job.id }))}
            onResume={() => act(() => api.jobs.resume({ id: job.id }))}
            onClose={() => followJob(undefined)}
          />
        </div>
      )}
      <LibraryTable records={library.data} loading={!library.loaded} site={site} />
      <TrustedKeysCard keys={keys.data} loading={!keys.loaded} />
      <LoadDialog target={loadTarget} onClose={() => setLoadTarget(null)} />
    </div>
  );
}

/** Offline bundles: `#/bundles` (media, library, keys) and `#/bundles/<digest>` (one bundle and its diff). */
export default function BundlesPage({ params }: { params: string[] }) {
  const digest = params[0];
  return digest ? <BundleDetail key={digest} digest={digest} /> : <BundlesOverview />;
}
