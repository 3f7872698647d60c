import type { WebhookDeliveryDetail } from '../../../../shared/webhooks.ts';
import { routeHref } from '../../app/router.ts';
import { CopyButton } from '../../ui/CopyButton.tsx';
import { Dialog, ErrorText } from '../../ui/Dialog.tsx';
import { Spinner } from '../../ui/Spinner.tsx';
import { useNow } from '../../ui/useNow.ts';
import { DeliveryStatusBadge } from './DeliveryStatusBadge.tsx';
import { useResend } from './useResend.ts';
import { formatMs, formatOutcome, formatTimeSeconds, formatUntil, prettyJson } from './webhook-format.ts';
import { useWebhooksStore } from './webhooks-store.ts';

/** The open delivery: its facts, every attempt with the endpoint's answer, the exact body sent; resend it. */
export function DeliveryDetailDialog() {
  const { openId, detail, detailError, openDelivery } = useWebhooksStore();
  const { resending, outcome, resend, clearOutcome } = useResend((fresh) => {
    // Show the new delivery: that is where this resend's attempt is.
    if (fresh) useWebhooksStore.setState({ openId: fresh.id, detail: fresh, detailError: null });
    useWebhooksStore.getState().refresh();
  });
  const busy = resending !== null;
  if (!openId) return null;
  const shown = detail?.id === openId ? detail : null;
  const close = () => {
    clearOutcome();
    openDelivery(null);
  };

  return (
    <Dialog
      title={shown ? `Delivery of ${shown.eventType}` : 'Delivery'}
      onClose={close}
      wide
      actions={
        <>
          <button type="button" className="button" onClick={close}>
            Close
          </button>
          <button
            type="button"
            className="button button--primary"
            onClick={() => void resend(openId)}
            disabled={busy || !shown}
            aria-busy={busy}
          >
            Resend
          </button>
        </>
      }
    >
      <div className="delivery-detail__result" role="status">
        {outcome && <p className={`small ${outcome.ok ? 'text-ok' : 'text-bad'}`}>{outcome.text}</p>}
      </div>
      {detailError && <ErrorText message={detailError} />}
      {!shown ? !detailError && <Spinner label="Loading delivery" /> : <DeliveryDetailBody delivery={shown} />}
    </Dialog>
  );
}

function DeliveryDetailBody({ delivery }: { delivery: WebhookDeliveryDetail }) {
  const now = useNow();
  return (
    <div className="delivery-detail">
      <dl className="facts facts--delivery">
        <div>
          <dt>Status</dt>
          <dd>
            <DeliveryStatusBadge status={delivery.status} />
            {delivery.redelivery && <span className="pill delivery-table__resent">resent</span>}
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd className="tabular">{formatTimeSeconds(delivery.createdAt)}</dd>
        </div>
        <div>
          <dt>Attempts</dt>
          <dd className="tabular">{delivery.attempts}</dd>
        </div>
        <div>
          <dt>Next attempt</dt>
          <dd className="tabular">{formatUntil(delivery.nextAttemptAt, now)}</dd>
        </div>
        <div className="facts__wide">
          <dt>Invoice</dt>
          <dd>
            {delivery.invoiceId ? (
              <a className="mono" href={routeHref({ name: 'invoice', id: delivery.invoiceId })}>
                {delivery.invoiceId}
              </a>
            ) : (
              <span className="muted">— (not an invoice event)</span>
            )}
          </dd>
        </div>
        <div className="facts__wide">
          <dt>Endpoint</dt>
          <dd className="mono">{delivery.endpointUrl}</dd>
        </div>
        <div className="facts__wide">
          <dt>Event ID</dt>
          <dd>
            <span className="mono">{delivery.eventId}</span>
            <CopyButton value={delivery.eventId} label={`Copy event ID ${delivery.eventId}`} />
          </dd>
        </div>
        <div className="facts__wide">
          <dt>Delivery ID</dt>
          <dd>
            <span className="mono">{delivery.id}</span>
            <CopyButton value={delivery.id} label={`Copy delivery ID ${delivery.id}`} />
          </dd>
        </div>
      </dl>

      <h3 className="subsection-title">Attempts</h3>
      {delivery.attemptLog.length === 0 ? (
        <p className="muted small">Not attempted yet.</p>
      ) : (
        <div className="table-wrap endpoints">
          <table className="table table--compact">
            <caption className="visually-hidden">Attempts of this delivery</caption>
            <thead>
              <tr>
                <th scope="col" className="numeric">
                  #
                </th>
                <th scope="col">Started</th>
                <th scope="col" className="numeric">
                  Took
                </th>
                <th scope="col">Result</th>
                <th scope="col">Response body (first 4 KiB)</th>
              </tr>
            </thead>
            <tbody>
              {delivery.attemptLog.map((attempt) => {
                const ok = attempt.httpStatus !== null && attempt.httpStatus >= 200 && attempt.httpStatus < 300;
                return (
                  <tr key={attempt.attempt}>
                    <td className="numeric tabular">{attempt.attempt}</td>
                    <td className="tabular">{formatTimeSeconds(attempt.startedAt)}</td>
                    <td className="numeric tabular">{attempt.finishedAt ? formatMs(attempt.durationMs) : 'sending…'}</td>
                    <td className={`wrap ${ok ? 'text-ok' : 'text-bad'}`}>
                      {formatOutcome(attempt.httpStatus, attempt.error)}
                      {attempt.httpStatus !== null && attempt.error && !attempt.error.includes(String(attempt.httpStatus)) && (
                        <span className="muted small"> · {attempt.error}</span>
                      )}
                    </td>
                    <td className="wrap">
                      {attempt.responseBody ? (
                        <pre className="code-block code-block--response">{attempt.responseBody}</pre>
                      ) : (
                        <span className="muted">empty</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <div className="delivery-detail__body-header">
        <h3 className="subsection-title" id="request-body-title">
          Request body
        </h3>
        <CopyButton value={delivery.requestBody} label="Copy request body" withText />
      </div>
      <pre className="code-block" aria-labelledby="request-body-title" tabIndex={0}>
        {prettyJson(delivery.requestBody)}
      </pre>
      <p className="muted small">Copy gives the body exactly as sent: the signature covers those bytes, not this layout.</p>
    </div>
  );
}
