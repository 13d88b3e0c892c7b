import type { ComponentType, ReactNode } from 'react';
import { AuditOutlined, ClusterOutlined, FileTextOutlined, MedicineBoxOutlined, RocketOutlined, SafetyCertificateOutlined, UsbOutlined } from '@ant-design/icons';
import SitesPage from './pages/sites';
import BundlesPage from './pages/bundles';
import PreflightPage from './pages/preflight';
import InstallPage from './pages/install';
import HealthPage from './pages/health';
import ReportsPage from './pages/reports';
import AuditPage from './pages/audit';

export interface PageProps {
  /** Path segments after the page, e.g. the site id in `#/sites/<id>`. */
  params: string[];
}

export interface RouteDef {
  /** First segment of the hash, and the i18n key `nav.<key>`. */
  key: string;
  icon: ReactNode;
  component: ComponentType<PageProps>;
}

/** Every screen, in navigation order (the field's order: load → hosts → probe → preflight → install → verify). */
export const routes: RouteDef[] = [
  { key: 'sites', icon: <ClusterOutlined />, component: SitesPage },
  { key: 'bundles', icon: <UsbOutlined />, component: BundlesPage },
  { key: 'preflight', icon: <SafetyCertificateOutlined />, component: PreflightPage },
  { key: 'install', icon: <RocketOutlined />, component: InstallPage },
  { key: 'health', icon: <MedicineBoxOutlined />, component: HealthPage },
  { key: 'reports', icon: <FileTextOutlined />, component: ReportsPage },
  { key: 'audit', icon: <AuditOutlined />, component: AuditPage },
];

export const DEFAULT_ROUTE = 'sites';
