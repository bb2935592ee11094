// The frame around every signed-in page: the navigation, the sign-out button and the outage banner.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { signOut } from '../api/session';
import { UnreachableBanner } from './unreachable-banner';

const NAV = [
  { path: '/chargers', label: 'Chargers', testId: 'nav-chargers' },
  { path: '/sessions', label: 'Sessions', testId: 'nav-sessions' },
  { path: '/statistics', label: 'Statistics', testId: 'nav-statistics' },
  { path: '/id-tags', label: 'ID tags', testId: 'nav-id-tags' },
  { path: '/webhooks', label: 'Webhooks', testId: 'nav-webhooks' },
  { path: '/authorizations', label: 'Authorizations', testId: 'nav-authorizations' },
];

interface Props {
  path: string;
  children: ComponentChildren;
}

export function Layout({ path, children }: Props) {
  const [menuOpen, setMenuOpen] = useState(false);
  return (
    <div class="shell">
      <header class="topbar">
        <a class="brand" href="#/chargers">
          <span class="brand-mark" aria-hidden="true">⚡</span> Voltgate
        </a>
        <button
          type="button"
          class="menu-toggle"
          data-testid="nav-toggle"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          Menu
        </button>
        <nav id="main-nav" class={menuOpen ? 'nav open' : 'nav'} onClick={() => setMenuOpen(false)}>
          {NAV.map((item) => (
            <a
              key={item.path}
              href={'#' + item.path}
              data-testid={item.testId}
              class={path === item.path || path.startsWith(item.path + '/') ? 'active' : undefined}
            >
              {item.label}
            </a>
          ))}
          <button type="button" class="sign-out" data-testid="sign-out" onClick={() => signOut()}>
            Sign out
          </button>
        </nav>
      </header>
      <UnreachableBanner />
      <main class="content">{children}</main>
    </div>
  );
}
