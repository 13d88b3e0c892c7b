import { useEffect, useState } from 'react';
import { Alert, Col, Form, Input, InputNumber, Modal, Radio, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AuthMethod, Host, HostInput, HostRole, SudoMode } from '../../../../electron/core/api/types';
import { api } from '../../api';
import { testId } from '../../components/test-id';
import { errorText, toErrorInfo } from '../../i18n';

interface Values {
  name?: string;
  address: string;
  port: number;
  user: string;
  auth: AuthMethod;
  keyPath?: string;
  passphrase?: string;
  password?: string;
  sudo: SudoMode;
  role: HostRole;
}

// The same rules the core applies (electron/core/api/contract.ts), checked here for quick feedback.
const ADDRESS = /^[A-Za-z0-9.:\-_[\]%]+$/;
const USER = /^[A-Za-z0-9._][A-Za-z0-9._-]*\$?$/;
const FIELDS = ['name', 'address', 'port', 'user', 'auth', 'keyPath', 'passphrase', 'password', 'sudo', 'role'] as const;

/** Add or edit one host. Secrets are write-only: a stored one shows as "stored" and is kept unless retyped. */
export function HostFormModal({ open, siteId, host, onClose, onSaved }: {
  open: boolean;
  siteId: string;
  host?: Host;
  onClose: () => void;
  onSaved: (h: Host) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string>();
  const auth = Form.useWatch('auth', form) ?? host?.auth ?? 'key';
  const sudo = Form.useWatch('sudo', form) ?? host?.sudo ?? 'none';

  useEffect(() => {
    if (!open) return;
    setFormError(undefined);
    form.setFieldsValue({
      name: host?.name ?? '', address: host?.address ?? '', port: host?.port ?? 22, user: host?.user ?? '',
      auth: host?.auth ?? 'key', keyPath: host?.keyPath ?? '', passphrase: '', password: '',
      sudo: host?.sudo ?? 'none', role: host?.role ?? 'server',
    });
  }, [open, host, form]);

  const needsPassword = auth === 'password' || sudo === 'password';
  const passwordStored = !!host?.hasPassword;

  const submit = async (v: Values) => {
    setSaving(true);
    setFormError(undefined);
    const input: HostInput = {
      ...(host ? { id: host.id } : {}),
      siteId,
      name: v.name?.trim() || undefined,
      address: v.address.trim(),
      port: v.port,
      user: v.user.trim(),
      auth: v.auth,
      sudo: v.sudo,
      role: v.role,
      ...(v.auth === 'key' ? { keyPath: v.keyPath?.trim() } : {}),
      ...(v.auth === 'key' && v.passphrase ? { passphrase: v.passphrase } : {}),
      ...(needsPassword && v.password ? { password: v.password } : {}),
    };
    try {
      onSaved(await api.hosts.save(input));
    } catch (e) {
      const field = toErrorInfo(e).details?.field;
      if (typeof field === 'string' && (FIELDS as readonly string[]).includes(field)) {
        form.setFields([{ name: field as (typeof FIELDS)[number], errors: [errorText(t, e)] }]);
      } else {
        setFormError(errorText(t, e));
      }
    } finally {
      setSaving(false);
    }
  };

  const required = (label: string) => ({ required: true, whitespace: true, message: t('validation.requiredField', { field: label }) });

  return (
    <Modal
      open={open}
      width={720}
      title={host ? t('hosts.editTitle', { name: host.name }) : t('hosts.addTitle')}
      onCancel={onClose}
      okText={host ? t('common.save') : t('hosts.add')}
      cancelText={t('common.cancel')}
      okButtonProps={{ htmlType: 'submit', loading: saving, ...testId('host-form-submit') }}
      cancelButtonProps={{ ...testId('host-form-cancel') }}
      destroyOnHidden
      mask={{ closable: false }}
      modalRender={(dom) => (
        <Form form={form} layout="vertical" name="host" onFinish={submit} clearOnDestroy data-testid="host-form" autoComplete="off">
          {dom}
        </Form>
      )}
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} data-testid="host-form-error" />}
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="address" label={t('hosts.fields.address')} extra={t('hosts.fields.addressHint')}
            rules={[required(t('hosts.fields.address')), { pattern: ADDRESS, message: t('validation.address') }, { max: 255 }]}>
            <Input autoFocus placeholder="192.168.10.21" spellCheck={false} />
          </Form.Item>
        </Col>
        <Col span={5}>
          <Form.Item name="port" label={t('hosts.fields.port')} rules={[{ required: true, message: t('validation.port') }, { type: 'integer', min: 1, max: 65535, message: t('validation.port') }]}>
            <InputNumber min={1} max={65535} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={7}>
          <Form.Item name="name" label={t('hosts.fields.name')} extra={t('hosts.fields.nameHint')} rules={[{ max: 120 }]}>
            <Input placeholder={t('hosts.fields.namePlaceholder')} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="user" label={t('hosts.fields.user')} extra={t('hosts.fields.userHint')}
            rules={[required(t('hosts.fields.user')), { pattern: USER, message: t('validation.user') }, { max: 64 }]}>
            <Input placeholder="root" spellCheck={false} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="auth" label={t('hosts.fields.auth')} rules={[{ required: true }]}>
            <Select<AuthMethod>
              data-testid="host-auth"
              options={(['key', 'password', 'agent'] as const).map((a) => ({
                value: a,
                label: <span data-testid={`auth-option-${a}`}>{t(`hosts.auth.${a}`)}</span>,
              }))}
            />
          </Form.Item>
        </Col>
      </Row>
      {auth === 'key' && (
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="keyPath" label={t('hosts.fields.keyPath')} extra={t('hosts.fields.keyPathHint')} rules={[required(t('hosts.fields.keyPath'))]}>
              <Input placeholder="/home/engineer/.ssh/id_ed25519" spellCheck={false} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="passphrase" label={t('hosts.fields.passphrase')}
              extra={host?.hasPassphrase ? t('hosts.fields.secretKeep') : t('hosts.fields.passphraseHint')}>
              <Input.Password placeholder={host?.hasPassphrase ? t('hosts.fields.stored') : t('hosts.fields.passphraseNone')} autoComplete="new-password" />
            </Form.Item>
          </Col>
        </Row>
      )}
      {auth === 'agent' && <Alert type="info" showIcon title={t('hosts.fields.agentHint')} style={{ marginBottom: 16 }} />}
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="sudo" label={t('hosts.fields.sudo')} extra={t(`hosts.sudoHint.${sudo}`)}>
            <Radio.Group optionType="button" buttonStyle="solid" data-testid="host-sudo"
              options={(['none', 'nopasswd', 'password'] as const).map((s) => ({ value: s, label: t(`hosts.sudo.${s}`) }))} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="role" label={t('hosts.fields.role')} extra={t('hosts.fields.roleHint')}>
            <Radio.Group optionType="button" buttonStyle="solid" data-testid="host-role"
              options={(['server', 'agent'] as const).map((r) => ({ value: r, label: t(`hosts.role.${r}`) }))} />
          </Form.Item>
        </Col>
      </Row>
      {needsPassword && (
        <Form.Item
          name="password"
          label={auth === 'password' ? t('hosts.fields.password') : t('hosts.fields.sudoPassword')}
          extra={passwordStored ? t('hosts.fields.secretKeep') : auth === 'password' ? t('hosts.fields.passwordHint') : t('hosts.fields.sudoPasswordHint')}
          rules={passwordStored ? [] : [{ required: true, message: t('validation.password') }]}
        >
          <Input.Password placeholder={passwordStored ? t('hosts.fields.stored') : ''} autoComplete="new-password" data-testid="host-password" />
        </Form.Item>
      )}
    </Modal>
  );
}
