import { subscribe } from '../transport/index.ts';
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
}
