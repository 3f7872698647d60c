import { useEffect, useState } from 'react';
import type { SweepRunResult } from '../../../../shared/contract.ts';
import { routeHref } from '../../app/router.ts';
import { useConnectionStore } from '../../transport/index.ts';
import { CopyButton } from '../../ui/CopyButton.tsx';
import { ErrorText } from '../../ui/Dialog.tsx';
import { EmptyState, Spinner } from '../../ui/Spinner.tsx';
import { ChainSweepCard } from './ChainSweepCard.tsx';
import { SweeperAlerts, UnlockForm } from './SweeperAlerts.tsx';
import { describeRun, SweepNowDialog } from './SweepNowDialog.tsx';
import { InFlightSweeps, SweepHistory } from './SweepTables.tsx';
import { useSweepsStore } from './sweeps-store.ts';

const OVERVIEW_REFRESH_MS = 5000;

export function SweepsScreen() {
  const { overview, plans, inFlight, history, alerts, loaded, error, planError, load, setActive } = useSweepsStore();
  const reconnects = useConnectionStore((state) => state.reconnects);
  const [sweepNow, setSweepNow] = useState<{ chain: { chainId: number; name: string } | null } | null>(null);
  const [outcome, setOutcome] = useState<{ text: string; problems: boolean } | null>(null);

  useEffect(() => {
    setActive(true);
    // Gas balances and fees change on chain without any sweep changing: read them again now and then.
    const timer = setInterval(() => useSweepsStore.getState().refresh(), OVERVIEW_REFRESH_MS);
    return () => {
      clearInterval(timer);
      setActive(false);
    };
  }, [setActive]);
  // Fresh on entry and after the event stream returns; `sweeps.changed` keeps it live in between.
  useEffect(() => {
    void load();
  }, [load, reconnects]);

  const chains = overview?.chains ?? [];
  const locked = chains.some((chain) => chain.state === 'vault_locked') && !alerts.some((alert) => alert.type === 'vault_locked');
  const inFlightCount = chains.reduce((sum, chain) => sum + chain.inFlight, 0);

  const done = (result: SweepRunResult) => {
    setSweepNow(null);
    setOutcome({ text: describeRun(result), problems: result.problems.length > 0 });
    useSweepsStore.getState().refresh();
  };

  return (
    <section className="page" aria-labelledby="sweeps-title">
      <header className="page__header">
        <div>
          <h1 id="sweeps-title" className="page__title">
            Sweeps
          </h1>
          <p className="page__subtitle tabular">
            {overview ? (inFlightCount === 0 ? 'Nothing in flight' : `${inFlightCount.toLocaleString()} in flight`) : ' '}
          </p>
        </div>
        <button
          type="button"
          className="button button--primary"
          onClick={() => {
            setOutcome(null);
            setSweepNow({ chain: null });
          }}
          disabled={!overview?.treasury || chains.length === 0}
        >
          Sweep now
        </button>
      </header>
      {error && <ErrorText message={error} />}
      {planError && <ErrorText message={`Could not plan the sweeps: ${planError}`} />}
      {outcome && (
        <p className={outcome.problems ? 'error-text' : 'success-text'} role="status">
          {outcome.text}
        </p>
      )}

      {!loaded || !overview ? (
        !error && (
          <div className="center-block">
            <Spinner label="Loading sweeps" />
          </div>
        )
      ) : (
        <div className="stack">
          <TreasuryCard treasury={overview.treasury} />
          {locked && (
            <div className="callout callout--warning callout--stacked" role="note">
              <p className="callout__title">The keystore is locked: unlock to sweep</p>
              <UnlockForm />
            </div>
          )}
          <SweeperAlerts alerts={alerts} />
          {chains.length === 0 ? (
            <EmptyState title="No chain yet">
              Add a chain under <a href={routeHref({ name: 'settings', tab: 'chains' })}>Settings</a>; its payments are swept from
              here.
            </EmptyState>
          ) : (
            chains.map((chain) => (
              <ChainSweepCard
                key={chain.chainId}
                chain={chain}
                plan={plans?.find((plan) => plan.chainId === chain.chainId)}
                treasurySet={overview.treasury !== null}
                onSweepNow={(target) => {
                  setOutcome(null);
                  setSweepNow({ chain: { chainId: target.chainId, name: target.name } });
                }}
              />
            ))
          )}
          <InFlightSweeps sweeps={inFlight} />
          <SweepHistory sweeps={history} />
        </div>
      )}
      {sweepNow && <SweepNowDialog chain={sweepNow.chain} onCancel={() => setSweepNow(null)} onDone={done} />}
    </section>
  );
}

function TreasuryCard({ treasury }: { treasury: string | null }) {
  if (!treasury)
    return (
      <div className="callout callout--warning" role="alert">
        <div>
          <p className="callout__title">Treasury not set</p>
          <p className="callout__body">
            Swept funds go to the treasury, your own wallet’s address. Until it is set, payments stay on their deposit addresses.
            Set it in Settings → Wallet (or with treasury: in the config file).
          </p>
        </div>
        <a className="button button--primary" href={routeHref({ name: 'settings', tab: 'wallet' })}>
          Set the treasury address
        </a>
      </div>
    );
  return (
    <section className="card" aria-labelledby="treasury-title">
      <h2 id="treasury-title" className="card__title">
        Treasury
      </h2>
      <div className="treasury-row">
        <code className="mono treasury-row__full" aria-label="Treasury address">
          {treasury}
        </code>
        <CopyButton value={treasury} label="Copy treasury address" withText />
        <a className="button button--small button--ghost" href={routeHref({ name: 'settings', tab: 'wallet' })}>
          Change in Settings
        </a>
      </div>
      <p className="muted small">Every sweep sends funds here and nowhere else.</p>
    </section>
  );
}
