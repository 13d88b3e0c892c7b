import { Button } from 'antd';
import { FileTextOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { EmptyPage } from '../../components/empty-page';
import { navigate } from '../../router';

/** Reports: diagnostic bundle for support and a readable summary. */
export default function ReportsPage() {
  const { t } = useTranslation();
  return (
    <EmptyPage
      testId="reports"
      icon={<FileTextOutlined />}
      title={t('reports.title')}
      subtitle={t('reports.subtitle')}
      emptyTitle={t('reports.emptyTitle')}
      emptyText={t('reports.emptyText')}
      steps={[t('reports.steps.1'), t('reports.steps.2'), t('reports.steps.3')]}
      actions={<Button onClick={() => navigate('sites')}>{t('reports.goSites')}</Button>}
    />
  );
}
