import type { Logger } from 'pino';
import type { Store } from '../db/store.ts';
import type { Clock } from '../lib/clock.ts';
import { saveChain } from '../api/chain-ops.ts';
import { setTreasury } from '../api/wallet-ops.ts';
import type { ConfigFile } from './config-file.ts';

/**
 * Applies a config file to the store at start. The store stays the source of truth: the file
 * upserts what it names and leaves everything else (chains added in the app, invoices) alone.
 */
export function applyConfig(store: Store, clock: Clock, config: ConfigFile, logger: Logger): void {
  store.write(() => {
    if (config.treasury) setTreasury(store, config.treasury);
    for (const chain of config.chains) saveChain(store, clock, chain);
  });
  if (config.webhooks.length > 0) {
    // Delivery arrives with the Webhooks feature; until then the endpoints are validated only.
    logger.warn({ count: config.webhooks.length }, 'webhooks in the config file are validated but not delivered by this version');
  }
  logger.info({ chains: config.chains.map((chain) => chain.chainId), treasury: config.treasury ?? null }, 'config applied');
}
