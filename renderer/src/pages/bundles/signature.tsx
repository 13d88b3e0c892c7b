import type { ReactNode } from 'react';
import { Tag, Tooltip } from 'antd';
import { CheckCircleOutlined, CloseCircleOutlined, ExclamationCircleOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { SignatureStatus } from '../../../../electron/core/api/types';

const LOOK: Record<SignatureStatus, { color: string; icon: ReactNode }> = {
  valid: { color: 'success', icon: <CheckCircleOutlined /> },
  unsigned: { color: 'warning', icon: <QuestionCircleOutlined /> },
  untrusted: { color: 'orange', icon: <ExclamationCircleOutlined /> },
  invalid: { color: 'error', icon: <CloseCircleOutlined /> },
};

/** The signature status as a badge: trusted, unsigned, unknown key, or broken; the key in the tooltip. */
export function SignatureBadge({ status, keyId, keyName, override }: { status: SignatureStatus; keyId?: string; keyName?: string; override?: { reason: string } }) {
  const { t } = useTranslation();
  const look = LOOK[status];
  const tip = [
    t(`bundles.signatureHint.${status}`),
    keyName ? t('bundles.signedBy', { name: keyName, keyId }) : keyId ? t('bundles.keyId', { keyId }) : '',
    override ? t('bundles.overrideReason', { reason: override.reason }) : '',
  ].filter(Boolean).join(' ');
  return (
    <Tooltip title={tip}>
      <Tag color={look.color} icon={look.icon} data-testid="signature-badge" data-status={status} style={{ marginInlineEnd: 0 }}>
        {t(`bundles.signature.${status}`)}{override ? ' *' : ''}
      </Tag>
    </Tooltip>
  );
}
