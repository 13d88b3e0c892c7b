export { Shell, PAGE_KEYS, type PageKey } from './shell';
export { JobsDrawer } from './jobs-drawer';
export { SitesPage } from './sites-page';
export { SiteDetailPage, HostForm, type HostFormValues, type HostStatus } from './site-detail-page';
export { AuditPage } from './audit-page';
export { EmptyStatePage } from './empty-page';
