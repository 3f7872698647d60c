import { findChainPreset } from '../../../shared/chain-presets.ts';
import type { Chain, ChainConfig, Token } from '../../../shared/domain.ts';
import type { Store } from '../db/store.ts';
import type { Clock } from '../lib/clock.ts';
import { isoTime } from '../lib/clock.ts';
import { checksummedAddress } from '../lib/addresses.ts';
import { TillError } from '../lib/errors.ts';
import { mergeSweepSettings } from '../sweeper/sweep-settings.ts';

function requireChain(store: Store, chainId: number): Chain {
  const chain = store.chains.get(chainId);
  if (!chain)
    throw new TillError(
      'CHAIN_NOT_FOUND',
      `Chain ${chainId} is not configured. Add it in Settings → Chains or in the config file.`,
    );
  return chain;
}

const normalizeToken = (token: Token): Token => ({
  ...token,
  address: checksummedAddress(token.address, `${token.symbol} token address`),
});

/**
 * Creates or updates a chain. Native coin symbol/decimals default to the preset's (or ETH/18
 * for a custom chain); `tokens`, when given, replaces the chain's token list.
 */
export function saveChain(store: Store, clock: Clock, config: ChainConfig): Chain {
  const preset = findChainPreset(config.chainId);
  const existing = store.chains.get(config.chainId);
  const symbols = new Set<string>();
  for (const token of config.tokens ?? []) {
    const key = token.symbol.toUpperCase();
    if (symbols.has(key))
      throw new TillError('VALIDATION_FAILED', `Token symbol ${token.symbol} appears twice on chain ${config.chainId}.`);
    symbols.add(key);
  }
  const now = isoTime(clock.now());
  store.write(() => {
    store.chains.upsert(
      {
        chainId: config.chainId,
        name: config.name,
        rpcUrls: config.rpcUrls,
        confirmations: config.confirmations,
        pollIntervalMs: config.pollIntervalMs,
        startBlock: config.startBlock ?? existing?.startBlock ?? null,
        enabled: config.enabled ?? existing?.enabled ?? true,
        nativeSymbol: config.nativeSymbol ?? existing?.nativeSymbol ?? preset?.nativeSymbol ?? 'ETH',
        nativeDecimals: config.nativeDecimals ?? existing?.nativeDecimals ?? preset?.nativeDecimals ?? 18,
        nativeDetection: config.nativeDetection ?? existing?.nativeDetection ?? 'auto',
      },
      now,
    );
    if (config.tokens) store.chains.replaceTokens(config.chainId, config.tokens.map(normalizeToken));
    if (config.priceFeeds)
      store.priceFeeds.replace(
        config.chainId,
        Object.fromEntries(
          Object.entries(config.priceFeeds).map(([pair, feed]) => [
            pair,
            { ...feed, address: checksummedAddress(feed.address, `${pair} feed address`) },
          ]),
        ),
      );
    if (config.sweep) store.sweepSettings.save(mergeSweepSettings(store, config.chainId, config.sweep), now);
  });
  return requireChain(store, config.chainId);
}

export function setChainEnabled(store: Store, clock: Clock, chainId: number, enabled: boolean): Chain {
  requireChain(store, chainId);
  store.chains.setEnabled(chainId, enabled, isoTime(clock.now()));
  return requireChain(store, chainId);
}

export function removeChain(store: Store, chainId: number): { removed: true } {
  requireChain(store, chainId);
  if (store.chains.hasInvoices(chainId)) {
    throw new TillError(
      'CONFLICT',
      'This chain has invoices, so it cannot be removed (their payments must stay watchable). Disable it instead.',
    );
  }
  store.chains.remove(chainId);
  return { removed: true };
}

export function addToken(store: Store, chainId: number, token: Token): Chain {
  const chain = requireChain(store, chainId);
  const clash = chain.tokens.find(
    (t) => t.symbol.toUpperCase() === token.symbol.toUpperCase() && t.address.toLowerCase() !== token.address.toLowerCase(),
  );
  if (clash)
    throw new TillError(
      'CONFLICT',
      `${chain.name} already has a token called ${clash.symbol} (${clash.address}). Remove it first or pick another symbol.`,
    );
  store.chains.upsertToken(chainId, normalizeToken(token));
  return requireChain(store, chainId);
}

export function removeToken(store: Store, chainId: number, address: string): Chain {
  requireChain(store, chainId);
  if (!store.chains.removeToken(chainId, address)) {
    throw new TillError('TOKEN_NOT_FOUND', `No token ${address} is registered on chain ${chainId}.`);
  }
  return requireChain(store, chainId);
}
