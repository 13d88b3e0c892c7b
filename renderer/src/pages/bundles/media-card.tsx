import { useEffect, useState } from 'react';
import { App, Button, Card, Empty, Flex, Input, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { FolderOpenOutlined, ReloadOutlined, SafetyOutlined, SearchOutlined, UsbOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { BundleRecord, FoundBundle, MediaInfo } from '../../../../electron/core/api/types';
import { api } from '../../api';
import { errorText } from '../../i18n';
import { trackJob } from '../../state/jobs';
import { ErrorAlert } from '../../components/error-alert';
import { followJob, useLastScan, type Loaded } from './data';
import { formatBytes } from './format';
import { SignatureBadge } from './signature';
import type { LoadTarget } from './load-dialog';

function MediaList({ media }: { media: MediaInfo[] }) {
  const { t } = useTranslation();
  if (media.length === 0) return <Typography.Text type="secondary" data-testid="media-none">{t('bundles.media.none')}</Typography.Text>;
  return (
    <Flex gap={8} wrap data-testid="media-list">
      {media.map((m) => (
        <Tooltip key={m.mount} title={[m.device, m.fsType, m.freeBytes !== undefined ? t('bundles.media.free', { size: formatBytes(m.freeBytes) }) : ''].filter(Boolean).join(' · ')}>
          <Tag icon={<UsbOutlined />} className="media-tag" data-testid="media" data-mount={m.mount}>
            <span className="mono">{m.mount}</span>
            {m.label && m.label !== m.mount.split('/').pop() ? ` (${m.label})` : ''}
            {m.sizeBytes !== undefined ? ` · ${formatBytes(m.sizeBytes)}` : ''}
          </Tag>
        </Tooltip>
      ))}
    </Flex>
  );
}

/**
 * Where bundles come from: the media Outpost sees (USB sticks), a scan for bundles on them, and a
 * path typed by hand — in web mode there is no native file picker, and the path is on the machine
 * running Outpost, not the browser's.
 */
export function MediaCard({ media, library, onLoad, busy }: {
  media: Loaded<MediaInfo[]>;
  library: BundleRecord[];
  onLoad(t: LoadTarget): void;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { found, job: scanJob } = useLastScan();
  const [path, setPath] = useState('');
  // Only the desktop app has a native dialog; the web mode keeps the typed path.
  const [canPick, setCanPick] = useState(false);
  useEffect(() => { void api.app.info().then((i) => setCanPick(i.mode === 'electron')).catch(() => undefined); }, []);
  const pick = async (kind: 'file' | 'folder') => {
    const r = await api.app.pickPath({ kind, title: t('bundles.path.label') });
    if (r.path) setPath(r.path);
  };
  const [starting, setStarting] = useState(false);

  const start = async (fn: () => Promise<{ jobId: string }>) => {
    setStarting(true);
    try {
      const { jobId } = await fn();
      trackJob(jobId);
      followJob(jobId);
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setStarting(false);
    }
  };
  const scan = () => { void media.reload(); void start(() => api.bundles.scan()); };
  const verify = (p: string) => void start(() => api.bundles.verify({ path: p }));
  const inLibrary = (f: FoundBundle) => library.find((r) => r.digest === f.digest);
  const typed = path.trim();

  return (
    <Card
      title={<Flex align="center" gap={8}><UsbOutlined />{t('bundles.media.title')}</Flex>}
      data-testid="bundles-media"
      style={{ marginBottom: 16 }}
      extra={<Button type="text" icon={<ReloadOutlined />} onClick={() => void media.reload()} data-testid="media-refresh">{t('bundles.media.refresh')}</Button>}
    >
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <ErrorAlert error={media.error} onRetry={() => void media.reload()} />
        <Flex justify="space-between" align="center" gap={16} wrap>
          <MediaList media={media.data} />
          <Button type="primary" icon={<SearchOutlined />} onClick={scan} loading={starting || busy} data-testid="bundles-scan">{t('bundles.scan')}</Button>
        </Flex>

        <div>
          <Typography.Text strong>{t('bundles.path.label')}</Typography.Text>
          <Flex gap={8} style={{ marginTop: 6 }} wrap>
            <Input
              prefix={<FolderOpenOutlined />}
              value={path}
              onChange={(e) => setPath(e.target.value)}
              onPressEnter={() => { if (typed) onLoad({ path: typed }); }}
              placeholder={t('bundles.path.placeholder')}
              className="mono"
              style={{ flex: '1 1 420px' }}
              aria-label={t('bundles.path.label')}
              data-testid="bundles-path"
            />
            {canPick && (
              <>
                <Button onClick={() => void pick('file')} data-testid="path-pick-file">{t('bundles.path.pickFile')}</Button>
                <Button onClick={() => void pick('folder')} data-testid="path-pick-folder">{t('bundles.path.pickFolder')}</Button>
              </>
            )}
            <Button icon={<SafetyOutlined />} disabled={!typed || busy} onClick={() => verify(typed)} data-testid="path-verify">{t('bundles.verify')}</Button>
            <Button type="primary" ghost disabled={!typed || busy} onClick={() => onLoad({ path: typed })} data-testid="path-load">{t('bundles.loadButton')}</Button>
            <Button disabled={!typed || busy} onClick={() => void start(() => api.bundles.scan({ roots: [typed] }))} data-testid="path-scan">{t('bundles.path.scanHere')}</Button>
          </Flex>
          <div className="cell-note">{t('bundles.path.hint')}</div>
        </div>

        {scanJob && (
          <Table<FoundBundle>
            size="small"
            rowKey="path"
            dataSource={found}
            pagination={false}
            data-testid="found-table"
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('bundles.found.none')} /> }}
            onRow={(f) => ({ 'data-testid': `found-${f.name}-${f.version}`, 'data-path': f.path } as object)}
            columns={[
              {
                title: t('bundles.col.bundle'), key: 'name',
                render: (_, f) => (
                  <div>
                    <span className="nowrap"><Typography.Text strong>{f.name}</Typography.Text> <Tag>{f.version}</Tag></span>
                    {inLibrary(f) && <Tag color="blue" data-testid="found-in-library">{t('bundles.found.inLibrary')}</Tag>}
                    <div className="cell-note mono">{f.path}</div>
                    {f.problems.filter((p) => p.severity === 'error').map((p, i) => <div key={i} className="cell-note cell-error">{p.message}</div>)}
                  </div>
                ),
              },
              { title: t('bundles.col.vendor'), dataIndex: 'vendor', width: 180 },
              { title: 'k3s', dataIndex: 'k3sVersion', width: 140, render: (v?: string) => v ?? '—' },
              { title: t('bundles.col.size'), dataIndex: 'sizeBytes', width: 100, align: 'right', render: (n: number) => <span className="nowrap">{formatBytes(n)}</span> },
              { title: t('bundles.col.signature'), key: 'sig', width: 190, render: (_, f) => <SignatureBadge status={f.signature} keyId={f.keyId} /> },
              {
                title: t('common.actions'), key: 'actions', width: 190, align: 'right',
                render: (_, f) => (
                  <Space size={4}>
                    <Button size="small" onClick={() => verify(f.path)} disabled={busy} data-testid="found-verify">{t('bundles.verify')}</Button>
                    <Button size="small" type="primary" onClick={() => onLoad({ ...f })} disabled={busy || f.signature === 'invalid'} data-testid="found-load">{t('bundles.loadButton')}</Button>
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Space>
    </Card>
  );
}
