import { useEffect, useState } from 'react';
import type { WebhookDeliveryStatus, WebhookEventType } from '../../../../shared/webhooks.ts';
import { Field } from '../../ui/Field.tsx';
import { EndpointSelect } from './EndpointSelect.tsx';
import { deliveryStatuses, deliveryStatusLabels, webhookEventTypes } from './webhook-labels.ts';
import { useWebhooksStore } from './webhooks-store.ts';

const INVOICE_DEBOUNCE_MS = 300;

export function DeliveryFilters() {
  const filters = useWebhooksStore((state) => state.filters);
  const setFilters = useWebhooksStore((state) => state.setFilters);
  const [invoiceId, setInvoiceId] = useState(filters.invoiceId);

  // Follows the store when it changes from elsewhere (a link to one invoice's log).
  useEffect(() => setInvoiceId(filters.invoiceId), [filters.invoiceId]);
  useEffect(() => {
    if (invoiceId.trim() === filters.invoiceId.trim()) return;
    const timer = setTimeout(() => setFilters({ invoiceId: invoiceId.trim() }), INVOICE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [invoiceId, filters.invoiceId, setFilters]);

  const filtered = filters.status || filters.eventType || filters.endpointId || filters.invoiceId;
  return (
    <div className="filters filters--deliveries" role="search" aria-label="Filter deliveries">
      <Field label="Status">
        <select
          className="select"
          value={filters.status ?? ''}
          onChange={(event) => setFilters({ status: (event.target.value || null) as WebhookDeliveryStatus | null })}
        >
          <option value="">All statuses</option>
          {deliveryStatuses.map((status) => (
            <option key={status} value={status}>
              {deliveryStatusLabels[status]}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Event type">
        <select
          className="select"
          value={filters.eventType ?? ''}
          onChange={(event) => setFilters({ eventType: (event.target.value || null) as WebhookEventType | null })}
        >
          <option value="">All events</option>
          {webhookEventTypes.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Endpoint">
        <EndpointSelect
          value={filters.endpointId ?? ''}
          onChange={(endpointId) => setFilters({ endpointId: endpointId || null })}
        />
      </Field>
      <Field label="Invoice ID">
        <input
          type="search"
          className="input"
          placeholder="inv_…"
          value={invoiceId}
          onChange={(event) => setInvoiceId(event.target.value)}
          autoComplete="off"
          spellCheck={false}
        />
      </Field>
      <div className="filters__clear">
        <button
          type="button"
          className="button button--ghost button--small"
          disabled={!filtered}
          onClick={() => {
            setInvoiceId('');
            setFilters({ status: null, eventType: null, endpointId: null, invoiceId: '' });
          }}
        >
          Clear filters
        </button>
      </div>
    </div>
  );
}
