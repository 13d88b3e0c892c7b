import { useEffect, useState } from 'react';
import { Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Site } from '../../../../electron/core/api/types';
import { api } from '../../api';
import { testId } from '../../components/test-id';
import { errorText, toErrorInfo } from '../../i18n';

interface Values { name: string; description?: string }

/** Create or rename a site. Enter saves, Esc closes. */
export function SiteFormModal({ open, site, onClose, onSaved }: { open: boolean; site?: Site; onClose: () => void; onSaved: (s: Site) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (open) form.setFieldsValue({ name: site?.name ?? '', description: site?.description ?? '' });
  }, [open, site, form]);

  const submit = async (v: Values) => {
    setSaving(true);
    try {
      const saved = await api.sites.save({ ...(site ? { id: site.id } : {}), name: v.name.trim(), description: v.description?.trim() ?? '' });
      onSaved(saved);
    } catch (e) {
      form.setFields([{ name: toErrorInfo(e).details?.field === 'description' ? 'description' : 'name', errors: [errorText(t, e)] }]);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={site ? t('sites.renameTitle', { name: site.name }) : t('sites.createTitle')}
      onCancel={onClose}
      okText={site ? t('common.save') : t('sites.create')}
      cancelText={t('common.cancel')}
      okButtonProps={{ htmlType: 'submit', loading: saving, ...testId('site-form-submit') }}
      destroyOnHidden
      modalRender={(dom) => (
        <Form form={form} layout="vertical" name="site" onFinish={submit} clearOnDestroy data-testid="site-form">{dom}</Form>
      )}
    >
      <Form.Item name="name" label={t('sites.fields.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 120 }]}
        extra={t('sites.fields.nameHint')}>
        <Input autoFocus placeholder={t('sites.fields.namePlaceholder')} maxLength={120} />
      </Form.Item>
      <Form.Item name="description" label={t('sites.fields.description')}>
        <Input.TextArea rows={3} maxLength={2000} placeholder={t('sites.fields.descriptionPlaceholder')} />
      </Form.Item>
    </Modal>
  );
}
