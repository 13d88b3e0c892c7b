import { useState } from 'react';
import { App, Form, Input, Modal, Typography } from 'antd';
import { api } from '../../api';
import { errorText } from '../../i18n';
import { testId } from '../../components/test-id';
import type { PreflightRecord } from './data';
import { usePreflightT } from './i18n';

const MIN = 10;
const MAX = 2000;

/** "Install anyway": only with a reason of at least 10 characters, which goes to the audit log. */
export function OverrideModal({ open, siteId, onClose, onDone }: { open: boolean; siteId: string; onClose: () => void; onDone: (r: PreflightRecord) => void }) {
  const { t, tp } = usePreflightT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [saving, setSaving] = useState(false);

  const submit = async () => {
    const { reason } = await form.validateFields();
    setSaving(true);
    try {
      const rec = await api.preflight.override({ siteId, reason: reason.trim() });
      message.success(tp('override.done'));
      form.resetFields();
      onDone(rec);
    } catch (e) {
      form.setFields([{ name: 'reason', errors: [errorText(t, e)] }]);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={tp('override.title')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={tp('override.ok')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: true, loading: saving, ...testId('override-ok') }}
      destroyOnHidden
      data-testid="override-modal"
    >
      <Typography.Paragraph type="secondary">{tp('override.text')}</Typography.Paragraph>
      <Form form={form} layout="vertical" requiredMark={false} onFinish={() => void submit().catch(() => undefined)}>
        <Form.Item
          name="reason"
          label={tp('override.reason')}
          rules={[{
            validator: (_, v: string | undefined) => ((v ?? '').trim().length >= MIN ? Promise.resolve() : Promise.reject(new Error(tp('override.reasonTooShort')))),
          }]}
        >
          <Input.TextArea
            autoFocus
            rows={4}
            maxLength={MAX}
            showCount
            placeholder={tp('override.reasonPlaceholder')}
            data-testid="override-reason"
            onKeyDown={(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit().catch(() => undefined); }}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
