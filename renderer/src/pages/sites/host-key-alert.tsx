import { useState } from 'react';
import { Alert, App, Button, Descriptions, Typography } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Host } from '../../../../electron/core/api/types';
import { api } from '../../api';
import { testId } from '../../components/test-id';
import { errorText } from '../../i18n';

export function hostKeyChanged(h: Host): boolean {
  return h.lastTest?.ok === false && h.lastTest.error?.code === 'ssh.host_key_changed';
}

/** The pinned and the offered fingerprint of a host whose key changed. */
export function keyChange(h: Host): { expected?: string; offered?: string; algorithm?: string } {
  const d = h.lastTest?.error?.details ?? {};
  return {
    expected: (d.expected as string | undefined) ?? h.hostKey?.fingerprint,
    offered: h.lastTest?.offeredKey?.fingerprint ?? (d.offered as string | undefined),
    algorithm: h.lastTest?.offeredKey?.algorithm ?? (d.algorithm as string | undefined),
  };
}

/** The host key file's type as sshd names it: ssh-ed25519 → ed25519, ecdsa-sha2-nistp256 → ecdsa. */
function keyType(algorithm: string | undefined): string {
  if (!algorithm) return 'ed25519';
  if (algorithm.startsWith('ecdsa')) return 'ecdsa';
  if (/rsa/.test(algorithm)) return 'rsa';
  return algorithm.replace(/^ssh-/, '');
}

/**
 * A host offered a different key than the pinned one: Outpost refused to log in. Say what that
 * means, show both fingerprints, and let the engineer pin the new key only after verifying it.
 */
export function HostKeyAlert({ host, onTrusted }: { host: Host; onTrusted: () => void }) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const { expected, offered, algorithm } = keyChange(host);

  const confirm = () => {
    if (!offered) return;
    modal.confirm({
      title: t('hostKey.confirmTitle', { name: host.name }),
      width: 560,
      icon: <SafetyCertificateOutlined style={{ color: '#faad14' }} />,
      content: (
        <div data-testid="trust-key-dialog">
          <Typography.Paragraph>{t('hostKey.confirmText', { host: `${host.address}:${host.port}` })}</Typography.Paragraph>
          <div className="fingerprint-box" data-testid="trust-key-fingerprint">{offered}</div>
          {algorithm && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('hostKey.algorithm', { algorithm })}</Typography.Text>}
          <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>{t('hostKey.confirmHowTo')}</Typography.Paragraph>
          <pre className="mono command-box">ssh-keygen -lf /etc/ssh/ssh_host_{keyType(algorithm)}_key.pub</pre>
        </div>
      ),
      okText: t('hostKey.confirmOk'),
      okButtonProps: { danger: true, ...testId('trust-key-ok') },
      cancelText: t('common.cancel'),
      onOk: async () => {
        setBusy(true);
        try {
          await api.hosts.trustKey({ id: host.id, fingerprint: offered });
          message.success(t('hostKey.trusted', { name: host.name }));
          onTrusted();
        } catch (e) {
          message.error(errorText(t, e));
        } finally {
          setBusy(false);
        }
      },
    });
  };

  return (
    <Alert
      type="error"
      showIcon
      className="host-key-alert"
      data-testid={`host-key-alert-${host.name}`}
      title={<span data-testid="host-key-alert-title">{t('hostKey.title', { name: host.name, host: `${host.address}:${host.port}` })}</span>}
      description={(
        <>
          <Typography.Paragraph style={{ marginBottom: 8 }} data-testid="host-key-alert-text">
            {host.lastTest?.error ? errorText(t, host.lastTest.error) : ''}
          </Typography.Paragraph>
          <Typography.Paragraph style={{ marginBottom: 8 }}>{t('hostKey.meaning')}</Typography.Paragraph>
          <Descriptions
            size="small"
            column={1}
            bordered
            style={{ marginBottom: 8, background: '#fff' }}
            items={[
              { key: 'expected', label: t('hostKey.expected'), children: <span className="mono" data-testid="host-key-expected">{expected}</span> },
              { key: 'offered', label: t('hostKey.offered'), children: <span className="mono" data-testid="host-key-offered">{offered}{algorithm ? ` (${algorithm})` : ''}</span> },
            ]}
          />
        </>
      )}
      action={(
        <Button danger type="primary" loading={busy} disabled={!offered} onClick={confirm} data-testid={`trust-key-${host.name}`}>
          {t('hostKey.verified')}
        </Button>
      )}
    />
  );
}
