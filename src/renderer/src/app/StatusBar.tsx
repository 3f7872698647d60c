import { useConnectionStore } from '../transport/index.ts';
import { useEngineStore } from './engine-store.ts';

type Health = 'ok' | 'warn' | 'down';

export function StatusBar() {
  const engine = useEngineStore((state) => state.engine);
  const events = useConnectionStore((state) => state.events);
  const host = useConnectionStore((state) => state.host);

  const enabled = engine?.chains.filter((chain) => chain.enabled).length ?? 0;
  const total = engine?.chains.length ?? 0;
  const health: Health = events === 'reconnecting' ? 'down' : !engine?.walletReady || enabled === 0 ? 'warn' : 'ok';
  const healthText = health === 'down' ? 'Reconnecting to the engine…' : health === 'warn' ? 'Needs setup' : 'Running';

  return (
    <footer className="status-bar" aria-label="Engine health">
      <span className={`status-bar__health status-bar__health--${health}`}>
        <span className="health-dot" aria-hidden="true" />
        <span role="status">{healthText}</span>
      </span>
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
