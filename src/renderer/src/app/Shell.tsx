import { useEffect } from 'react';
import { AlertsScreen } from '../features/alerts/AlertsScreen.tsx';
import { useAlertsStore } from '../features/alerts/alerts-store.ts';
import { ChainHealthScreen } from '../features/chain-health/ChainHealthScreen.tsx';
import { useChainHealthStore } from '../features/chain-health/chain-health-store.ts';
import { useChainsStore } from '../features/chains/chains-store.ts';
import { InvoiceDetailScreen } from '../features/invoices/InvoiceDetailScreen.tsx';
import { InvoicesScreen } from '../features/invoices/InvoicesScreen.tsx';
import { NewInvoiceScreen } from '../features/invoices/NewInvoiceScreen.tsx';
import { SettingsScreen } from '../features/settings/SettingsScreen.tsx';
import { SweepsScreen } from '../features/sweeps/SweepsScreen.tsx';
import { ReportsScreen } from '../features/reports/ReportsScreen.tsx';
import { ChargeScreen } from '../features/charge/ChargeScreen.tsx';
import { DoctorScreen } from '../features/doctor/DoctorScreen.tsx';
import { WebhooksScreen } from '../features/webhooks/WebhooksScreen.tsx';
import { Logo } from './Logo.tsx';
import { StatusBar } from './StatusBar.tsx';
import { routeHref, useRoute, type Route } from './router.ts';

type Icon = 'charge' | 'list' | 'plus' | 'pulse' | 'sweep' | 'chart' | 'bell' | 'send' | 'check' | 'gear';

const navItems: { label: string; route: Route; icon: Icon; active(route: Route): boolean }[] = [
  { label: 'Charge', route: { name: 'charge' }, icon: 'charge', active: (r) => r.name === 'charge' },
  { label: 'Invoices', route: { name: 'invoices' }, icon: 'list', active: (r) => r.name === 'invoices' || r.name === 'invoice' },
  { label: 'New invoice', route: { name: 'new-invoice' }, icon: 'plus', active: (r) => r.name === 'new-invoice' },
  { label: 'Chains', route: { name: 'chains' }, icon: 'pulse', active: (r) => r.name === 'chains' },
  { label: 'Sweeps', route: { name: 'sweeps' }, icon: 'sweep', active: (r) => r.name === 'sweeps' },
  { label: 'Reports', route: { name: 'reports' }, icon: 'chart', active: (r) => r.name === 'reports' },
  { label: 'Alerts', route: { name: 'alerts' }, icon: 'bell', active: (r) => r.name === 'alerts' },
  { label: 'Webhooks', route: { name: 'webhooks' }, icon: 'send', active: (r) => r.name === 'webhooks' },
  { label: 'Doctor', route: { name: 'doctor' }, icon: 'check', active: (r) => r.name === 'doctor' },
  { label: 'Settings', route: { name: 'settings', tab: 'chains' }, icon: 'gear', active: (r) => r.name === 'settings' },
];

