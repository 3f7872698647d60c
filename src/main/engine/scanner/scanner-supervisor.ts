import type { Logger } from 'pino';
import type { ChainHealth, ChainScanState } from '../../../shared/domain.ts';
import type { Store } from '../db/store.ts';
import { createRpcPool, type RpcPool, type RpcPoolOptions } from '../chains/rpc/rpc-pool.ts';
import { isoTime, type Clock } from '../lib/clock.ts';
import { TillError } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { sleep } from '../lib/shutdown.ts';
import { reconcileNativeBalances } from './balance-reconcile.ts';
import { createChainScanner, ScanRestartError, type ChainScanner } from './chain-scanner.ts';

export interface ScannerSupervisorDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  published(): void;
  /** Chain health changed (for the UI). */
  healthChanged(): void;
  /** Test seam: a pool factory (the default makes real RPC pools). */
  createPool?: (chainId: number, urls: string[]) => RpcPool;
  /** Timeouts and thresholds for the default pools (tests lower them; defaults suit real providers). */
  poolTuning?: RpcPoolTuning;
}

interface ChainLoop {
  chainId: number;
  urls: string;
  pool: RpcPool;
  scanner: ChainScanner;
  state: ChainScanState;
  head: number | null;
  headAt: number | null;
  lastScanAt: number | null;
  lastError: string | null;
  failures: number;
  speed: number | null;
  lastReconcileAt: number;
  watched: number;
  wake?: () => void;
  /** A wake-up came while the loop was busy: its next wait ends at once (a head seen mid-step is not lost). */
  wakePending: boolean;
}

export type RpcPoolTuning = Pick<RpcPoolOptions, 'timeoutMs' | 'lagThreshold' | 'maxRounds' | 'maxCooldownWaitMs'>;

const RECONCILE_EVERY_MS = 30_000;
/**
 * While every endpoint in use pushes `newHeads` (ws), each block wakes the loop at once and polling
 * is only the safety net for a subscription that went quiet: it runs every 10 poll intervals, at
 * most 30 s apart, never more often than configured. One http endpoint, or one subscription not
 * live, and the loop polls at the configured interval again.
 */
const SUBSCRIBED_POLL_FACTOR = 10;
const SUBSCRIBED_POLL_MAX_MS = 30_000;

/**
 * One supervised scanner loop per enabled chain. Each loop reads its chain's configuration and
 * cursor from the store on every iteration, so pausing, rescanning or editing RPC URLs (from
 * the UI or another `till` process) takes effect without a restart; a crash of one loop is
 * logged, backed off and retried, and never touches the other chains.
 */
