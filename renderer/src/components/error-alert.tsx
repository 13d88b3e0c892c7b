import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText } from '../i18n';

/** An error from the API, translated by its code, with the raw code for support. */
export function ErrorAlert({ error, title, onRetry }: { error: unknown; title?: string; onRetry?: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  const text = errorText(t, error);
  return (
    <Alert
      type="error"
      showIcon
      data-testid="error-alert"
      title={title ?? text}
      description={title ? text : undefined}
      action={onRetry ? <a onClick={onRetry}>{t('common.retry')}</a> : undefined}
      style={{ marginBottom: 16 }}
    />
  );
}
