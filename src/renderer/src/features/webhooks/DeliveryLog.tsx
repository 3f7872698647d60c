import { routeHref } from '../../app/router.ts';
import { ErrorText } from '../../ui/Dialog.tsx';
import { EmptyState, Spinner } from '../../ui/Spinner.tsx';
import { shortenMiddle } from '../../ui/format.ts';
import { useNow } from '../../ui/useNow.ts';
import { AttemptOutcome } from './AttemptOutcome.tsx';
import { DeliveryFilters } from './DeliveryFilters.tsx';
import { DeliveryStatusBadge } from './DeliveryStatusBadge.tsx';
import { useResend } from './useResend.ts';
import { formatLogTime, formatOutcome, formatTimeSeconds, formatUntil, shortUrl } from './webhook-format.ts';
import { useWebhooksStore } from './webhooks-store.ts';

interface DeliveryLogProps {
  onResendFailed(): void;
}

/** Every delivery, newest first, filterable; each row opens its attempts and can be resent. */
export function DeliveryLog({ onResendFailed }: DeliveryLogProps) {
  const { deliveries, deliveriesLoaded, deliveriesError, nextCursor, loadingMore, filters, loadMore, setFilters } =
    useWebhooksStore();
  const { resending, outcome, resend } = useResend(() => useWebhooksStore.getState().refresh());
  const now = useNow();
  const filtered = Boolean(filters.status || filters.eventType || filters.endpointId || filters.invoiceId);

  return (
    <section className="webhooks-section" aria-labelledby="delivery-log-title">
      <header className="settings-section__header">
        <div>
          <h2 id="delivery-log-title" className="section-title">
            Delivery log
          </h2>
          <p className="muted">Each event Till sent to each endpoint, newest first, with every attempt.</p>
        </div>
        <button type="button" className="button" onClick={onResendFailed}>
          Resend failed since…
        </button>
      </header>
      <DeliveryFilters />
      <div className="delivery-log__result" role="status">
        {outcome && <AttemptOutcome outcome={outcome} />}
      </div>
      {deliveriesError && <ErrorText message={deliveriesError} />}
      {!deliveriesLoaded ? (
        <div className="center-block">
          <Spinner label="Loading deliveries" />
        </div>
      ) : deliveries.length === 0 ? (
        <EmptyState title={filtered ? 'No deliveries match these filters' : 'No deliveries yet'}>
          {filtered ? (
            <button
              type="button"
              className="button button--small"
              onClick={() => setFilters({ status: null, eventType: null, endpointId: null, invoiceId: '' })}
            >
              Clear filters
            </button>
          ) : (
            'Every event Till sends to an endpoint shows here with its attempts. Send a test ping to see one.'
          )}
        </EmptyState>
      ) : (
        <div className="card table-wrap">
          <table className="table table--compact delivery-table">
            <caption className="visually-hidden">Webhook deliveries</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Event / invoice</th>
                <th scope="col">Endpoint</th>
                <th scope="col">Status</th>
                <th scope="col" className="numeric">
                  Attempts
                </th>
                <th scope="col">Last result</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((delivery) => (
                <tr key={delivery.id} data-delivery-id={delivery.id}>
                  <td className="tabular muted" title={formatTimeSeconds(delivery.createdAt)}>
                    {formatLogTime(delivery.createdAt, now)}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="link-button mono"
                      onClick={() => useWebhooksStore.getState().openDelivery(delivery.id)}
                    >
                      {delivery.eventType}
                      <span className="visually-hidden"> (details)</span>
                    </button>
                    <span className="delivery-table__sub small">
                      {delivery.invoiceId ? (
                        <a
                          className="mono"
                          href={routeHref({ name: 'invoice', id: delivery.invoiceId })}
                          title={delivery.invoiceId}
                        >
                          {shortenMiddle(delivery.invoiceId, 8, 4)}
                        </a>
                      ) : (
                        <span className="muted">no invoice</span>
                      )}
                      {delivery.redelivery && <span className="pill delivery-table__resent">resent</span>}
                    </span>
                  </td>
                  <td className="mono small delivery-table__endpoint" title={delivery.endpointUrl}>
                    {shortUrl(delivery.endpointUrl)}
                  </td>
                  <td className="delivery-table__status">
                    <DeliveryStatusBadge status={delivery.status} />
                    {delivery.nextAttemptAt && (
                      <span
                        className="delivery-table__next muted small tabular"
                        title={formatTimeSeconds(delivery.nextAttemptAt)}
                      >
                        next {formatUntil(delivery.nextAttemptAt, now)}
                      </span>
                    )}
                  </td>
                  <td className="numeric tabular">{delivery.attempts}</td>
                  <td className="delivery-table__last small" title={delivery.lastError ?? undefined}>
                    {delivery.attempts === 0 ? (
                      <span className="muted">—</span>
                    ) : (
                      formatOutcome(delivery.lastHttpStatus, delivery.lastError)
                    )}
                  </td>
                  <td className="actions-cell">
                    <button
                      type="button"
                      className="button button--small"
                      onClick={() => void resend(delivery.id)}
                      disabled={resending === delivery.id}
                      aria-busy={resending === delivery.id}
                      aria-label={`Resend delivery ${delivery.id}`}
                    >
                      Resend
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {nextCursor && (
            <div className="delivery-log__more">
              <button type="button" className="button button--small" onClick={() => void loadMore()} disabled={loadingMore}>
                {loadingMore ? 'Loading…' : 'Load older deliveries'}
              </button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
