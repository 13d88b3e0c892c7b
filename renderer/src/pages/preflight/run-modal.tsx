import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Flex, Form, Input, Modal, Select, Typography } from 'antd';
import { ClearOutlined, FolderOpenOutlined } from '@ant-design/icons';
import { testId } from '../../components/test-id';
import { useBundleChoices, type RunInputs } from './data';
import { usePreflightT } from './i18n';

const MAX_SPEC = 1_000_000;
/** `mysql >= 5.7`, `postgresql >=13 <17`, `redis`: a name, then an optional version constraint. */
const REQUIREMENT = /^\s*[A-Za-z][\w.-]*(\s*(\|\||[<>=!~^]{0,2}\s*v?\d[\w.+-]*)\s*)*$/;

interface Values { bundleDigest?: string; spec?: string; require?: string[] }

/** What to check against: a bundle from the library, a spec (pasted or from a file), extra middleware requirements. */
export function RunModal({ open, siteName, initial, onClose, onRun }: {
  open: boolean;
  siteName: string;
  initial: RunInputs;
  onClose: () => void;
  onRun: (inputs: RunInputs) => Promise<void>;
}) {
  const { t, tp } = usePreflightT();
  const [form] = Form.useForm<Values>();
  const { bundles, loaded } = useBundleChoices(open);
  const [specName, setSpecName] = useState<string | undefined>(initial.specName);
  const [fileError, setFileError] = useState<string>();
  const [starting, setStarting] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  // Filled once per opening: data reloading behind the dialog must not undo what the user typed.
  const initialRef = useRef(initial);
  initialRef.current = initial;
  useEffect(() => {
    if (!open) return;
    const i = initialRef.current;
    form.setFieldsValue({ bundleDigest: i.bundleDigest, spec: i.spec ?? '', require: i.require ?? [] });
    setSpecName(i.specName);
    setFileError(undefined);
  }, [open, form]);

  const loadFile = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > MAX_SPEC) { setFileError(tp('run.tooLarge', { name: file.name })); return; }
    setFileError(undefined);
    form.setFieldValue('spec', await file.text());
    setSpecName(file.name);
    void form.validateFields(['spec']).catch(() => undefined);
  };

  const submit = async () => {
    const v = await form.validateFields();
    setStarting(true);
    try {
      const spec = v.spec?.trim() ? v.spec : undefined;
      await onRun({ bundleDigest: v.bundleDigest || undefined, spec, specName: spec ? specName : undefined, require: (v.require ?? []).map((r) => r.trim()).filter(Boolean) });
    } finally {
      setStarting(false);
    }
  };

  const known = new Set(bundles.map((b) => b.digest));
  return (
    <Modal
      open={open}
      title={tp('run.title')}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText={tp('run.ok')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: starting, ...testId('run-ok') }}
      width={720}
      destroyOnHidden
      data-testid="run-modal"
    >
      <Typography.Paragraph type="secondary">{tp('run.intro', { site: siteName })}</Typography.Paragraph>
      <Form form={form} layout="vertical" requiredMark={false}>
        <Form.Item name="bundleDigest" label={tp('run.bundle')} extra={loaded && bundles.length === 0 ? tp('run.bundleEmpty') : tp('run.bundleHelp')}>
          <Select
            allowClear
            loading={!loaded}
            placeholder={tp('run.bundleNone')}
            data-testid="run-bundle"
            data-loaded={loaded ? 'true' : 'false'}
            options={[
              ...bundles.map((b) => ({
                value: b.digest,
                disabled: !b.available,
                label: `${b.name} ${b.version}${b.vendor ? ` · ${b.vendor}` : ''} · ${b.digest.replace(/^sha256:/, '').slice(0, 12)}${b.available ? '' : ` (${tp('run.bundleUnavailable')})`}`,
              })),
              // A digest remembered from an earlier run whose bundle has left the library since.
              ...(initial.bundleDigest && loaded && !known.has(initial.bundleDigest)
                ? [{ value: initial.bundleDigest, disabled: true, label: `${initial.bundleDigest.slice(0, 19)}… (${tp('run.bundleUnavailable')})` }]
                : []),
            ]}
          />
        </Form.Item>
        <Form.Item
          label={(
            <Flex justify="space-between" align="center" gap={8} style={{ width: '100%' }}>
              <span>{tp('run.spec')}</span>
              {specName && <Typography.Text type="secondary" className="mono" data-testid="run-spec-name">{tp('run.loaded', { name: specName })}</Typography.Text>}
            </Flex>
          )}
          extra={tp('run.specHelp')}
        >
          <Form.Item name="spec" noStyle rules={[{ max: MAX_SPEC, message: tp('run.tooLarge', { name: specName ?? 'spec' }) }]}>
            <Input.TextArea
              rows={9}
              className="mono pf-spec"
              spellCheck={false}
              placeholder={tp('run.specPlaceholder')}
              data-testid="run-spec"
              onChange={() => setSpecName(undefined)}
            />
          </Form.Item>
          <Flex gap={8} style={{ marginTop: 8 }}>
            <Button icon={<FolderOpenOutlined />} onClick={() => fileInput.current?.click()} data-testid="run-spec-load">{tp('run.loadFile')}</Button>
            <Button icon={<ClearOutlined />} onClick={() => { form.setFieldValue('spec', ''); setSpecName(undefined); }}>{tp('run.clear')}</Button>
            <input
              ref={fileInput}
              type="file"
              accept=".yaml,.yml,.json,text/yaml,application/yaml"
              style={{ display: 'none' }}
              tabIndex={-1}
              data-testid="run-spec-file"
              onChange={(e) => { void loadFile(e.target.files?.[0]); e.target.value = ''; }}
            />
          </Flex>
          {fileError && <Alert type="error" showIcon title={fileError} style={{ marginTop: 8 }} />}
        </Form.Item>
        <Form.Item
          name="require"
          label={tp('run.require')}
          extra={tp('run.requireHelp')}
          rules={[{
            validator: (_, v: string[] | undefined) => {
              const bad = (v ?? []).find((r) => r.length > 200 || !REQUIREMENT.test(r));
              return bad ? Promise.reject(new Error(tp('run.requireInvalid', { value: bad }))) : Promise.resolve();
            },
          }]}
        >
          <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', ';']} placeholder={tp('run.requirePlaceholder')} maxCount={50} data-testid="run-require" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
