import type { Key } from 'react';
import { Button, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { ApiOutlined, CheckCircleFilled, CloseCircleFilled, DeleteOutlined, EditOutlined, LockOutlined, MinusCircleOutlined, WarningFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Host } from '../../../../electron/core/api/types';
import { errorText } from '../../i18n';
import { formatDate, formatTime } from '../../components/format';
import { HostKeyAlert, hostKeyChanged } from './host-key-alert';

export type HostStatus = 'ok' | 'failed' | 'key-changed' | 'untested';

export function hostStatus(h: Host): HostStatus {
  if (!h.lastTest) return 'untested';
  if (hostKeyChanged(h)) return 'key-changed';
  return h.lastTest.ok ? 'ok' : 'failed';
}

function shortFingerprint(fp: string): string {
  const body = fp.replace(/^SHA256:/, '');
  return `SHA256:${body.slice(0, 8)}…${body.slice(-4)}`;
}

function StatusCell({ host, testing }: { host: Host; testing: boolean }) {
  const { t } = useTranslation();
  const status = hostStatus(host);
  const lt = host.lastTest;
  const tag = {
    ok: <Tag color="success" icon={<CheckCircleFilled />}>{t('hosts.status.ok')}{lt?.latencyMs !== undefined ? ` · ${lt.latencyMs} ms` : ''}</Tag>,
    failed: <Tag color="error" icon={<CloseCircleFilled />}>{t('hosts.status.failed')}</Tag>,
    'key-changed': <Tag color="#cf1322" icon={<WarningFilled />}>{t('hosts.status.keyChanged')}</Tag>,
    untested: <Tag icon={<MinusCircleOutlined />}>{t('hosts.status.untested')}</Tag>,
  }[status];
  return (
    <div data-testid={`host-status-${host.name}`} data-status={status} data-testing={testing ? 'true' : undefined}>
      <Space size={4} wrap>
        {lt ? <Tooltip title={t('hosts.testedAt', { at: formatTime(lt.at) })}>{tag}</Tooltip> : tag}
        {testing && <Tag color="processing">{t('hosts.status.testing')}</Tag>}
      </Space>
      {lt?.ok && lt.remote && (
        <div className="cell-note">
          <div>{lt.remote.os}</div>
          <div>{t(`hosts.remoteSudo.${lt.remote.sudo}`)}</div>
        </div>
      )}
      {lt && !lt.ok && lt.error && status !== 'key-changed' && (
        <div className="cell-note cell-error" data-testid="host-error">{errorText(t, lt.error)}</div>
      )}
      {status === 'key-changed' && <div className="cell-note cell-error">{t('hosts.keyChangedShort')}</div>}
    </div>
  );
}

function FingerprintCell({ host }: { host: Host }) {
  const { t } = useTranslation();
  const k = host.hostKey;
  if (!k) {
    return <Typography.Text type="secondary" data-testid={`host-fingerprint-${host.name}`} data-fingerprint="">{t('hosts.notPinned')}</Typography.Text>;
  }
  return (
    <div data-testid={`host-fingerprint-${host.name}`} data-fingerprint={k.fingerprint}>
      <Tooltip title={<span className="mono">{k.fingerprint}</span>}>
        <Typography.Text className="mono fingerprint nowrap" copyable={{ text: k.fingerprint, tooltips: [t('common.copy'), t('common.copied')] }}>
          {shortFingerprint(k.fingerprint)}
        </Typography.Text>
      </Tooltip>
      <div className="cell-note">
        <Tooltip title={<>{t('hosts.pinnedHint', { at: formatTime(k.pinnedAt) })}<br />{k.algorithm}</>}>
          <span data-testid="host-pinned">
            <LockOutlined /> {host.lastTest?.pinnedNow ? t('hosts.pinnedFirstUse') : t('hosts.pinned', { at: formatDate(k.pinnedAt) })}
          </span>
        </Tooltip>
      </div>
    </div>
  );
}

export function HostTable({ hosts, loading, selected, onSelect, testingIds, onEdit, onDelete, onTest, onTrusted }: {
  hosts: Host[];
  loading: boolean;
  selected: Key[];
  onSelect: (keys: Key[]) => void;
  testingIds: Set<string>;
  onEdit: (h: Host) => void;
  onDelete: (h: Host) => void;
  onTest: (h: Host) => void;
  onTrusted: () => void;
}) {
  const { t } = useTranslation();
  const changed = hosts.filter(hostKeyChanged).map((h) => h.id);
  return (
    <Table<Host>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={hosts}
      pagination={hosts.length > 50 ? { pageSize: 50 } : false}
      scroll={{ x: 1200 }}
      data-testid="hosts-table"
      rowSelection={{ selectedRowKeys: selected, onChange: onSelect, columnWidth: 36 }}
      rowClassName={(h) => (hostKeyChanged(h) ? 'row-key-changed' : '')}
      onRow={(h) => ({ 'data-testid': `host-row-${h.name}` } as object)}
      // Hosts whose key changed carry the alert right under their row.
      expandable={{
        expandedRowKeys: changed,
        rowExpandable: hostKeyChanged,
        showExpandColumn: false,
        expandedRowRender: (h) => <HostKeyAlert host={h} onTrusted={onTrusted} />,
      }}
      locale={{ emptyText: t('hosts.empty') }}
      columns={[
        {
          title: t('hosts.col.name'), dataIndex: 'name', fixed: 'left', width: 120,
          render: (name: string) => <Typography.Text strong>{name}</Typography.Text>,
        },
        { title: t('hosts.col.address'), key: 'address', width: 150, render: (_, h) => <span className="mono">{h.address}:{h.port}</span> },
        { title: t('hosts.col.user'), dataIndex: 'user', width: 90, render: (u: string) => <span className="mono">{u}</span> },
        {
          title: t('hosts.col.auth'), dataIndex: 'auth', width: 110,
          render: (a: Host['auth'], h) => (
            <div>
              {t(`hosts.authShort.${a}`)}
              {a === 'key' && h.keyPath && <Tooltip title={h.keyPath}><div className="cell-note mono ellipsis">{h.keyPath}</div></Tooltip>}
              {a === 'password' && <div className="cell-note">{h.hasPassword ? t('hosts.secretStored') : t('hosts.secretMissing')}</div>}
            </div>
          ),
        },
        { title: t('hosts.col.sudo'), dataIndex: 'sudo', width: 96, render: (s: Host['sudo']) => t(`hosts.sudo.${s}`) },
        {
          title: t('hosts.col.role'), dataIndex: 'role', width: 76,
          render: (r: Host['role']) => <Tag color={r === 'server' ? 'geekblue' : 'cyan'}>{t(`hosts.role.${r}`)}</Tag>,
        },
        { title: t('hosts.col.fingerprint'), key: 'fingerprint', width: 196, render: (_, h) => <FingerprintCell host={h} /> },
        { title: t('hosts.col.status'), key: 'status', render: (_, h) => <StatusCell host={h} testing={testingIds.has(h.id)} /> },
        {
          title: t('common.actions'), key: 'actions', fixed: 'right', width: 104, align: 'right',
          render: (_, h) => (
            <Space size={0}>
              <Tooltip title={t('hosts.testOne')}>
                <Button type="text" icon={<ApiOutlined />} aria-label={t('hosts.testOne')} onClick={() => onTest(h)} data-testid={`host-test-${h.name}`} />
              </Tooltip>
              <Tooltip title={t('common.edit')}>
                <Button type="text" icon={<EditOutlined />} aria-label={t('common.edit')} onClick={() => onEdit(h)} data-testid={`host-edit-${h.name}`} />
              </Tooltip>
              <Popconfirm
                title={t('hosts.deleteTitle', { name: h.name })}
                description={t('hosts.deleteText')}
                okText={t('common.delete')}
                cancelText={t('common.cancel')}
                okButtonProps={{ danger: true }}
                onConfirm={() => onDelete(h)}
              >
                <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} data-testid={`host-delete-${h.name}`} />
              </Popconfirm>
            </Space>
          ),
        },
      ]}
    />
  );
}
