import { Button } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { EmptyPage } from '../../components/empty-page';
import { navigate } from '../../router';

/** Preflight: the probe's facts held against the bundle's requirements, pass / warn / fail per check. */
export default function PreflightPage() {
  const { t } = useTranslation();
  return (
    <EmptyPage
      testId="preflight"
      icon={<SafetyCertificateOutlined />}
      title={t('preflight.title')}
      subtitle={t('preflight.subtitle')}
      emptyTitle={t('preflight.emptyTitle')}
      emptyText={t('preflight.emptyText')}
      steps={[t('preflight.steps.1'), t('preflight.steps.2'), t('preflight.steps.3')]}
      actions={<><Button type="primary" onClick={() => navigate('sites')}>{t('preflight.goSites')}</Button><Button onClick={() => navigate('bundles')}>{t('preflight.goBundles')}</Button></>}
    />
  );
}
