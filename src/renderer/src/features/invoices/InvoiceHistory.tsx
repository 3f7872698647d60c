import type { InvoiceEventSummary } from '../../../../shared/contract.ts';
import { routeHref } from '../../app/router.ts';
import { ErrorText } from '../../ui/Dialog.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { EventDeliveries } from '../webhooks/EventDeliveries.tsx';
import { useInvoiceDetailStore } from './invoice-detail-store.ts';

/** Names of the engine's invoice events (status-model.ts); an unknown type is shown as sent. */
const eventLabels: Record<string, string> = {
  'invoice.created': 'Created',
  'invoice.payment_received': 'Payment received',
  'invoice.detected': 'Payment detected',
  'invoice.confirmed': 'Confirmed',
  'invoice.expired': 'Expired',
  'invoice.paid_late': 'Paid late',
  'invoice.reverted': 'Reverted by a reorg',
  'invoice.invalid': 'Marked invalid',
  'invoice.marked_paid': 'Marked paid',
  'invoice.settled': 'Settled to treasury',
};

const eventTones: Record<string, string> = {
  'invoice.created': 'done',
  'invoice.confirmed': 'done',
  'invoice.marked_paid': 'done',
  'invoice.settled': 'done',
  'invoice.detected': 'active',
  'invoice.payment_received': 'active',
  'invoice.expired': 'expired',
  'invoice.reverted': 'invalid',
  'invoice.invalid': 'invalid',
  'invoice.paid_late': 'exception',
};

interface InvoiceHistoryProps {
  events: InvoiceEventSummary[] | null;
  error: string | null;
}

/** Every event the engine recorded for the invoice, in order: the same ones its webhooks carry, with their deliveries. */
export function InvoiceHistory({ events, error }: InvoiceHistoryProps) {
  const invoiceId = useInvoiceDetailStore((state) => state.id);
  if (error) return <ErrorText message={error} />;
  if (!events) return <p className="muted small">Loading history…</p>;
  const ordered = [...events].sort((a, b) => a.sequence - b.sequence);
  const delivered = ordered.some((event) => event.deliveries.length > 0);
  const reload = () => void useInvoiceDetailStore.getState().loadEvents();
  return (
    <>
      <ol className="history" aria-label="Invoice events">
        {ordered.map((event) => (
          <li key={event.id} className={`history__item history__item--${eventTones[event.type] ?? 'plain'}`}>
            <span className="history__marker" aria-hidden="true" />
            <span className="history__label">{eventLabels[event.type] ?? event.type}</span>
            <time className="history__time tabular" dateTime={event.createdAt}>
              {formatDateTime(event.createdAt, true)}
            </time>
            <EventDeliveries event={event} onResent={reload} />
          </li>
        ))}
      </ol>
      {delivered && invoiceId && (
        <p className="small history__log-link">
          <a href={routeHref({ name: 'webhooks', invoiceId })}>Open this invoice&rsquo;s webhook delivery log</a>
        </p>
      )}
    </>
  );
}
