import { App, Button, Card, Flex, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { CheckOutlined, DatabaseOutlined, DeleteOutlined, DiffOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { BundleRecord, Site } from '../../../../electron/core/api/types';
import { api } from '../../api';
import { formatDate } from '../../components/format';
import { errorText } from '../../i18n';
import { href } from '../../router';
import { reloadSites } from '../../state/sites';
import { formatBytes, shortDigest } from './format';
import { SignatureBadge } from './signature';

/** Records the bundle as the one the site runs (or is about to install), and says so. */
export async function chooseBundleForSite(site: Site, rec: BundleRecord, t: TFunction, say: { success(text: string): unknown; error(text: string): unknown }): Promise<void> {
  try {
    await api.bundles.useForSite({ siteId: site.id, digest: rec.digest });
    await reloadSites();
    say.success(t('bundles.usedForSite', { site: site.name, name: `${rec.name} ${rec.version}` }));
  } catch (e) {
    say.error(errorText(t, e));
  }
}

/** The local library: every bundle loaded, where it lives, whether it is trusted, which the site runs. */
export function LibraryTable({ records, loading, site }: { records: BundleRecord[]; loading: boolean; site?: Site }) {
  const { t } = useTranslation();
  const { message } = App.useApp();

  const remove = async (r: BundleRecord) => {
    try {
      await api.bundles.remove({ digest: r.digest });
      message.success(t('bundles.removed', { name: `${r.name} ${r.version}` }));
    } catch (e) {
      message.error(errorText(t, e));
    }
  };

  return (
    <Card
      title={<Flex align="center" gap={8}><DatabaseOutlined />{t('bundles.library.title')}</Flex>}
      styles={{ body: { padding: 0 } }}
      style={{ marginBottom: 16 }}
      extra={site && <Typography.Text type="secondary">{site.bundleVersion ? t('bundles.library.siteRuns', { site: site.name, version: site.bundleVersion }) : t('bundles.library.siteNone', { site: site.name })}</Typography.Text>}
    >
      <Table<BundleRecord>
        rowKey="digest"
        loading={loading}
        dataSource={records}
        pagination={false}
        data-testid="library-table"
        locale={{ emptyText: t('bundles.library.empty') }}
        onRow={(r) => ({ 'data-testid': `library-${r.name}-${r.version}`, 'data-digest': r.digest } as object)}
        columns={[
          {
            title: t('bundles.col.bundle'), key: 'name',
            render: (_, r) => (
              <div>
                <div className="nowrap">
                  <a href={href('bundles', r.digest)} data-testid="library-open"><Typography.Text strong>{r.name}</Typography.Text></a> <Tag>{r.version}</Tag>
                </div>
                {site?.bundleDigest === r.digest && <Tag color="blue" icon={<CheckOutlined />} data-testid="library-site-tag">{t('bundles.library.runsHere')}</Tag>}
                <div className="cell-note mono">{shortDigest(r.digest)}</div>
              </div>
            ),
          },
          { title: t('bundles.col.vendor'), dataIndex: 'vendor' },
          { title: 'k3s', dataIndex: 'k3sVersion', width: 130 },
          { title: t('bundles.col.size'), dataIndex: 'sizeBytes', width: 100, align: 'right', render: (n: number) => <span className="nowrap">{formatBytes(n)}</span> },
          { title: t('bundles.col.signature'), key: 'sig', width: 190, render: (_, r) => <SignatureBadge status={r.signature} keyId={r.keyId} keyName={r.keyName} override={r.trustOverride} /> },
          {
            title: t('bundles.col.location'), key: 'loc', width: 210,
            render: (_, r) => (
              <div>
                <Tag color={r.location === 'library' ? 'geekblue' : 'default'} data-testid="library-location" data-location={r.location}>{t(`bundles.location.${r.location}`)}</Tag>
                {!r.available && <Tag color="error">{t('bundles.location.missing')}</Tag>}
                {r.location === 'in-place' && <Tooltip title={r.path}><div className="cell-note mono ellipsis" style={{ maxWidth: 190 }}>{r.path}</div></Tooltip>}
              </div>
            ),
          },
          { title: t('bundles.col.added'), dataIndex: 'addedAt', width: 150, render: (v: string) => formatDate(v) },
          {
            title: t('common.actions'), key: 'actions', width: 250, align: 'right',
            render: (_, r) => (
              <Space size={0}>
                <Button type="link" size="small" icon={<DiffOutlined />} href={href('bundles', r.digest)} data-testid="library-details">{t('bundles.details')}</Button>
                {site && site.bundleDigest !== r.digest && (
                  <Button type="link" size="small" onClick={() => void chooseBundleForSite(site, r, t, message)} data-testid="library-use">{t('bundles.useForSite')}</Button>
                )}
                <Popconfirm
                  title={t('bundles.removeTitle', { name: `${r.name} ${r.version}` })}
                  description={r.location === 'library' ? t('bundles.removeCopy') : t('bundles.removeInPlace')}
                  okText={t('common.delete')}
                  cancelText={t('common.cancel')}
                  okButtonProps={{ danger: true }}
                  onConfirm={() => remove(r)}
                >
                  <Tooltip title={t('common.delete')}><Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} data-testid="library-remove" /></Tooltip>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
