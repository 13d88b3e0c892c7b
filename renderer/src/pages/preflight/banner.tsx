import { Alert, Button, Typography } from 'antd';
import { CheckCircleOutlined, StopOutlined, UnlockOutlined } from '@ant-design/icons';
import { formatTime } from '../../components/format';
import type { PreflightRecord } from './data';
import { usePreflightT } from './i18n';

/** Whether the install may go on: blocked (with the override action), overridden (by whom, when, why), or clear. */
export function PreflightBanner({ record, onOverride, disabled }: { record: PreflightRecord; onOverride: () => void; disabled?: boolean }) {
  const { tp } = usePreflightT();
  const s = record.report.summary;
  if (record.blocking) {
    return (
      <Alert
        className="pf-banner"
        type="error"
        showIcon
        icon={<StopOutlined />}
        data-testid="preflight-banner"
        data-state="blocked"
        title={<span data-testid="preflight-banner-title">{tp('banner.blockedTitle')}</span>}
        description={tp('banner.blockedText', { count: s.fail + s.error })}
        action={(
          <Button danger icon={<UnlockOutlined />} onClick={onOverride} disabled={disabled} data-testid="preflight-override">
            {tp('actions.override')}
          </Button>
        )}
      />
    );
  }
  if (record.override) {
    const o = record.override;
    return (
      <Alert
        className="pf-banner"
        type="warning"
        showIcon
        icon={<UnlockOutlined />}
        data-testid="preflight-banner"
        data-state="overridden"
        title={<span data-testid="preflight-banner-title">{tp('banner.overriddenTitle')}</span>}
        description={(
          <div data-testid="preflight-override-info">
            <Typography.Text>{tp('banner.overriddenBy', { actor: o.actor, at: formatTime(o.at) })}</Typography.Text>
            <blockquote className="pf-reason" data-testid="preflight-override-reason">{o.reason}</blockquote>
          </div>
        )}
      />
    );
  }
  return (
    <Alert
      className="pf-banner"
      type="success"
      showIcon
      icon={<CheckCircleOutlined />}
      data-testid="preflight-banner"
      data-state="clear"
      title={<span data-testid="preflight-banner-title">{tp('banner.clearTitle')}</span>}
      description={s.warn ? tp('banner.clearWarn', { count: s.warn }) : tp('banner.clearText')}
    />
  );
}
