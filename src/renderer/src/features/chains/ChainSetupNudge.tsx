import { routeHref } from '../../app/router.ts';
import { useChainsStore } from './chains-store.ts';

/** Shown until at least one chain is enabled: without one, no invoice can be created. */
export function ChainSetupNudge() {
  const { chains, loaded } = useChainsStore();
  if (!loaded || chains.some((chain) => chain.enabled)) return null;
  const none = chains.length === 0;
  return (
    <div className="callout callout--info" role="note">
      <div>
        <p className="callout__title">{none ? 'Connect a chain to start taking payments' : 'No chain is enabled'}</p>
        <p className="callout__body">
          {none
            ? 'Till watches the chains you add for payments to your invoices. Start from a preset such as Base or Ethereum, or add your own RPC endpoint.'
            : 'Enable a chain so invoices can be created on it.'}
        </p>
      </div>
      <a className="button" href={routeHref({ name: 'settings', tab: 'chains' })}>
        Set up chains
      </a>
    </div>
  );
}
