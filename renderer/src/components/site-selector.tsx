import { Select } from 'antd';
import { EnvironmentOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useSites, setCurrentSite } from '../state/sites';
import { navigate, useRoute } from '../router';

/** The site every screen works on; on the Sites screen, picking one opens it. */
export function SiteSelector() {
  const { t } = useTranslation();
  const { sites, currentId } = useSites();
  const route = useRoute();
  return (
    <Select
      className="site-selector"
      data-testid="site-selector"
      aria-label={t('header.site')}
      value={currentId}
      placeholder={t('header.noSite')}
      style={{ width: 280 }}
      prefix={<EnvironmentOutlined />}
      showSearch={{ optionFilterProp: 'label' }}
      options={sites.map((s) => ({ value: s.id, label: s.name }))}
      onChange={(id: string) => {
        setCurrentSite(id);
        if (route.page === 'sites' && route.params[0]) navigate('sites', id);
      }}
      notFoundContent={t('header.noSite')}
    />
  );
}
