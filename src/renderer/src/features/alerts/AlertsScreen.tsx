import { useEffect, useState } from 'react';
import type { Alert } from '../../../../shared/domain.ts';
import { routeHref } from '../../app/router.ts';
import { call, errorMessage, useConnectionStore } from '../../transport/index.ts';
import { ToneBadge } from '../../ui/Badge.tsx';
import { ErrorText } from '../../ui/Dialog.tsx';
import { EmptyState, Spinner } from '../../ui/Spinner.tsx';
import { formatDateTime, formatDateTimeCompact, shortenMiddle } from '../../ui/format.ts';
import { chainName, useChainsStore } from '../chains/chains-store.ts';
import { alertTypeLabels, severityLabels, severityTones } from './alert-labels.ts';
import { useAlertsStore } from './alerts-store.ts';

export function AlertsScreen() {
  const { alerts, loaded, error, includeAcknowledged, openCount, load, setIncludeAcknowledged } = useAlertsStore();
  const reconnects = useConnectionStore((state) => state.reconnects);

  useEffect(() => {
    void load();
  }, [load, reconnects]);

  return (
    <section className="page" aria-labelledby="alerts-title">
      <header className="page__header">
        <div>
          <h1 id="alerts-title" className="page__title">
            Alerts
          </h1>
          <p className="page__subtitle tabular">
            {openCount === null ? ' ' : openCount === 0 ? 'Nothing needs your attention' : `${openCount.toLocaleString()} open`}
          </p>
        </div>
        <label className="switch">
          <input
            type="checkbox"
            role="switch"
            checked={includeAcknowledged}
            onChange={(event) => setIncludeAcknowledged(event.target.checked)}
          />
          <span className="switch__track" aria-hidden="true" />
          <span className="switch__text">Show acknowledged</span>
        </label>
      </header>
      {error && <ErrorText message={error} />}
      {!loaded ? (
        <div className="center-block">
          <Spinner label="Loading alerts" />
        </div>
      ) : alerts.length === 0 ? (
        <EmptyState title={includeAcknowledged ? 'No alerts yet' : 'No open alerts'}>
          Till raises an alert when something needs a decision: a wrong token, a late payment, a failing RPC endpoint.
        </EmptyState>
      ) : (
        <ul className="alert-list" aria-label="Alerts">
          {alerts.map((alert) => (
            <AlertItem key={alert.id} alert={alert} />
          ))}
        </ul>
      )}
    </section>
  );
}

function AlertItem({ alert }: { alert: Alert }) {
  const chains = useChainsStore((state) => state.chains);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const typeLabel = alertTypeLabels[alert.type] ?? alert.type;
  const titleId = `alert-${alert.id}`;

  const acknowledge = async () => {
    setBusy(true);
    setError(null);
    try {
      useAlertsStore.getState().put(await call('alerts.acknowledge', { id: alert.id }));
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };

  return (
    <li
      className={`card alert alert--${alert.severity} ${alert.acknowledgedAt ? 'alert--acknowledged' : ''}`}
      aria-labelledby={titleId}
    >
      <div className="alert__main">
        <div className="alert__meta">
          <ToneBadge tone={alert.acknowledgedAt ? 'neutral' : severityTones[alert.severity]}>
            {severityLabels[alert.severity]}
          </ToneBadge>
          <h2 id={titleId} className="alert__type">
            {typeLabel}
          </h2>
          {alert.chainId !== null && <span className="muted small">{chainName(chains, alert.chainId)}</span>}
          <time className="muted small tabular" dateTime={alert.createdAt} title={formatDateTime(alert.createdAt, true)}>
            {formatDateTimeCompact(alert.createdAt)}
          </time>
        </div>
        <p className="alert__message">{alert.message}</p>
        <div className="alert__remedy">
          <p className="alert__remedy-title">What to do</p>
          <p>{alert.remedy}</p>
        </div>
        {alert.invoiceId && (
          <p className="small">
            <a href={routeHref({ name: 'invoice', id: alert.invoiceId })}>
              Open invoice <span className="mono">{shortenMiddle(alert.invoiceId, 10, 4)}</span>
            </a>
          </p>
        )}
        {error && <ErrorText message={error} />}
      </div>
      <div className="alert__actions">
        {alert.acknowledgedAt ? (
          <span className="muted small">
            Acknowledged {formatDateTimeCompact(alert.acknowledgedAt)}
            {alert.acknowledgedBy ? ` by ${alert.acknowledgedBy}` : ''}
          </span>
        ) : (
          <button
            type="button"
            className="button button--small"
            onClick={acknowledge}
            disabled={busy}
            aria-label={`Acknowledge alert ${typeLabel} (${shortenMiddle(alert.id, 8, 4)})`}
          >
            Acknowledge
          </button>
        )}
      </div>
    </li>
  );
}