function NavIcon({ icon }: { icon: Icon }) {
  return (
    <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      {icon === 'charge' && (
        <path
          d="M3 2.5h10v11H3zM5.5 5h5M5.5 8h1M8 8h1M10.5 8h.01M5.5 10.5h1M8 10.5h1M10.5 10.5h.01"
          stroke="currentColor"
          strokeWidth="1.5"
          strokeLinecap="round"
          strokeLinejoin="round"
          fill="none"
        />
      )}
      {icon === 'list' && (
        <path
          d="M5.5 4h8M5.5 8h8M5.5 12h8M2.5 4h.01M2.5 8h.01M2.5 12h.01"
          stroke="currentColor"
          strokeWidth="1.5"
          strokeLinecap="round"
          fill="none"
        />
      )}
      {icon === 'plus' && (
        <>
          <rect x="1.75" y="1.75" width="12.5" height="12.5" rx="3" stroke="currentColor" strokeWidth="1.4" fill="none" />
          <path d="M8 5v6M5 8h6" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
        </>
      )}
      {icon === 'pulse' && (
        <path
          d="M1.5 8.5h3l1.75-4.5 3.5 8 1.75-3.5h3"
          stroke="currentColor"
          strokeWidth="1.5"
          strokeLinecap="round"
          strokeLinejoin="round"
          fill="none"
        />
      )}
      {icon === 'sweep' && (
        <path
          d="M2 4.5h8.5M7.5 1.75l3 2.75-3 2.75M14 11.5H5.5M8.5 8.75l-3 2.75 3 2.75"
          stroke="currentColor"
          strokeWidth="1.4"
          strokeLinecap="round"
          strokeLinejoin="round"
          fill="none"
        />
      )}
      {icon === 'chart' && (
        <path
          d="M2 13.5h12M4 11V8M7 11V4.5M10 11V6.5M13 11V2.5"
          stroke="currentColor"
          strokeWidth="1.5"
          strokeLinecap="round"
          fill="none"
        />
      )}
      {icon === 'bell' && (
        <>
          <path
            d="M4 11.5V7a4 4 0 0 1 8 0v4.5l1.25 1.25H2.75L4 11.5Z"
            stroke="currentColor"
            strokeWidth="1.4"
            strokeLinejoin="round"
            fill="none"
          />
          <path d="M6.5 14.25h3" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" />
        </>
      )}
      {icon === 'send' && (
        <path
          d="M14.25 1.75 7 9M14.25 1.75 9.75 14.25 7 9 1.75 6.25l12.5-4.5Z"
          stroke="currentColor"
          strokeWidth="1.4"
          strokeLinecap="round"
          strokeLinejoin="round"
          fill="none"
        />
      )}
      {icon === 'check' && (
        <>
          <path
            d="M8 1.75 13.25 3.5v4c0 3.1-2.2 5.5-5.25 6.75C4.95 13 2.75 10.6 2.75 7.5v-4L8 1.75Z"
            stroke="currentColor"
            strokeWidth="1.4"
            strokeLinejoin="round"
            fill="none"
          />
          <path
            d="m5.5 7.75 1.75 1.75 3.25-3.5"
            stroke="currentColor"
            strokeWidth="1.5"
            strokeLinecap="round"
            strokeLinejoin="round"
            fill="none"
          />
        </>
      )}
      {icon === 'gear' && (
        <>
          <circle cx="8" cy="8" r="2.25" stroke="currentColor" strokeWidth="1.4" fill="none" />
          <path
            d="M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4"
            stroke="currentColor"
            strokeWidth="1.4"
            strokeLinecap="round"
          />
        </>
      )}
    </svg>
  );
}

function Screen({ route }: { route: Route }) {
  switch (route.name) {
    case 'invoices':
      return <InvoicesScreen />;
    case 'new-invoice':
      return <NewInvoiceScreen />;
    case 'invoice':
      return <InvoiceDetailScreen id={route.id} />;
    case 'chains':
      return <ChainHealthScreen />;
    case 'sweeps':
      return <SweepsScreen />;
    case 'reports':
      return <ReportsScreen />;
    case 'charge':
      return <ChargeScreen />;
    case 'alerts':
      return <AlertsScreen />;
    case 'webhooks':
      return <WebhooksScreen invoiceId={route.invoiceId} />;
    case 'doctor':
      return <DoctorScreen />;
    case 'settings':
      return <SettingsScreen tab={route.tab} />;
  }
}

export function Shell() {
  const route = useRoute();
  const loadChains = useChainsStore((state) => state.load);
  const openAlerts = useAlertsStore((state) => state.openCount);

  useEffect(() => {
    void loadChains();
    // The status bar and the nav badge need these on every screen; pushed events keep them fresh.
    void useChainHealthStore.getState().load();
    void useAlertsStore.getState().loadCount();
  }, [loadChains]);

  // Move focus to the new page's heading so screen readers announce navigation.
  useEffect(() => {
    const heading = document.querySelector<HTMLElement>('.main h1');
    if (!heading) return;
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }, [route]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="sidebar__brand">
          <Logo />
        </div>
        <nav aria-label="Main">
          <ul className="nav">
            {navItems.map((item) => (
              <li key={item.label}>
                <a className="nav__link" href={routeHref(item.route)} aria-current={item.active(route) ? 'page' : undefined}>
                  <NavIcon icon={item.icon} />
                  {item.label}
                  {item.route.name === 'alerts' && openAlerts !== null && openAlerts > 0 && (
                    <span className="nav__badge tabular">
                      <span aria-hidden="true">{openAlerts > 99 ? '99+' : openAlerts}</span>
                      <span className="visually-hidden">, {openAlerts} open</span>
                    </span>
                  )}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </aside>
      <main className="main" id="main">
        <Screen route={route} />
      </main>
      <StatusBar />
    </div>
  );
}
