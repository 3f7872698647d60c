import { useAlertsStore } from '../features/alerts/alerts-store.ts';
import { useChainHealthStore } from '../features/chain-health/chain-health-store.ts';
import { overallHealth } from '../features/chain-health/overall-health.ts';
import { useConnectionStore } from '../transport/index.ts';
import { useEngineStore } from './engine-store.ts';
import { routeHref } from './router.ts';

type Health = 'ok' | 'warn' | 'down';

export function StatusBar() {
  const engine = useEngineStore((state) => state.engine);
  const events = useConnectionStore((state) => state.events);
  const host = useConnectionStore((state) => state.host);
  const chainHealth = useChainHealthStore((state) => state.health);
  const chainHealthLoaded = useChainHealthStore((state) => state.loaded);
  const openAlerts = useAlertsStore((state) => state.openCount);

  const enabled = engine?.chains.filter((chain) => chain.enabled).length ?? 0;
  const total = engine?.chains.length ?? 0;
  const health: Health = events === 'reconnecting' ? 'down' : !engine?.walletReady || enabled === 0 ? 'warn' : 'ok';
  const healthText = health === 'down' ? 'Reconnecting to the engine…' : health === 'warn' ? 'Needs setup' : 'Running';
  const chains = overallHealth(chainHealth);

  return (
    <footer className="status-bar" aria-label="Engine health">
      <span className={`status-bar__health status-bar__health--${health}`}>
        <span className="health-dot" aria-hidden="true" />
        <span role="status">{healthText}</span>
      </span>
      {chainHealthLoaded && total > 0 && (
        <a
          className={`status-bar__item status-bar__link status-bar__health--${chains.level}`}
          href={routeHref({ name: 'chains' })}
          title="Open chain health"
        >
          <span className="health-dot" aria-hidden="true" />
          {/* aria-live, not role="status": a status role inside the link would drop out of its accessible name. */}
          <span aria-live="polite">Chains: {chains.summary}</span>
        </a>
      )}
      {openAlerts !== null && (
        <a
          className={`status-bar__item status-bar__link ${openAlerts > 0 ? 'status-bar__link--alerts' : ''}`}
          href={routeHref({ name: 'alerts' })}
        >
          {openAlerts === 0 ? 'No open alerts' : `${openAlerts.toLocaleString()} open ${openAlerts === 1 ? 'alert' : 'alerts'}`}
        </a>
      )}
      <span className="status-bar__item">{engine?.walletReady ? 'Wallet ready' : 'Wallet not ready'}</span>
      <span className="status-bar__item">{engine?.treasury ? 'Treasury set' : 'Treasury not set'}</span>
      <span className="status-bar__item tabular">
        {total === 0 ? 'No chains' : `${enabled} of ${total} ${total === 1 ? 'chain' : 'chains'} enabled`}
      </span>
      <span className="status-bar__spacer" />
      <span className="status-bar__item muted">
        {host === 'browser' ? 'Browser' : 'Desktop'}
        {engine ? ` · Till ${engine.version}` : ''}
      </span>
    </footer>
  );
}
