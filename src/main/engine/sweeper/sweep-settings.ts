import { formatAmount, parseAmount } from '../../../shared/amounts.ts';
import type { SweepSettings, SweepSettingsInputSchema } from '../../../shared/sweeps.ts';
import type { z } from 'zod';
import { NATIVE } from '../db/repositories/sweep-deposits-repo.ts';
import type { StoredSweepSettings } from '../db/repositories/sweep-settings-repo.ts';
import type { Store } from '../db/store.ts';
import { TillError } from '../lib/errors.ts';

export type ParsedSweepSettings = z.output<typeof SweepSettingsInputSchema>;

/**
 * Merges settings from the UI, the CLI or the config file over what the chain has. Minimum
 * amounts are named by token symbol, address or "native" and kept in base units; a token the
 * chain does not know is refused with its name (nothing is saved).
 */
export function mergeSweepSettings(store: Store, chainId: number, input: ParsedSweepSettings): StoredSweepSettings {
  const chain = store.chains.get(chainId);
  if (!chain) throw new TillError('CHAIN_NOT_FOUND', `Chain ${chainId} is not configured.`);
  const current = store.sweepSettings.get(chainId);
  let minAmounts = current.minAmounts;
  if (input.minAmounts) {
    minAmounts = {};
    for (const [name, amount] of Object.entries(input.minAmounts)) {
      const token =
        name.toLowerCase() === NATIVE
          ? { key: NATIVE, decimals: chain.nativeDecimals }
          : chain.tokens
              .filter((t) => t.symbol.toUpperCase() === name.toUpperCase() || t.address.toLowerCase() === name.toLowerCase())
              .map((t) => ({ key: t.address.toLowerCase(), decimals: t.decimals }))[0];
      if (!token)
        throw new TillError(
          'VALIDATION_FAILED',
          `sweep.minAmounts: chain ${chainId} has no token "${name.slice(0, 64)}"; name a token of the chain (${[NATIVE, ...chain.tokens.map((t) => t.symbol)].join(', ')}).`,
        );
      const parsed = parseAmount(amount, token.decimals);
      if (!parsed.ok) throw new TillError('VALIDATION_FAILED', `sweep.minAmounts.${name}: ${parsed.reason}.`);
      minAmounts[token.key] = parsed.value;
    }
  }
  return {
    chainId,
    strategy: input.strategy ?? current.strategy,
    maxFeeShareBps: input.maxFeeShare ?? current.maxFeeShareBps,
    maxAgeSeconds: input.maxAge ?? current.maxAgeSeconds,
    batchSize: input.batchSize ?? current.batchSize,
    paused: input.paused ?? current.paused,
    minAmounts,
    stuckAfterSeconds: input.stuckAfter ?? current.stuckAfterSeconds,
    feeCeiling: input.feeCeiling ?? current.feeCeiling,
  };
}

/** As the UI and the CLI show them: minimum amounts back in token units, by symbol. */
export function sweepSettingsView(store: Store, settings: StoredSweepSettings): SweepSettings {
  const chain = store.chains.get(settings.chainId);
  const minAmounts: Record<string, string> = {};
  for (const [key, value] of Object.entries(settings.minAmounts)) {
    const token = key === NATIVE ? null : chain?.tokens.find((t) => t.address.toLowerCase() === key);
    const name = key === NATIVE ? NATIVE : (token?.symbol ?? key);
    minAmounts[name] = formatAmount(value, key === NATIVE ? (chain?.nativeDecimals ?? 18) : (token?.decimals ?? 18));
  }
  return { ...settings, minAmounts };
}
