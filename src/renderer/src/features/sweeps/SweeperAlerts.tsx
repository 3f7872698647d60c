import { useState, type FormEvent } from 'react';
import type { Alert } from '../../../../shared/domain.ts';
import { routeHref } from '../../app/router.ts';
import { call, errorMessage } from '../../transport/index.ts';
import { ToneBadge } from '../../ui/Badge.tsx';
import { ErrorText } from '../../ui/Dialog.tsx';
import { Field } from '../../ui/Field.tsx';
import { alertTypeLabels, severityLabels, severityTones } from '../alerts/alert-labels.ts';
import { useAlertsStore } from '../alerts/alerts-store.ts';
import { chainName, useChainsStore } from '../chains/chains-store.ts';
import { useSweepsStore } from './sweeps-store.ts';

/** The sweeper's open alerts with what to do, and the action that does it where there is one. */
export function SweeperAlerts({ alerts }: { alerts: Alert[] }) {
  if (alerts.length === 0) return null;
  return (
    <section aria-labelledby="sweeper-alerts-title" className="stack">
      <h2 id="sweeper-alerts-title" className="section-title">
        Needs your attention
      </h2>
      <ul className="alert-list" aria-label="Sweeper alerts">
        {alerts.map((alert) => (
          <SweeperAlert key={alert.id} alert={alert} />
        ))}
      </ul>
    </section>
  );
}

function sweepIdOf(alert: Alert): string | null {
  const id = alert.details?.sweepId;
  return typeof id === 'string' ? id : null;
}

function SweeperAlert({ alert }: { alert: Alert }) {
  const chains = useChainsStore((state) => state.chains);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const label = alertTypeLabels[alert.type];
  const titleId = `sweeper-alert-${alert.id}`;
  const sweepId = sweepIdOf(alert);

  const run = async (action: () => Promise<string | null>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      setNotice(await action());
      useSweepsStore.getState().refresh();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  const acknowledge = () =>
    run(async () => {
      useAlertsStore.getState().put(await call('alerts.acknowledge', { id: alert.id }));
      return null;
    });

  return (
    <li className={`card alert alert--${alert.severity}`} aria-labelledby={titleId}>
      <div className="alert__main">
        <div className="alert__meta">
          <ToneBadge tone={severityTones[alert.severity]}>{severityLabels[alert.severity]}</ToneBadge>
          <h3 id={titleId} className="alert__type">
            {label}
          </h3>
          {alert.chainId !== null && <span className="muted small">{chainName(chains, alert.chainId)}</span>}
        </div>
        <p className="alert__message">{alert.message}</p>
        <div className="alert__remedy">
          <p className="alert__remedy-title">What to do</p>
          <p>{alert.remedy}</p>
        </div>
        {alert.type === 'vault_locked' && <UnlockForm />}
        {alert.type === 'treasury_missing' && (
          <p>
            <a className="button button--small" href={routeHref({ name: 'settings', tab: 'wallet' })}>
              Set the treasury address
            </a>
          </p>
        )}
        {error && <ErrorText message={error} />}
        {notice && (
          <p className="success-text" role="status">
            {notice}
          </p>
        )}
      </div>
      <div className="alert__actions">
        {sweepId && (alert.type === 'sweep_stuck' || alert.type === 'sweep_fee_ceiling') && (
          <button
            type="button"
            className="button button--small"
            disabled={busy}
            onClick={() =>
              run(async () => {
                const sweep = await call('sweeps.bump', { id: sweepId });
                return `Sweep ${sweep.id} re-sent with higher fees (attempt ${sweep.attempts}).`;
              })
            }
          >
            Bump fees
          </button>
        )}
        {sweepId && alert.type === 'sweep_reverted' && (
          <button
            type="button"
            className="button button--small"
            disabled={busy}
            onClick={() =>
              run(async () => {
                await call('sweeps.retry', { id: sweepId });
                return 'Its deposits are planned again.';
              })
            }
          >
            Retry
          </button>
        )}
        <button
          type="button"
          className="button button--small button--ghost"
          onClick={acknowledge}
          disabled={busy}
          aria-label={`Acknowledge alert ${label}`}
        >
          Acknowledge
        </button>
      </div>
    </li>
  );
}

/** The keystore passphrase, where Till could not read it at start: sweeping resumes by itself once unlocked. */
export function UnlockForm() {
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [unlocked, setUnlocked] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await call('wallet.unlock', { passphrase });
      setPassphrase('');
      setUnlocked(true);
      useSweepsStore.getState().refresh();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  if (unlocked)
    return (
      <p className="success-text" role="status">
        Keystore unlocked: sweeping resumes.
      </p>
    );
  return (
    <form className="form unlock-form" onSubmit={submit} aria-label="Unlock the keystore">
      <Field label="Keystore passphrase" error={error}>
        <input
          className="input"
          type="password"
          autoComplete="current-password"
          value={passphrase}
          onChange={(event) => setPassphrase(event.target.value)}
        />
      </Field>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy || passphrase.length === 0}>
          Unlock to sweep
        </button>
      </div>
    </form>
  );
}
