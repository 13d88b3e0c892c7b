import { useEffect, useState } from 'react';
import { App as AntApp, ConfigProvider, Layout, Menu, Result, Typography, theme } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useTranslation } from 'react-i18next';
import type { AppInfo } from '../../electron/core/api/types';
import { api } from './api';
import { ConnectionBanner } from './components/connection-banner';
import { JobsIndicator } from './components/jobs-drawer';
import { LanguageSwitch } from './components/language-switch';
import { SiteSelector } from './components/site-selector';
import { DEFAULT_ROUTE, routes } from './routes';
import { navigate, useRoute } from './router';
import { useLanguage } from './state/language';
import { useReconnect } from './state/events';

const FONT = `-apple-system, BlinkMacSystemFont, 'Segoe UI', 'Noto Sans', 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', 'Helvetica Neue', Arial, sans-serif`;

function Shell() {
  const { t } = useTranslation();
  const route = useRoute();
  const { language, setLanguage } = useLanguage();
  const { message } = AntApp.useApp();
  const [info, setInfo] = useState<AppInfo>();
  const [collapsed, setCollapsed] = useState(false);

  const loadInfo = () => { api.app.info().then(setInfo, () => undefined); };
  useEffect(loadInfo, []);
  useReconnect(loadInfo);

  const current = routes.find((r) => r.key === (route.page || DEFAULT_ROUTE));
  useEffect(() => {
    document.title = current ? `${t(`nav.${current.key}`)} · Outpost` : 'Outpost';
  }, [current, t]);

  const Page = current?.component;
  return (
    <Layout className="shell">
      <Layout.Header className="shell-header">
        <a className="brand" href="#/sites" aria-label="Outpost">
          <span className="brand-mark" aria-hidden>◆</span>
          <span className="brand-name" data-testid="app-name">Outpost</span>
          <span className="brand-tagline">{t('app.tagline')}</span>
        </a>
        <div className="header-right">
          <SiteSelector />
          <JobsIndicator />
          <LanguageSwitch
            value={language}
            onChange={(l) => { setLanguage(l).catch(() => message.error(t('header.languageNotSaved'))); }}
          />
        </div>
      </Layout.Header>
      <Layout>
        <Layout.Sider theme="light" width={200} collapsible collapsed={collapsed} onCollapse={setCollapsed} className="shell-sider" breakpoint="lg">
          <nav aria-label={t('nav.label')}>
            <Menu
              mode="inline"
              selectedKeys={current ? [current.key] : []}
              onClick={({ key }) => navigate(key)}
              items={routes.map((r) => ({ key: r.key, icon: r.icon, label: <span data-testid={`nav-${r.key}`}>{t(`nav.${r.key}`)}</span> }))}
              style={{ borderInlineEnd: 'none' }}
            />
          </nav>
          {!collapsed && info && (
            <div className="sider-footer" data-testid="app-info">
              <Typography.Text type="secondary">
                v{info.version} · {t(`app.mode.${info.mode}`)}
              </Typography.Text>
            </div>
          )}
        </Layout.Sider>
        <Layout.Content className="shell-content">
          <ConnectionBanner />
          <main className="page">
            {Page ? <Page params={route.params} /> : (
              <Result status="404" title={t('notFound.title')} subTitle={t('notFound.text')} />
            )}
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

/** Theme, antd's own strings in the UI's language, and the message/modal context. */
export function Root() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider
      locale={i18n.language === 'zh-CN' ? zhCN : enUS}
      theme={{
        algorithm: theme.defaultAlgorithm,
        token: { colorPrimary: '#1f6feb', borderRadius: 6, fontFamily: FONT, colorBgLayout: '#f3f5f8' },
        components: { Layout: { headerBg: '#0f1b2d', headerHeight: 56, headerPadding: '0 20px', siderBg: '#ffffff' } },
      }}
    >
      <AntApp>
        <Shell />
      </AntApp>
    </ConfigProvider>
  );
}
