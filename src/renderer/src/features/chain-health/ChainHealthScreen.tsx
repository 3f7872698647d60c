import { useEffect } from 'react';
import { routeHref } from '../../app/router.ts';
import { useConnectionStore } from '../../transport/index.ts';
import { ErrorText } from '../../ui/Dialog.tsx';
import { EmptyState, Spinner } from '../../ui/Spinner.tsx';
import { useNow } from '../../ui/useNow.ts';
import { ChainHealthCard } from './ChainHealthCard.tsx';
import { useChainHealthStore } from './chain-health-store.ts';
import { overallHealth } from './overall-health.ts';

export function ChainHealthScreen() {
  const { health, loaded, error, load } = useChainHealthStore();
  const reconnects = useConnectionStore((state) => state.reconnects);
  const now = useNow();

  // Fresh on entry and after the event stream returns; pushed `chains.health` keeps it live in between.
  useEffect(() => {
    void load();
  }, [load, reconnects]);

  const summary = overallHealth(health);

  return (
    <section className="page" aria-labelledby="chains-health-title">
      <header className="page__header">
        <div>
          <h1 id="chains-health-title" className="page__title">
            Chains
          </h1>
          <p className="page__subtitle">{loaded && health.length > 0 ? `Scanning: ${summary.summary}` : ' '}</p>
        </div>
        <a className="button" href={routeHref({ name: 'settings', tab: 'chains' })}>
          Chain settings
        </a>
      </header>
      {error && <ErrorText message={error} />}
      {!loaded ? (
        <div className="center-block">
          <Spinner label="Loading chain health" />
        </div>
      ) : health.length === 0 ? (
        <EmptyState title="No chain yet">
          Add a chain under <a href={routeHref({ name: 'settings', tab: 'chains' })}>Settings</a> and Till starts scanning it.
        </EmptyState>
      ) : (
        <div className="stack">
          {health.map((chain) => (
            <ChainHealthCard key={chain.chainId} chain={chain} now={now} />
          ))}
        </div>
      )}
    </section>
  );
}
