import { useId, useState } from 'react';
import type { WebhookDeliveryDetail, WebhookEndpoint } from '../../../../shared/webhooks.ts';
import { call, errorMessage } from '../../transport/index.ts';
import { ToneBadge, type Tone } from '../../ui/Badge.tsx';
import { ErrorText } from '../../ui/Dialog.tsx';
import { formatAgo, formatDateTimeCompact } from '../../ui/format.ts';
import { AttemptOutcome } from './AttemptOutcome.tsx';
import { formatMs, formatOutcome, formatRate } from './webhook-format.ts';
import { useWebhooksStore } from './webhooks-store.ts';

export type EndpointAction = 'edit' | 'rotate' | 'delete';

interface EndpointCardProps {
  endpoint: WebhookEndpoint;
  now: number;
  onAction(action: EndpointAction, endpoint: WebhookEndpoint): void;
}

function endpointState(endpoint: WebhookEndpoint): { tone: Tone; label: string } {
  const { health } = endpoint;
  if (!endpoint.enabled)
    return endpoint.disabledReason ? { tone: 'bad', label: 'Disabled by Till' } : { tone: 'neutral', label: 'Disabled' };
  const lastOk = health.lastHttpStatus !== null && health.lastHttpStatus >= 200 && health.lastHttpStatus < 300;
  if (health.lastAttemptAt && !lastOk) return { tone: 'warn', label: 'Failing' };
  return { tone: 'ok', label: health.lastAttemptAt ? 'Healthy' : 'Enabled' };
}

function pingOutcome(ping: WebhookDeliveryDetail): { ok: boolean; text: string } {
  const attempt = ping.attemptLog[ping.attemptLog.length - 1];
  const outcome = attempt ? formatOutcome(attempt.httpStatus, attempt.error) : 'not sent';
  const took = attempt?.durationMs != null ? ` in ${formatMs(attempt.durationMs)}` : '';
  if (ping.status === 'succeeded') return { ok: true, text: `Ping delivered: ${outcome}${took}.` };
  const body = attempt?.responseBody ? ` The endpoint answered: “${attempt.responseBody.slice(0, 160)}”` : '';
  return { ok: false, text: `Ping not accepted: ${outcome}${took}.${body}` };
}

