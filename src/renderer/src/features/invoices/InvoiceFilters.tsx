import { useEffect, useState } from 'react';
import type { InvoiceStatus } from '../../../../shared/domain.ts';
import { Field } from '../../ui/Field.tsx';
import { invoiceStatuses, statusLabels } from '../../ui/format.ts';
import { useChainsStore } from '../chains/chains-store.ts';
import { useInvoiceListStore } from './invoice-list-store.ts';

const SEARCH_DEBOUNCE_MS = 250;

export function InvoiceFilters() {
  const filters = useInvoiceListStore((state) => state.filters);
  const setFilters = useInvoiceListStore((state) => state.setFilters);
  const chains = useChainsStore((state) => state.chains);
  const [search, setSearch] = useState(filters.search);

  useEffect(() => {
    if (search === filters.search) return;
    const timer = setTimeout(() => setFilters({ search }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [search, filters.search, setFilters]);

  return (
    <div className="filters" role="search">
      <Field label="Search" className="filters__search">
        <input
          type="search"
          className="input"
          placeholder="Invoice ID or order ID"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          autoComplete="off"
          spellCheck={false}
        />
      </Field>
      <Field label="Status">
        <select
          className="select"
          value={filters.status ?? ''}
          onChange={(event) => setFilters({ status: (event.target.value || null) as InvoiceStatus | null })}
        >
          <option value="">All statuses</option>
          {invoiceStatuses.map((status) => (
            <option key={status} value={status}>
              {statusLabels[status]}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Chain">
        <select
          className="select"
          value={filters.chainId ?? ''}
          onChange={(event) => setFilters({ chainId: event.target.value ? Number(event.target.value) : null })}
        >
          <option value="">All chains</option>
          {chains.map((chain) => (
            <option key={chain.chainId} value={chain.chainId}>
              {chain.name}
            </option>
          ))}
        </select>
      </Field>
    </div>
  );
}
