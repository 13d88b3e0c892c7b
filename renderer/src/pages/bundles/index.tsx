import { UsbOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { EmptyPage } from '../../components/empty-page';

/** Offline bundles: load from USB or a folder, verify checksums and signature (filled by the bundle work). */
export default function BundlesPage() {
  const { t } = useTranslation();
  return (
    <EmptyPage
      testId="bundles"
      icon={<UsbOutlined />}
      title={t('bundles.title')}
      subtitle={t('bundles.subtitle')}
      emptyTitle={t('bundles.emptyTitle')}
      emptyText={t('bundles.emptyText')}
      steps={[t('bundles.steps.1'), t('bundles.steps.2'), t('bundles.steps.3')]}
    />
  );
}
