import { Button } from 'antd';
import { MedicineBoxOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { EmptyPage } from '../../components/empty-page';
import { navigate } from '../../router';

/** Health: scheduled inspections of nodes, pods, HA members, disks and certificates; cleanup. */
export default function HealthPage() {
  const { t } = useTranslation();
  return (
    <EmptyPage
      testId="health"
      icon={<MedicineBoxOutlined />}
      title={t('health.title')}
      subtitle={t('health.subtitle')}
      emptyTitle={t('health.emptyTitle')}
      emptyText={t('health.emptyText')}
      steps={[t('health.steps.1'), t('health.steps.2'), t('health.steps.3')]}
      actions={<Button onClick={() => navigate('install')}>{t('health.goInstall')}</Button>}
    />
  );
}
