import { useState } from 'react';
import { App, Button, Card, Flex, Form, Input, Modal, Popconfirm, Table, Tooltip, Typography } from 'antd';
import { DeleteOutlined, KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TrustedVendorKey } from '../../../../electron/core/api/types';
import { api } from '../../api';
import { formatDate } from '../../components/format';
import { testId } from '../../components/test-id';
import { errorText } from '../../i18n';

function AddKeyModal({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name?: string; publicKey: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async (v: { name?: string; publicKey: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      const k = await api.bundles.addKey({ publicKey: v.publicKey, ...(v.name?.trim() ? { name: v.name.trim() } : {}) });
      message.success(t('bundles.keys.added', { name: k.name, id: k.id }));
      form.resetFields();
      onClose();
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('bundles.keys.addTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('bundles.keys.trust')}
      okButtonProps={{ loading: busy, ...testId('key-add-ok') }}
      cancelText={t('common.cancel')}
      width={600}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('bundles.keys.addIntro')}</Typography.Paragraph>
      <Form form={form} layout="vertical" name="trusted-key" onFinish={(v) => void submit(v)} data-testid="key-form">
        <Form.Item name="publicKey" label={t('bundles.keys.publicKey')} rules={[{ required: true, whitespace: true, message: t('bundles.keys.publicKeyRequired') }]}
          validateStatus={error ? 'error' : undefined} help={error}>
          <Input.TextArea rows={4} className="mono" placeholder={'untrusted comment: acme 2025 public key\nRWQ…'} data-testid="key-text" onChange={() => setError(undefined)} />
        </Form.Item>
        <Form.Item name="name" label={t('bundles.keys.name')} extra={t('bundles.keys.nameHint')}>
          <Input maxLength={120} placeholder={t('bundles.keys.namePlaceholder')} data-testid="key-name" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Vendor public keys this laptop trusts: a bundle signed by one of them loads without questions. */
export function TrustedKeysCard({ keys, loading }: { keys: TrustedVendorKey[]; loading: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [adding, setAdding] = useState(false);

  const remove = async (k: TrustedVendorKey) => {
    try {
      await api.bundles.removeKey({ id: k.id });
      message.success(t('bundles.keys.removed', { name: k.name }));
    } catch (e) {
      message.error(errorText(t, e));
    }
  };

  return (
    <Card
      title={<Flex align="center" gap={8}><KeyOutlined />{t('bundles.keys.title')}</Flex>}
      extra={<Button icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="key-add">{t('bundles.keys.add')}</Button>}
      styles={{ body: { padding: 0 } }}
      data-testid="trusted-keys"
    >
      <Typography.Paragraph type="secondary" style={{ padding: '12px 16px 0', margin: 0 }}>{t('bundles.keys.intro')}</Typography.Paragraph>
      <Table<TrustedVendorKey>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={keys}
        pagination={false}
        data-testid="keys-table"
        locale={{ emptyText: t('bundles.keys.empty') }}
        onRow={(k) => ({ 'data-testid': `key-${k.id}` } as object)}
        columns={[
          { title: t('bundles.keys.name'), dataIndex: 'name', render: (n: string) => <Typography.Text strong>{n}</Typography.Text> },
          { title: t('bundles.keys.id'), dataIndex: 'id', width: 200, render: (id: string) => <Typography.Text className="mono" copyable>{id}</Typography.Text> },
          { title: t('bundles.col.added'), dataIndex: 'addedAt', width: 180, render: (v: string) => formatDate(v) },
          {
            title: t('common.actions'), key: 'a', width: 90, align: 'right',
            render: (_, k) => (
              <Popconfirm title={t('bundles.keys.removeTitle', { name: k.name })} description={t('bundles.keys.removeText')} okText={t('common.delete')} cancelText={t('common.cancel')} okButtonProps={{ danger: true }} onConfirm={() => remove(k)}>
                <Tooltip title={t('common.delete')}><Button type="text" danger size="small" icon={<DeleteOutlined />} aria-label={t('common.delete')} data-testid="key-remove" /></Tooltip>
              </Popconfirm>
            ),
          },
        ]}
      />
      <AddKeyModal open={adding} onClose={() => setAdding(false)} />
    </Card>
  );
}
