import { App, Button, Flex, Modal, Typography } from 'antd';
import { CopyOutlined, DownloadOutlined } from '@ant-design/icons';
import type { HostFacts } from '../../../../electron/core/probe/types';
import { downloadText } from './format';
import { usePreflightT } from './i18n';

/** The probe script's whole output for one host, unparsed: what support asks for. */
export function RawOutputModal({ host, facts, onClose }: { host?: string; facts?: HostFacts; onClose: () => void }) {
  const { t, tp } = usePreflightT();
  const { message } = App.useApp();
  const raw = facts?.raw ?? '';
  const stderr = facts?.stderr ?? '';
  const stamp = (facts?.probedAt ?? '').replace(/[:.]/g, '-');
  const file = `probe-${(host ?? 'host').replace(/[^\w.-]+/g, '_')}${stamp ? `-${stamp}` : ''}.txt`;
  const all = stderr ? `${raw}\n\n# stderr\n${stderr}` : raw;
  return (
    <Modal
      open={!!facts}
      onCancel={onClose}
      title={tp('raw.title', { host: host ?? '' })}
      width={960}
      destroyOnHidden
      data-testid="raw-output"
      footer={(
        <Flex justify="space-between" gap={8}>
          <Flex gap={8}>
            <Button icon={<CopyOutlined />} disabled={!all} onClick={() => { navigator.clipboard.writeText(all).then(() => message.success(tp('raw.copied')), () => undefined); }}>{tp('raw.copy')}</Button>
            <Button icon={<DownloadOutlined />} disabled={!all} onClick={() => downloadText(file, 'text/plain', all)} data-testid="raw-download">{tp('raw.download')}</Button>
          </Flex>
          <Button type="primary" onClick={onClose}>{t('common.close')}</Button>
        </Flex>
      )}
    >
      <Typography.Paragraph type="secondary">{tp('raw.hint')}</Typography.Paragraph>
      <Typography.Title level={5}>{tp('raw.stdout')}</Typography.Title>
      <pre className="pf-raw" tabIndex={0} data-testid="raw-output-text" aria-label={tp('raw.stdout')}>{raw || tp('raw.empty')}</pre>
      {stderr && (
        <>
          <Typography.Title level={5}>{tp('raw.stderr')}</Typography.Title>
          <pre className="pf-raw pf-raw-err" tabIndex={0} aria-label={tp('raw.stderr')}>{stderr}</pre>
        </>
      )}
    </Modal>
  );
}
