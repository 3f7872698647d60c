import { useEffect } from 'react';
import { routeHref } from '../../app/router.ts';
import { useConnectionStore } from '../../transport/index.ts';
import { ErrorText } from '../../ui/Dialog.tsx';
import { EmptyState, Spinner } from '../../ui/Spinner.tsx';
import { useChainsStore } from '../chains/chains-store.ts';
import { ChainSetupNudge } from '../chains/ChainSetupNudge.tsx';
import { InvoiceFilters } from './InvoiceFilters.tsx';
import { InvoiceTable } from './InvoiceTable.tsx';
import { useInvoiceListStore } from './invoice-list-store.ts';

export function InvoicesScreen() {
  const { rows, nextCursor, loaded, loading, error, filters, reload, loadMore } = useInvoiceListStore();
  const chains = useChainsStore((state) => state.chains);
  const reconnects = useConnectionStore((state) => state.reconnects);

  // Fresh page on entry and after the event stream comes back (events may have been missed).
  useEffect(() => {
    void reload();
  }, [reload, reconnects]);

  const filtered = filters.status !== null || filters.chainId !== null || filters.search.trim() !== '';

  return (
    <section className="page page--fill" aria-labelledby="invoices-title">
      <header className="page__header">
        <div>
          <h1 id="invoices-title" className="page__title">
            Invoices
          </h1>
          <p className="page__subtitle tabular">
            {loaded ? `${rows.length.toLocaleString()}${nextCursor ? '+' : ''} ${filtered ? 'matching' : 'in total'}` : ' '}
          </p>
        </div>
        <a className="button button--primary" href={routeHref({ name: 'new-invoice' })}>
          <span aria-hidden="true">+</span> Create an invoice
        </a>
      </header>
      <ChainSetupNudge />
      <InvoiceFilters />
      {error && <ErrorText message={error} />}
      {!loaded ? (
        <div className="center-block">
          <Spinner label="Loading invoices" />
        </div>
      ) : rows.length === 0 && !loading ? (
        <EmptyState title={filtered ? 'No invoice matches these filters' : 'No invoices yet'}>
          {filtered ? 'Try another status, chain or search.' : 'Invoices you create, here or through the API, appear here.'}
        </EmptyState>
      ) : (
        <InvoiceTable rows={rows} chains={chains} hasMore={nextCursor !== null} loading={loading} onLoadMore={loadMore} />
      )}
    </section>
  );
}
