// The dashboard: sign-in until there is a key, then the page the hash names.
import { operatorKey } from './api/session';
import { Layout } from './components/layout';
import { useStore } from './lib/store';
import { matchRoute, useHashPath } from './lib/router';
import { AuthorizationsPage } from './pages/authorizations-page';
import { ChargerPage } from './pages/charger-page';
import { ChargersPage } from './pages/chargers-page';
import { IdTagsPage } from './pages/id-tags-page';
import { SessionPage } from './pages/session-page';
import { SessionsPage } from './pages/sessions-page';
import { SignInPage } from './pages/sign-in-page';
import { StatisticsPage } from './pages/statistics-page';
import { WebhooksPage } from './pages/webhooks-page';

function routeView(path: string) {
  let params: Record<string, string> | null;
  if ((params = matchRoute('/chargers/:id', path))) return <ChargerPage key={params.id} id={params.id} />;
  if ((params = matchRoute('/sessions/:id', path))) return <SessionPage key={params.id} id={params.id} />;
  if (matchRoute('/sessions', path)) return <SessionsPage />;
  if (matchRoute('/statistics', path)) return <StatisticsPage />;
  if (matchRoute('/id-tags', path)) return <IdTagsPage />;
  if (matchRoute('/webhooks', path)) return <WebhooksPage />;
  if (matchRoute('/authorizations', path)) return <AuthorizationsPage />;
  return <ChargersPage />; // the start page, also for "#/" and unknown paths
}

export function App() {
  const key = useStore(operatorKey);
  const path = useHashPath();
  if (!key) return <SignInPage />;
  return <Layout path={path}>{routeView(path)}</Layout>;
}
