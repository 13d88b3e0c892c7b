import { useEffect, useState } from 'react';
import { Alert, App, Descriptions, Form, Input, Modal, Radio, Space, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SignatureStatus } from '../../../../electron/core/api/types';
import { api } from '../../api';
import { testId } from '../../components/test-id';
import { errorText } from '../../i18n';
import { trackJob } from '../../state/jobs';
import { followJob } from './data';
import { formatBytes } from './format';
import { SignatureBadge } from './signature';

/** What the dialog knows about the bundle to load; from a scan, or read from the path when it opens. */
export interface LoadTarget {
  path: string;
  name?: string;
  version?: string;
  vendor?: string;
  sizeBytes?: number;
  signature?: SignatureStatus;
  keyId?: string;
  /** A load refused for want of a reason: ask for one at once. */
  refused?: boolean;
}

/**
 * Load a bundle: copy it into the library (the stick can go back in the pocket; an interrupted
 * copy resumes) or use it where it lies. A bundle that is not signed by a trusted vendor key
 * needs a reason, which goes to the audit log; a broken signature cannot be loaded at all.
 */
export function LoadDialog({ target, onClose }: { target: LoadTarget | null; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [info, setInfo] = useState<LoadTarget | null>(null);
  const [reading, setReading] = useState(false);
  const [readError, setReadError] = useState<unknown>();
  const [copy, setCopy] = useState(true);
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setInfo(target);
    setReason('');
    setTouched(false);
    setReadError(undefined);
    setCopy(true);
    if (!target || target.signature) return;
    // Typed path: read what it is (name, version, signature) before asking anything.
    let live = true;
    setReading(true);
    api.bundles.inspect({ ref: target.path }).then(
      (i) => { if (live) setInfo({ ...target, name: i.name, version: i.version, vendor: i.vendor, sizeBytes: i.sizeBytes, signature: i.signature, keyId: i.keyId }); },
      (e) => { if (live) setReadError(e); },
    ).finally(() => { if (live) setReading(false); });
    return () => { live = false; };
  }, [target]);

  const sig = info?.signature;
  const needsReason = sig === 'unsigned' || sig === 'untrusted' || !!info?.refused;
  const blocked = sig === 'invalid' || !!readError;
  const reasonMissing = needsReason && reason.trim() === '';

  const submit = async () => {
    if (!info || blocked) return;
    if (reasonMissing) { setTouched(true); return; }
    setBusy(true);
    try {
      const { jobId } = await api.bundles.load({ path: info.path, copy, ...(needsReason ? { allowUntrusted: { reason: reason.trim() } } : {}) });
      trackJob(jobId);
      followJob(jobId);
      onClose();
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={!!target}
      title={t('bundles.load.title')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={needsReason ? t('bundles.load.okAnyway') : t('bundles.load.ok')}
      okButtonProps={{ disabled: blocked || reading, loading: busy, danger: needsReason, ...testId('load-ok') }}
      cancelText={t('common.cancel')}
      width={620}
      destroyOnHidden
    >
      <div data-testid="load-dialog" data-needs-reason={needsReason}>
        {reading && <Spin size="small" />}
        {readError ? <Alert type="error" showIcon title={errorText(t, readError)} data-testid="load-read-error" /> : null}
        {info && !readError && (
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            <Descriptions size="small" column={1} bordered items={[
              { key: 'bundle', label: t('bundles.col.bundle'), children: info.name ? <Typography.Text strong data-testid="load-name">{info.name} {info.version}</Typography.Text> : '…' },
              ...(info.vendor ? [{ key: 'vendor', label: t('bundles.col.vendor'), children: info.vendor }] : []),
              { key: 'path', label: t('bundles.col.path'), children: <Typography.Text className="mono" copyable>{info.path}</Typography.Text> },
              ...(info.sizeBytes !== undefined ? [{ key: 'size', label: t('bundles.col.size'), children: formatBytes(info.sizeBytes) }] : []),
              ...(sig ? [{ key: 'sig', label: t('bundles.col.signature'), children: <SignatureBadge status={sig} keyId={info.keyId} /> }] : []),
            ]} />
            {sig === 'invalid' && <Alert type="error" showIcon title={t('bundles.load.invalidTitle')} description={t('bundles.load.invalidText')} data-testid="load-invalid" />}
            {!blocked && (
              <Radio.Group value={copy} onChange={(e) => setCopy(e.target.value as boolean)} data-testid="load-mode">
                <Space orientation="vertical">
                  <Radio value={true} data-testid="load-copy">
                    <Typography.Text strong>{t('bundles.load.copy')}</Typography.Text>
                    <div className="cell-note">{t('bundles.load.copyHint')}</div>
                  </Radio>
                  <Radio value={false} data-testid="load-in-place">
                    <Typography.Text strong>{t('bundles.load.inPlace')}</Typography.Text>
                    <div className="cell-note">{t('bundles.load.inPlaceHint')}</div>
                  </Radio>
                </Space>
              </Radio.Group>
            )}
            {needsReason && !blocked && (
              <>
                <Alert
                  type="warning"
                  showIcon
                  data-testid="load-untrusted"
                  title={sig === 'unsigned' ? t('bundles.load.unsignedTitle') : sig === 'untrusted' ? t('bundles.load.untrustedTitle', { keyId: info.keyId ?? '?' }) : t('bundles.load.refusedTitle')}
                  description={t('bundles.load.reasonText')}
                />
                <Form layout="vertical" onFinish={() => void submit()}>
                  <Form.Item
                    label={t('bundles.load.reason')}
                    required
                    validateStatus={touched && reasonMissing ? 'error' : undefined}
                    help={touched && reasonMissing ? t('bundles.load.reasonRequired') : t('bundles.load.reasonHint')}
                  >
                    <Input.TextArea
                      value={reason}
                      onChange={(e) => setReason(e.target.value)}
                      onBlur={() => setTouched(true)}
                      rows={3}
                      maxLength={2000}
                      placeholder={t('bundles.load.reasonPlaceholder')}
                      data-testid="load-reason"
                    />
                  </Form.Item>
                </Form>
              </>
            )}
          </Space>
        )}
      </div>
    </Modal>
  );
}
