import { useEffect, useState } from 'react';
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { useConnection } from '../state/events';

/** Says plainly when the web UI has lost the core (server stopped, laptop slept) and when it retries. */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const c = useConnection();
  const [, tick] = useState(0);
  useEffect(() => {
    if (c.status !== 'closed') return;
    const timer = setInterval(() => tick((n) => n + 1), 500);
    return () => clearInterval(timer);
  }, [c.status]);

  if (c.status === 'no-token') {
    return <Alert className="connection-banner" banner type="error" showIcon data-testid="connection-banner" data-status="no-token"
      title={t('connection.noTokenTitle')} description={t('connection.noToken')} />;
  }
  if (c.status === 'closed') {
    const secs = Math.max(0, Math.ceil((c.retryAt - Date.now()) / 1000));
    return <Alert className="connection-banner" banner type="error" showIcon data-testid="connection-banner" data-status="closed"
      title={t('connection.lostTitle')} description={secs > 0 ? t('connection.retryIn', { count: secs }) : t('connection.retrying')} />;
  }
  if (c.status === 'connecting' && c.attempt > 0) {
    return <Alert className="connection-banner" banner type="warning" showIcon data-testid="connection-banner" data-status="connecting"
      title={t('connection.reconnecting')} />;
  }
  return null;
}