export function EndpointCard({ endpoint, now, onAction }: EndpointCardProps) {
  const titleId = useId();
  const { health } = endpoint;
  const state = endpointState(endpoint);
  const [busy, setBusy] = useState<'ping' | 'toggle' | null>(null);
  const [ping, setPing] = useState<{ ok: boolean; text: string; deliveryId: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The switch moves at once; the engine's answer then replaces the endpoint (or, on an error, it moves back).
  const [switching, setSwitching] = useState<boolean | null>(null);

  const run = async (kind: 'ping' | 'toggle', action: () => Promise<void>) => {
    setBusy(kind);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(null);
    }
  };
  const sendPing = () =>
    run('ping', async () => {
      setPing(null);
      const delivery = await call('webhooks.ping', { id: endpoint.id });
      setPing({ ...pingOutcome(delivery), deliveryId: delivery.id });
      useWebhooksStore.getState().refresh();
    });
  const setEnabled = async (enabled: boolean) => {
    setSwitching(enabled);
    await run('toggle', async () => {
      useWebhooksStore.getState().putEndpoint(await call('webhooks.update', { id: endpoint.id, enabled }));
    });
    setSwitching(null);
  };

  const [current, ...previous] = endpoint.secrets;
  return (
    <article className={`card endpoint-card ${endpoint.enabled ? '' : 'endpoint-card--disabled'}`} aria-labelledby={titleId}>
      <header className="endpoint-card__header">
        <div className="endpoint-card__heading">
          <div className="endpoint-card__title">
            <h3 id={titleId} className="endpoint-card__url mono">
              {endpoint.url}
            </h3>
            <ToneBadge tone={state.tone}>{state.label}</ToneBadge>
            {endpoint.source === 'config' && <span className="pill">config file</span>}
          </div>
          <p className="muted small">
            {endpoint.description && <>{endpoint.description} · </>}
            Events:{' '}
            {endpoint.events.includes('*') ? (
              'all'
            ) : (
              <span className="pill-group pill-group--wrap">
                {endpoint.events.map((type) => (
                  <span key={type} className="pill">
                    {type}
                  </span>
                ))}
              </span>
            )}
          </p>
        </div>
        <label className="switch">
          <input
            type="checkbox"
            role="switch"
            checked={switching ?? endpoint.enabled}
            disabled={busy === 'toggle'}
            onChange={(event) => void setEnabled(event.target.checked)}
            aria-label={`Enabled: ${endpoint.url}`}
          />
          <span className="switch__track" aria-hidden="true" />
          <span className="switch__text">Enabled</span>
        </label>
      </header>

      {endpoint.disabledReason && (
        <div className="callout callout--danger callout--stacked" role="note">
          <p className="callout__title">Till stopped sending to this endpoint</p>
          <p className="callout__body">
            {endpoint.disabledReason}. Fix the URL or the shop, then switch the endpoint on again; events from the meantime are
            waiting.
          </p>
        </div>
      )}

      <dl className="facts facts--webhook">
        <div>
          <dt>Success, 24 h</dt>
          <dd className="tabular">
            {formatRate(health.successRate24h)}{' '}
            <span className="muted small">
              {health.attempts24h === 0 ? 'no attempts' : `of ${health.attempts24h.toLocaleString()} attempts`}
            </span>
          </dd>
        </div>
        <div>
          <dt>Last attempt</dt>
          <dd className="tabular">
            {health.lastAttemptAt ? (
              <>
                <span className={state.tone === 'warn' ? 'text-warn' : undefined}>
                  {formatOutcome(health.lastHttpStatus, health.lastError)}
                </span>{' '}
                <span className="muted small" title={health.lastAttemptAt}>
                  {formatAgo(health.lastAttemptAt, now)}
                </span>
              </>
            ) : (
              <span className="muted">Never</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Waiting</dt>
          <dd className="tabular">
            {health.undelivered.toLocaleString()}{' '}
            {health.oldestUndeliveredAt && (
              <span className="muted small" title={health.oldestUndeliveredAt}>
                oldest {formatAgo(health.oldestUndeliveredAt, now)}
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>Dead</dt>
          <dd className={`tabular ${health.dead > 0 ? 'text-bad' : ''}`}>{health.dead.toLocaleString()}</dd>
        </div>
      </dl>

      {current && (
        <p className="muted small tabular">
          Signing secret <span className="mono">{current.hint}</span>, since {formatDateTimeCompact(current.createdAt)}
          {previous.map((old) => (
            <span key={old.id}>
              {' '}
              · previous <span className="mono">{old.hint}</span> signs too until{' '}
              {old.expiresAt ? formatDateTimeCompact(old.expiresAt) : '—'}
            </span>
          ))}
        </p>
      )}

      <div className="endpoint-card__actions" role="group" aria-label={`Actions for ${endpoint.url}`}>
        <button
          type="button"
          className="button button--small"
          onClick={sendPing}
          disabled={busy === 'ping'}
          aria-busy={busy === 'ping'}
          aria-label={`Send test ping to ${endpoint.url}`}
        >
          Send test ping
        </button>
        <button
          type="button"
          className="button button--small"
          onClick={() => onAction('edit', endpoint)}
          aria-label={`Edit ${endpoint.url}`}
        >
          Edit
        </button>
        <button
          type="button"
          className="button button--small"
          onClick={() => onAction('rotate', endpoint)}
          aria-label={`Rotate secret of ${endpoint.url}`}
        >
          Rotate secret…
        </button>
        <button
          type="button"
          className="button button--small button--danger-text"
          onClick={() => onAction('delete', endpoint)}
          aria-label={`Delete ${endpoint.url}`}
        >
          Delete…
        </button>
      </div>
      <div className="endpoint-card__result" role="status">
        {ping && <AttemptOutcome outcome={ping} />}
      </div>
      {error && <ErrorText message={error} />}
    </article>
  );
}