export function createScannerSupervisor(deps: ScannerSupervisorDeps) {
  const { store, clock, logger } = deps;
  const loops = new Map<number, ChainLoop>();
  const makePool =
    deps.createPool ??
    ((chainId: number, urls: string[]) =>
      createRpcPool({ ...deps.poolTuning, chainId, urls, logger: logger.child({ chainId, part: 'rpc' }), clock }));

  function loopFor(chainId: number, urls: string[]): ChainLoop {
    const key = JSON.stringify(urls);
    const existing = loops.get(chainId);
    if (existing && existing.urls === key) return existing;
    existing?.pool.close();
    const pool = makePool(chainId, urls);
    const scanner = createChainScanner({
      chainId,
      store,
      clock,
      logger: logger.child({ loop: 'scanner', chainId }),
      rpc: pool,
      published: deps.published,
    });
    const loop: ChainLoop = {
      chainId,
      urls: key,
      pool,
      scanner,
      state: 'idle',
      head: existing?.head ?? null,
      headAt: existing?.headAt ?? null,
      lastScanAt: existing?.lastScanAt ?? null,
      lastError: null,
      failures: 0,
      speed: null,
      lastReconcileAt: 0,
      watched: 0,
      wakePending: false,
    };
    loops.set(chainId, loop);
    pool.onNewHead?.(() => wakeLoop(loop));
    return loop;
  }

  function wakeLoop(loop: ChainLoop): void {
    if (loop.wake) loop.wake();
    else loop.wakePending = true;
  }

  function pollInterval(loop: ChainLoop, configuredMs: number): number {
    const inUse = loop.pool.health().filter((endpoint) => endpoint.circuit !== 'open');
    if (inUse.length === 0 || !inUse.every((endpoint) => endpoint.newHeads === 'live')) return configuredMs;
    return Math.max(configuredMs, Math.min(configuredMs * SUBSCRIBED_POLL_FACTOR, SUBSCRIBED_POLL_MAX_MS));
  }

  function raise(alert: Parameters<Store['alerts']['raise']>[0]): void {
    if (store.alerts.raise(alert, isoTime(clock.now()))) deps.healthChanged();
  }

  function checkAlerts(loop: ChainLoop, pollIntervalMs: number): void {
    for (const endpoint of loop.pool.health()) {
      if (endpoint.circuit === 'open') {
        raise({
          id: newId('alr'),
          type: 'endpoint_down',
          severity: 'warning',
          chainId: loop.chainId,
          invoiceId: null,
          message: `RPC endpoint ${endpoint.url} of chain ${loop.chainId} keeps failing: ${endpoint.lastError ?? 'no answer'}.`,
          remedy:
            'Till uses the chain’s other endpoints meanwhile. Check the provider’s status and your API key, or replace the URL in Settings → Chains (test it first).',
          details: { url: endpoint.url },
          dedupeKey: `endpoint_down:${loop.chainId}:${endpoint.url}`,
        });
      }
    }
    // Stalled: no new head for ten of the chain's block times (and ten poll intervals, and a
    // minute). Without enough history to know the block time there is no alert: a dev chain
    // that mines only on transactions (anvil's default) is quiet, not stalled.
    const blockTimeMs = store.recentBlocks.medianBlockTimeMs(loop.chainId);
    const stallMs = blockTimeMs === null ? null : Math.max(60_000, pollIntervalMs * 10, blockTimeMs * 10);
    if (stallMs !== null && loop.headAt !== null && clock.now() - loop.headAt > stallMs) {
      raise({
        id: newId('alr'),
        type: 'chain_stalled',
        severity: 'warning',
        chainId: loop.chainId,
        invoiceId: null,
        message: `Chain ${loop.chainId} has shown no new block since ${isoTime(loop.headAt)} (head ${loop.head}); its blocks usually come every ${Math.max(1, Math.round(blockTimeMs! / 1000))} s.`,
        remedy: 'Your RPC endpoints may be stuck or the chain halted. Check the chain health screen; add or replace an RPC URL.',
        details: { head: loop.head },
        dedupeKey: `stalled:${loop.chainId}:${loop.head}`,
      });
    }
  }

  async function runChain(chainId: number, signal: AbortSignal): Promise<void> {
    let backoff = 500;
    while (!signal.aborted) {
      const chain = store.chains.get(chainId);
      if (!chain || !chain.enabled) {
        const loop = loops.get(chainId);
        if (loop) loop.state = 'disabled';
        return;
      }
      const loop = loopFor(chainId, chain.rpcUrls);
      if (chain.paused) {
        loop.state = 'paused';
        await sleep(Math.min(chain.pollIntervalMs, 1_000), signal);
        continue;
      }
      const startedAt = clock.now();
      try {
        const before = store.scanCursors.get(chainId)?.blockNumber ?? null;
        const result = await loop.scanner.step(signal);
        if (result.head !== loop.head) {
          loop.head = result.head;
          loop.headAt = clock.now();
        }
        loop.lastScanAt = clock.now();
        loop.lastError = null;
        loop.failures = 0;
        backoff = 500;
        const advanced = before === null ? 0 : result.scannedTo - before;
        if (advanced > 0) {
          const rate = (advanced * 1000) / Math.max(1, clock.now() - startedAt);
          loop.speed = loop.speed === null ? rate : loop.speed * 0.7 + rate * 0.3;
        }
        loop.state = result.caughtUp ? 'live' : 'catching-up';
        loop.watched = store.invoices.watchedCount(chainId, isoTime(clock.now()));
        if (result.caughtUp && clock.now() - loop.lastReconcileAt > RECONCILE_EVERY_MS) {
          loop.lastReconcileAt = clock.now();
          await reconcileNativeBalances({ store, clock, rpc: loop.pool, chainId }, result.scannedTo, signal).catch(
            (error: unknown) => logger.warn({ chainId, err: error }, 'native balance reconcile failed'),
          );
        }
        checkAlerts(loop, chain.pollIntervalMs);
        deps.healthChanged();
        if (result.caughtUp) await sleepOrWake(loop, pollInterval(loop, chain.pollIntervalMs), signal);
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof ScanRestartError) {
          logger.debug({ chainId, reason: error.message }, 'scan step restarted');
          await sleep(50, signal);
          continue;
        }
        loop.failures++;
        loop.state = 'failing';
        loop.lastError = error instanceof TillError ? error.message : String((error as Error).message ?? error);
        logger.warn({ chainId, err: error, failures: loop.failures }, 'scan step failed');
        checkAlerts(loop, chain.pollIntervalMs);
        deps.healthChanged();
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  }

  function sleepOrWake(loop: ChainLoop, ms: number, signal: AbortSignal): Promise<void> {
    if (loop.wakePending) {
      loop.wakePending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const controller = new AbortController();
      const done = () => {
        loop.wake = undefined;
        controller.abort();
        resolve();
      };
      loop.wake = done;
      void sleep(ms, AbortSignal.any([signal, controller.signal])).then(done);
    });
  }

  const running = new Map<number, Promise<void>>();

  return {
    /** Starts loops for enabled chains and keeps the set in step with the configuration. */
    async run(signal: AbortSignal): Promise<void> {
      while (!signal.aborted) {
        for (const chain of store.chains.list()) {
          if (chain.enabled && !running.has(chain.chainId)) {
            const loop = runChain(chain.chainId, signal)
              .catch((error: unknown) => logger.error({ chainId: chain.chainId, err: error }, 'scanner loop crashed'))
              .finally(() => running.delete(chain.chainId));
            running.set(chain.chainId, loop);
          }
        }
        await sleep(1_000, signal);
      }
      await Promise.allSettled([...running.values()]);
      for (const loop of loops.values()) loop.pool.close();
    },
    /** Ends a chain's wait so a change (rescan, resume) is picked up now. */
    wake(chainId: number): void {
      const loop = loops.get(chainId);
      if (loop) wakeLoop(loop);
    },
    pool(chainId: number): RpcPool | undefined {
      return loops.get(chainId)?.pool;
    },
    health(): ChainHealth[] {
      return store.chains.list().map((chain) => {
        const loop = loops.get(chain.chainId);
        const cursor = store.scanCursors.get(chain.chainId);
        const lastScanned = cursor?.blockNumber ?? null;
        const lagBlocks = loop?.head != null && lastScanned !== null ? Math.max(0, loop.head - lastScanned) : null;
        const state: ChainScanState = !chain.enabled ? 'disabled' : chain.paused ? 'paused' : (loop?.state ?? 'idle');
        const scannedTime = lastScanned !== null ? store.recentBlocks.get(chain.chainId, lastScanned)?.time : undefined;
        return {
          chainId: chain.chainId,
          name: chain.name,
          enabled: chain.enabled,
          state,
          head: loop?.head ?? null,
          lastScannedBlock: lastScanned,
          lagBlocks,
          // How old the newest scanned block is: what "behind" means to a merchant waiting at the counter.
          lagSeconds: scannedTime ? Math.max(0, Math.round((clock.now() - Date.parse(scannedTime)) / 1000)) : null,
          catchUpBlocksPerSecond: loop?.speed != null ? Math.round(loop.speed * 10) / 10 : null,
          etaSeconds: lagBlocks && loop?.speed ? Math.round(lagBlocks / loop.speed) : lagBlocks === 0 ? 0 : null,
          lastSuccessfulScanAt: loop?.lastScanAt != null ? isoTime(loop.lastScanAt) : null,
          lastHeadChangeAt: loop?.headAt != null ? isoTime(loop.headAt) : null,
          lastError: loop?.lastError ?? null,
          watchedAddresses: loop?.watched ?? 0,
          nativeDetection: chain.nativeDetection,
          nativeDetectionStatus: loop?.scanner.nativeDetection() ?? null,
          endpoints: loop?.pool.health() ?? [],
        };
      });
    },
  };
}
export type ScannerSupervisor = ReturnType<typeof createScannerSupervisor>;

/** Health as the store alone knows it, for a process that runs no scanner (the CLI). */
export function idleChainHealth(store: Store): ChainHealth[] {
  return store.chains.list().map((chain) => {
    const cursor = store.scanCursors.get(chain.chainId);
    return {
      chainId: chain.chainId,
      name: chain.name,
      enabled: chain.enabled,
      state: !chain.enabled ? 'disabled' : chain.paused ? 'paused' : 'idle',
      head: null,
      lastScannedBlock: cursor?.blockNumber ?? null,
      lagBlocks: null,
      lagSeconds: null,
      catchUpBlocksPerSecond: null,
      etaSeconds: null,
      lastSuccessfulScanAt: cursor?.updatedAt ?? null,
      lastHeadChangeAt: null,
      lastError: null,
      watchedAddresses: 0,
      nativeDetection: chain.nativeDetection,
      nativeDetectionStatus: null,
      endpoints: [],
    };
  });
}
