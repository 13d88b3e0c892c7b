import type { ReactNode } from 'react';
import { Flex, Tag, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, ExclamationCircleFilled, MinusCircleOutlined, QuestionCircleFilled } from '@ant-design/icons';
import type { CheckStatus, PreflightSummary } from '../../../../electron/core/preflight/types';
import { formatTime } from '../../components/format';
import type { PreflightRecord } from './data';
import { statusText, usePreflightT } from './i18n';
import { STATUS_ORDER } from './grid-model';

export const STATUS_COLOR: Record<CheckStatus, string> = { pass: 'success', warn: 'warning', fail: 'error', unsupported: 'default', error: 'purple' };
const ICONS: Record<CheckStatus, ReactNode> = {
  pass: <CheckCircleFilled />,
  warn: <ExclamationCircleFilled />,
  fail: <CloseCircleFilled />,
  unsupported: <MinusCircleOutlined />,
  error: <QuestionCircleFilled />,
};

/** pass / warn / fail / not supported / could not check, as a coloured tag with an icon (not colour alone). */
export function StatusTag({ status }: { status: CheckStatus }) {
  const { t } = usePreflightT();
  return (
    <Tag color={STATUS_COLOR[status]} icon={ICONS[status]} className="pf-tag" data-testid="status-tag" data-status={status}>
      {statusText(t, status)}
    </Tag>
  );
}

/** The counts of every status, worst first, and what the run was made of. */
export function SummaryBar({ record }: { record: PreflightRecord }) {
  const { t, tp } = usePreflightT();
  const s: PreflightSummary = record.report.summary;
  const order: CheckStatus[] = ['pass', 'warn', 'fail', 'error', 'unsupported'];
  return (
    <Flex className="pf-summary" justify="space-between" align="center" gap={16} wrap data-testid="preflight-summary" role="group" aria-label={tp('summary.label')}>
      <Flex gap={8} wrap>
        {order.map((k) => (
          <div key={k} className={`pf-count pf-count-${k}${s[k] ? '' : ' pf-count-zero'}`} data-testid={`summary-${k}`} data-count={s[k]}>
            <span className="pf-count-icon" aria-hidden>{ICONS[k]}</span>
            <span className="pf-count-value">{s[k]}</span>
            <span className="pf-count-label">{statusText(t, k)}</span>
          </div>
        ))}
      </Flex>
      <Flex vertical align="flex-end" className="pf-summary-meta">
        <Typography.Text type="secondary" data-testid="preflight-generated">{tp('summary.generated', { at: formatTime(record.report.generatedAt) })}</Typography.Text>
        <Typography.Text type="secondary">
          {record.bundleName ? tp('summary.bundle', { name: record.bundleName }) : null}
          {record.bundleName && record.report.name ? ' · ' : null}
          {record.report.name ? tp('summary.spec', { name: record.report.name }) : null}
          {!record.bundleName && !record.report.name ? tp('summary.noSpec') : null}
        </Typography.Text>
      </Flex>
    </Flex>
  );
}

export { STATUS_ORDER };
