import { Button } from 'antd';
import { RocketOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { EmptyPage } from '../../components/empty-page';
import { navigate } from '../../router';

/** Install: k3s and the bundle's charts, group by group, resumable. */
export default function InstallPage() {
  const { t } = useTranslation();
  return (
    <EmptyPage
      testId="install"
      icon={<RocketOutlined />}
      title={t('install.title')}
      subtitle={t('install.subtitle')}
      emptyTitle={t('install.emptyTitle')}
      emptyText={t('install.emptyText')}
      steps={[t('install.steps.1'), t('install.steps.2'), t('install.steps.3')]}
      actions={<><Button type="primary" onClick={() => navigate('preflight')}>{t('install.goPreflight')}</Button></>}
    />
  );
}
