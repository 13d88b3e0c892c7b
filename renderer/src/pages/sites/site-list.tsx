import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, Empty, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Site } from '../../../../electron/core/api/types';
import { api } from '../../api';
import { testId } from '../../components/test-id';
import { errorText } from '../../i18n';
import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';
import { formatTime } from '../../components/format';
import { href, navigate } from '../../router';
import { reloadSites, setCurrentSite, useSites } from '../../state/sites';
import { useEvent } from '../../state/events';
import { SiteFormModal } from './site-form';

/** Every customer site this laptop manages. */
export function SiteList() {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const { sites, loaded, error, currentId } = useSites();
  const [editing, setEditing] = useState<{ site?: Site } | null>(null);
  const [hostCounts, setHostCounts] = useState<Record<string, number>>({});

  const loadCounts = useCallback(async () => {
    const pairs = await Promise.all(sites.map(async (s) => {
      try { return [s.id, (await api.sites.get({ id: s.id })).hosts.length] as const; } catch { return [s.id, -1] as const; }
    }));
    setHostCounts(Object.fromEntries(pairs));
  }, [sites]);
  useEffect(() => { void loadCounts(); }, [loadCounts]);
  useEvent('store.changed', (c) => { if (c.collection === 'hosts') void loadCounts(); });

  const remove = (site: Site) => {
    modal.confirm({
      title: t('sites.deleteTitle', { name: site.name }),
      content: t('sites.deleteText', { count: hostCounts[site.id] ?? 0 }),
      okText: t('common.delete'),
      okButtonProps: { danger: true, ...testId('confirm-ok') },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await api.sites.remove({ id: site.id });
          message.success(t('sites.deleted', { name: site.name }));
          await reloadSites();
        } catch (e) {
          message.error(errorText(t, e));
        }
      },
    });
  };

  return (
    <div data-testid="page-sites">
      <PageHeader
        title={t('sites.title')}
        subtitle={t('sites.subtitle')}
        extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})} data-testid="site-create">{t('sites.create')}</Button>}
      />
      <ErrorAlert error={error} onRetry={() => void reloadSites()} />
      <Card styles={{ body: { padding: sites.length ? 0 : 24 } }}>
        {loaded && sites.length === 0 ? (
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={(
              <Space orientation="vertical" size={4}>
                <Typography.Text strong data-testid="sites-empty">{t('sites.emptyTitle')}</Typography.Text>
                <Typography.Text type="secondary">{t('sites.emptyText')}</Typography.Text>
              </Space>
            )}
          >
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})}>{t('sites.createFirst')}</Button>
          </Empty>
        ) : (
          <Table<Site>
            rowKey="id"
            loading={!loaded}
            dataSource={sites}
            pagination={false}
            data-testid="sites-table"
            onRow={(s) => ({ 'data-testid': `site-row-${s.name}`, onDoubleClick: () => navigate('sites', s.id) } as object)}
            columns={[
              {
                title: t('sites.col.name'), dataIndex: 'name',
                render: (name: string, s) => (
                  <Space>
                    <a href={href('sites', s.id)} onClick={() => setCurrentSite(s.id)} data-testid="site-open"><Typography.Text strong>{name}</Typography.Text></a>
                    {s.id === currentId && <Tag color="blue">{t('sites.current')}</Tag>}
                  </Space>
                ),
              },
              { title: t('sites.col.description'), dataIndex: 'description', ellipsis: true, render: (d: string) => d || <Typography.Text type="secondary">—</Typography.Text> },
              {
                title: t('sites.col.hosts'), key: 'hosts', width: 100,
                render: (_, s) => (hostCounts[s.id] === undefined || hostCounts[s.id] < 0 ? '…' : hostCounts[s.id]),
              },
              {
                title: t('sites.col.bundle'), dataIndex: 'bundleVersion', width: 160,
                render: (v?: string) => (v ? <Tag>{v}</Tag> : <Typography.Text type="secondary">{t('sites.notInstalled')}</Typography.Text>),
              },
              { title: t('sites.col.updated'), dataIndex: 'updatedAt', width: 200, render: (v: string) => formatTime(v) },
              {
                title: t('common.actions'), key: 'actions', width: 120, align: 'right',
                render: (_, s) => (
                  <Space size={0}>
                    <Tooltip title={t('sites.rename')}>
                      <Button type="text" icon={<EditOutlined />} aria-label={t('sites.rename')} onClick={() => setEditing({ site: s })} data-testid="site-rename" />
                    </Tooltip>
                    <Tooltip title={t('common.delete')}>
                      <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => remove(s)} data-testid="site-delete" />
                    </Tooltip>
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Card>
      <SiteFormModal
        open={!!editing}
        site={editing?.site}
        onClose={() => setEditing(null)}
        onSaved={(s) => {
          const created = !editing?.site;
          setEditing(null);
          void reloadSites();
          message.success(created ? t('sites.created', { name: s.name }) : t('sites.saved', { name: s.name }));
          if (created) { setCurrentSite(s.id); navigate('sites', s.id); }
        }}
      />
    </div>
  );
}
