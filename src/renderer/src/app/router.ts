/**
 * Hash routes, so a reload keeps the page and nothing needs a server-side fallback:
 * #/charge (the counter), #/invoices, #/invoices/new, #/invoices/<id>, #/chains, #/sweeps, #/reports, #/alerts, #/webhooks,
 * #/webhooks/invoice/<id> (the delivery log of one invoice), #/doctor, #/settings/<tab>.
 */
import { create } from 'zustand';

export type SettingsTab = 'chains' | 'api-keys' | 'wallet' | 'backups' | 'exports';
export const settingsTabs: SettingsTab[] = ['chains', 'api-keys', 'wallet', 'backups', 'exports'];

export type Route =
  | { name: 'invoices' }
  | { name: 'charge' }
  | { name: 'new-invoice' }
  | { name: 'invoice'; id: string }
  | { name: 'chains' }
  | { name: 'sweeps' }
  | { name: 'reports' }
  | { name: 'alerts' }
  | { name: 'webhooks'; invoiceId?: string }
  | { name: 'doctor' }
  | { name: 'settings'; tab: SettingsTab };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second, third] = parts;
  if (first === 'invoices' && second === 'new') return { name: 'new-invoice' };
  if (first === 'invoices' && second) return { name: 'invoice', id: second };
  if (first === 'charge') return { name: 'charge' };
  if (first === 'chains') return { name: 'chains' };
  if (first === 'sweeps') return { name: 'sweeps' };
  if (first === 'reports') return { name: 'reports' };
  if (first === 'alerts') return { name: 'alerts' };
  if (first === 'doctor') return { name: 'doctor' };
  if (first === 'webhooks') return second === 'invoice' && third ? { name: 'webhooks', invoiceId: third } : { name: 'webhooks' };
  if (first === 'settings') {
    const tab = settingsTabs.find((candidate) => candidate === second) ?? 'chains';
    return { name: 'settings', tab };
  }
  return { name: 'invoices' };
}

export function routeHref(route: Route): string {
  switch (route.name) {
    case 'invoices':
      return '#/invoices';
    case 'new-invoice':
      return '#/invoices/new';
    case 'invoice':
      return `#/invoices/${encodeURIComponent(route.id)}`;
    case 'chains':
      return '#/chains';
    case 'sweeps':
      return '#/sweeps';
    case 'reports':
      return '#/reports';
    case 'charge':
      return '#/charge';
    case 'alerts':
      return '#/alerts';
    case 'doctor':
      return '#/doctor';
    case 'webhooks':
      return route.invoiceId ? `#/webhooks/invoice/${encodeURIComponent(route.invoiceId)}` : '#/webhooks';
    case 'settings':
      return `#/settings/${route.tab}`;
  }
}

export const useRoute = create<Route>(() => parseRoute(window.location.hash));

window.addEventListener('hashchange', () => useRoute.setState(parseRoute(window.location.hash), true));

export function navigate(route: Route): void {
  const href = routeHref(route);
  if (window.location.hash === href) return;
  window.location.hash = href;
}
