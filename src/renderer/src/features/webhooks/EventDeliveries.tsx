import type { InvoiceEventSummary } from '../../../../shared/contract.ts';
import { DeliveryStatusBadge } from './DeliveryStatusBadge.tsx';
import { useResend } from './useResend.ts';

type EventDelivery = InvoiceEventSummary['deliveries'][number];

/** The latest delivery per endpoint (a resend replaces the one before it), in first-sent order. */
function latestPerEndpoint(deliveries: EventDelivery[]): EventDelivery[] {
  const latest = new Map<string, EventDelivery>();
  for (const delivery of deliveries) latest.set(delivery.endpointId, delivery);
  return [...latest.values()];
}

interface EventDeliveriesProps {
  event: InvoiceEventSummary;
  /** Called after a resend, so the history is fetched again. */
  onResent(): void;
}

/** One invoice event's webhook deliveries on the invoice page: state per endpoint, and resend. */
export function EventDeliveries({ event, onResent }: EventDeliveriesProps) {
  const { resending: busy, outcome, resend } = useResend(() => onResent());
  if (event.deliveries.length === 0) return null;
  const shown = latestPerEndpoint(event.deliveries);

  return (
    <div className="event-deliveries">
      <ul className="event-deliveries__list" aria-label={`Webhook deliveries of ${event.type}`}>
        {shown.map((delivery) => (
          <li key={delivery.id} className="event-deliveries__item">
            <DeliveryStatusBadge status={delivery.status} />
            <span className="mono event-deliveries__url" title={delivery.endpointUrl}>
              {delivery.endpointUrl}
            </span>
            <span className="muted tabular">
              {delivery.attempts} {delivery.attempts === 1 ? 'attempt' : 'attempts'}
              {delivery.lastHttpStatus !== null && ` · HTTP ${delivery.lastHttpStatus}`}
              {delivery.redelivery && ' · resent'}
            </span>
            <button
              type="button"
              className="button button--small"
              onClick={() => void resend(delivery.id)}
              disabled={busy === delivery.id}
              aria-busy={busy === delivery.id}
              aria-label={`Resend ${event.type} to ${delivery.endpointUrl}`}
            >
              Resend
            </button>
          </li>
        ))}
      </ul>
      <div className="event-deliveries__result" role="status">
        {outcome && <p className={`small ${outcome.ok ? 'text-ok' : 'text-bad'}`}>{outcome.text}</p>}
      </div>
    </div>
  );
}
