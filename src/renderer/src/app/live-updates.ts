import { subscribe } from '../transport/index.ts';
import { useAlertsStore } from '../features/alerts/alerts-store.ts';
import { useChainHealthStore } from '../features/chain-health/chain-health-store.ts';
import { useChainsStore } from '../features/chains/chains-store.ts';
import { useInvoiceDetailStore } from '../features/invoices/invoice-detail-store.ts';
import { useInvoiceListStore } from '../features/invoices/invoice-list-store.ts';

/** Routes pushed engine events into the stores that show them. Called once at start-up. */
export function startLiveUpdates(): void {
  subscribe('invoice.changed', ({ invoice }) => {
    useInvoiceListStore.getState().applyChange(invoice);
    useInvoiceDetailStore.getState().applyChange(invoice);
  });
  let lastChains = '';
  subscribe('engine.status', (status) => {
    // The status names the chains; when that set changes (e.g. from the CLI), reload the full list.
    const signature = status.chains.map((chain) => `${chain.chainId}:${chain.enabled}:${chain.name}`).join(',');
    if (lastChains && signature !== lastChains) void useChainsStore.getState().load();
    lastChains = signature;
  });
  subscribe('chains.health', (health) => useChainHealthStore.getState().apply(health));
  subscribe('alerts.changed', ({ open }) => {
    const alerts = useAlertsStore.getState();
    alerts.setOpenCount(open);
    // Only a list someone has opened is kept fresh; the counter is enough elsewhere.
    if (alerts.loaded) void alerts.load();
  });
}
