import { useEffect } from 'react';
import { setCurrentSite } from '../../state/sites';
import { SiteList } from './site-list';
import { SiteDetailView } from './site-detail';

/** Sites: the list (`#/sites`) and one site with its hosts (`#/sites/<id>`). */
export default function SitesPage({ params }: { params: string[] }) {
  const id = params[0];
  useEffect(() => { if (id) setCurrentSite(id); }, [id]);
  return id ? <SiteDetailView key={id} siteId={id} /> : <SiteList />;
}
