import { subscribe } from '../transport/index.ts';
import { useAlertsStore } from '../features/alerts/alerts-store.ts';
import { useChainHealthStore } from '../features/chain-health/chain-health-store.ts';
import { useChainsStore } from '../features/chains/chains-store.ts';
import { useInvoiceDetailStore } from '../features/invoices/invoice-detail-store.ts';
import { useInvoiceListStore } from '../features/invoices/invoice-list-store.ts';
import { requestSweepsRefresh } from '../features/sweeps/sweeps-store.ts';
import { requestReportsRefresh } from '../features/reports/reports-store.ts';
import { requestWebhooksRefresh } from '../features/webhooks/webhooks-store.ts';

/** Runs `fn` at most once per `ms`, and always once after the last call of a burst. */
function throttled(fn: () => void, ms: number): () => void {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    if (timer) return;
    timer = setTimeout(
      () => {
        timer = undefined;
        last = Date.now();
        fn();
      },
      Math.max(0, last + ms - Date.now()),
    );
  };
}

/** Routes pushed engine events into the stores that show them. Called once at start-up. */
export function startLiveUpdates(): void {
  subscribe('invoice.changed', ({ invoice }) => {
    useInvoiceListStore.getState().applyChange(invoice);
    useInvoiceDetailStore.getState().applyChange(invoice);
    requestReportsRefresh();
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
    // The Sweeps screen shows the sweeper's alerts with their remedy.
    requestSweepsRefresh();
  });
  // Delivery states change without an invoice change: refresh the open invoice's history and the Webhooks screen.
  const refreshInvoiceDeliveries = throttled(() => {
    const detail = useInvoiceDetailStore.getState();
    if (detail.id && detail.events) void detail.loadEvents();
  }, 1000);
  subscribe('webhooks.changed', () => {
    requestWebhooksRefresh();
    refreshInvoiceDeliveries();
  });
  // A sweep signed, mined, final or failed: the Sweeps screen (throttled) and the open invoice,
  // whose settlement arrives as invoice.changed.
  subscribe('sweeps.changed', () => {
    requestSweepsRefresh();
    requestReportsRefresh();
  });
}
