import { useEffect, useState } from 'react';
import { Alert, Button, Flex, Input, Modal, Segmented, Statistic, Table, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ImportResult } from '../../../../electron/core/api/types';
import { api } from '../../api';
import { errorText } from '../../i18n';

type Format = 'csv' | 'yaml';

const CSV_EXAMPLE = `name,address,port,user,auth,keyPath,password,sudo,role
node-1,192.168.10.21,22,root,key,/home/engineer/.ssh/id_ed25519,,none,server
node-2,192.168.10.22,22,deploy,password,,S3cret!,password,agent`;
const YAML_EXAMPLE = `hosts:
  - name: node-1
    address: 192.168.10.21
    user: root
    keyPath: /home/engineer/.ssh/id_ed25519
  - name: node-2
    address: 192.168.10.22
    user: deploy
    password: S3cret!
    sudo: password
    role: agent`;

function guessFormat(fileName: string, text: string): Format {
  if (/\.ya?ml$/i.test(fileName)) return 'yaml';
  if (/\.csv$/i.test(fileName)) return 'csv';
  return /^\s*(hosts|all)\s*:/m.test(text) ? 'yaml' : 'csv';
}

/** Bulk import from a spreadsheet export or an Ansible inventory; each line's outcome is shown. */
export function ImportHostsModal({ open, siteId, onClose, onImported }: { open: boolean; siteId: string; onClose: () => void; onImported: () => void }) {
  const { t } = useTranslation();
  const [format, setFormat] = useState<Format>('csv');
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ImportResult>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (open) { setText(''); setFileName(undefined); setResult(undefined); setError(undefined); }
  }, [open]);

  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await api.hosts.import({ siteId, format, text });
      setResult(r);
      if (r.added.length || r.updated.length) onImported();
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      width={780}
      title={t('import.title')}
      onCancel={onClose}
      destroyOnHidden
      footer={result ? (
        <Flex justify="flex-end" gap={8}>
          <Button onClick={() => setResult(undefined)}>{t('import.again')}</Button>
          <Button type="primary" onClick={onClose} data-testid="import-done">{t('common.done')}</Button>
        </Flex>
      ) : (
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} disabled={!text.trim()} onClick={() => void run()} data-testid="import-run">{t('import.run')}</Button>
        </Flex>
      )}
    >
      {result ? (
        <div data-testid="import-result">
          <Flex gap={48} style={{ margin: '8px 0 16px' }}>
            <Statistic title={t('import.added')} value={result.added.length} styles={{ content: { color: '#389e0d' } }} data-testid="import-added" />
            <Statistic title={t('import.updated')} value={result.updated.length} data-testid="import-updated" />
            <Statistic title={t('import.errors')} value={result.errors.length} styles={{ content: { color: result.errors.length ? '#cf1322' : undefined } }} data-testid="import-errors" />
          </Flex>
          {result.added.length + result.updated.length > 0 && (
            <Typography.Paragraph type="secondary">
              {[...result.added.map((h) => `+ ${h.name} (${h.user}@${h.address}:${h.port})`), ...result.updated.map((h) => `~ ${h.name} (${h.user}@${h.address}:${h.port})`)].join('  ·  ')}
            </Typography.Paragraph>
          )}
          {result.errors.length > 0 && (
            <Table
              size="small"
              rowKey={(r) => `${r.line}-${r.message}`}
              dataSource={result.errors}
              pagination={false}
              data-testid="import-error-table"
              columns={[
                { title: t('import.line'), dataIndex: 'line', width: 80 },
                { title: t('import.problem'), dataIndex: 'message', render: (m: string) => <Typography.Text type="danger">{m}</Typography.Text> },
              ]}
            />
          )}
        </div>
      ) : (
        <>
          <Typography.Paragraph type="secondary">{t('import.intro')}</Typography.Paragraph>
          <Flex gap={12} align="center" style={{ marginBottom: 12 }} wrap>
            <Segmented<Format> value={format} onChange={setFormat} options={[{ value: 'csv', label: 'CSV' }, { value: 'yaml', label: 'YAML' }]} aria-label={t('import.format')} />
            <Upload
              accept=".csv,.yaml,.yml,.txt"
              showUploadList={false}
              beforeUpload={async (file) => {
                const content = await file.text();
                setText(content);
                setFileName(file.name);
                setFormat(guessFormat(file.name, content));
                return false;
              }}
            >
              <Button icon={<UploadOutlined />} data-testid="import-file">{t('import.pickFile')}</Button>
            </Upload>
            {fileName && <Typography.Text type="secondary">{fileName}</Typography.Text>}
          </Flex>
          <Input.TextArea
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={10}
            spellCheck={false}
            className="mono"
            placeholder={format === 'csv' ? CSV_EXAMPLE : YAML_EXAMPLE}
            aria-label={t('import.paste')}
            data-testid="import-text"
          />
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, fontSize: 12 }}>
            {format === 'csv' ? t('import.csvHint') : t('import.yamlHint')}
          </Typography.Paragraph>
          {error && <Alert type="error" showIcon title={error} />}
        </>
      )}
    </Modal>
  );
}
