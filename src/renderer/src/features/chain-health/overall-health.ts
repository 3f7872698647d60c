import type { ChainHealth, ChainScanState } from '../../../../shared/domain.ts';

export type OverallHealth = 'ok' | 'warn' | 'down';

export const chainStateLabels: Record<ChainScanState, string> = {
  live: 'Live',
  'catching-up': 'Catching up',
  paused: 'Paused',
  failing: 'Failing',
  disabled: 'Disabled',
  idle: 'Idle',
};

/**
 * One verdict for the status bar: red when a chain is failing or any endpoint's circuit is open
 * (payments may be missed), amber while a chain is behind, paused or idle, green when every
 * enabled chain is live. Disabled chains are the merchant's choice and count for nothing.
 */
export function overallHealth(health: ChainHealth[]): { level: OverallHealth; summary: string } {
  const enabled = health.filter((chain) => chain.enabled && chain.state !== 'disabled');
  if (enabled.length === 0) return { level: 'warn', summary: 'none enabled' };
  const failing = enabled.filter(
    (chain) => chain.state === 'failing' || chain.endpoints.some((endpoint) => endpoint.circuit === 'open'),
  );
  if (failing.length > 0) {
    const what = (chain: ChainHealth) => `${chain.name} ${chain.state === 'failing' ? 'failing' : 'endpoint down'}`;
    return { level: 'down', summary: failing.length <= 2 ? failing.map(what).join(', ') : `${failing.length} chains failing` };
  }
  const notLive = enabled.filter((chain) => chain.state !== 'live');
  if (notLive.length > 0) {
    const states = [...new Set(notLive.map((chain) => chainStateLabels[chain.state].toLowerCase()))].join(', ');
    return { level: 'warn', summary: `${names(notLive)} ${states}` };
  }
  return { level: 'ok', summary: 'all live' };
}

function names(chains: ChainHealth[]): string {
  return chains.length <= 2 ? chains.map((chain) => chain.name).join(' and ') : `${chains.length} chains`;
}
