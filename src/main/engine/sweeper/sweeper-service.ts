import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { SweepTrigger } from '../../../shared/sweeps.ts';
import type { RpcPool } from '../chains/rpc/rpc-pool.ts';
import type { SweeperLease } from '../db/repositories/sweeper-lease-repo.ts';
import type { Store } from '../db/store.ts';
import { isoTime, type Clock } from '../lib/clock.ts';
import { TillError } from '../lib/errors.ts';
import { newId, randomChars } from '../lib/ids.ts';
import { sleep } from '../lib/shutdown.ts';
import { WALLET_SECRET, type KeyVault } from '../vault/key-vault.ts';
import { openSigner, type Signer } from '../wallet/signer.ts';
import { decodeWalletSecret } from '../wallet/wallet-secret.ts';
import { createChainSweeper, type ChainSweeper, type StepRequest } from './chain-sweeper.ts';
import type { SweepRequestAction } from '../db/repositories/sweep-requests-repo.ts';
import { processAlive } from '../lib/process-alive.ts';

export interface SweeperServiceDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  vault(): Promise<KeyVault>;
  /** The chain's RPC pool (the scanner's while it runs); undefined while the scanner is starting. */
  pool(chainId: number): RpcPool | undefined;
  /** Sweeps or invoices changed: publish the outbox, wake webhooks, tell the UI. */
  changed(): void;
}

/** How long a lease lasts without renewal; the holder renews it every third of that. */
const LEASE_MS = 30_000;
/** Steps of one chain are at least this far apart, however often it is woken. */
const MIN_STEP_MS = 1_000;
const MAX_IDLE_MS = 15_000;

/** What waits for a chain's next step, and who waits for its outcome. */
interface Pending {
  request: { force: SweepTrigger | undefined; bump: Set<string>; rebroadcast: Set<string> };
  waiters: ((result: { created: string[] } | { error: Error }) => void)[];
}

export interface StepOutcome {
  chainId: number;
  created: string[];
  error?: string;
}

/**
 * Runs one chain sweeper per enabled chain, while this process holds the data folder's sweeper
 * lease: however many Till processes share the folder (the app, till serve, the CLI), one signs
 * and broadcasts. The others leave "Sweep now" as a request in the store for the holder.
 */
export function createSweeperService(deps: SweeperServiceDeps) {
  const { store, clock, logger } = deps;
  const holder = `${hostname()}:${process.pid}:${randomChars(8)}`;
  const sweepers = new Map<number, ChainSweeper>();
  const wakes = new Map<number, () => void>();
  const pending = new Map<number, Pending>();
  const running = new Map<number, Promise<void>>();
  let leased = false;

  async function signerFromVault(): Promise<Signer> {
    const vault = await deps.vault();
    const stored = await vault.getSecret(WALLET_SECRET);
    if (stored === null) throw new TillError('WALLET_MISSING', 'The keystore holds no recovery words for this wallet.');
    return openSigner(decodeWalletSecret(stored));
  }

  function sweeperFor(chainId: number): ChainSweeper {
    let sweeper = sweepers.get(chainId);
    if (!sweeper) {
      sweeper = createChainSweeper({
        chainId,
        store,
        clock,
        logger: logger.child({ loop: 'sweeper', chainId }),
        pool: () => deps.pool(chainId),
        openSigner: signerFromVault,
        changed: deps.changed,
      });
      sweepers.set(chainId, sweeper);
    }
    return sweeper;
  }

  /**
   * Takes or renews the lease; false while another live process holds it. Wall-clock time, not the
   * injected clock: the lease is between processes, whatever a test does to the engine's clock.
   */
  function acquireLease(): boolean {
    const until = isoTime(Date.now() + LEASE_MS);
    return store.write(() => {
      const lease = store.sweeperLease.get();
      const free =
        !lease ||
        lease.holder === holder ||
        Date.parse(lease.until) < Date.now() ||
        (lease.host === hostname() && !processAlive(lease.pid));
      if (!free) return false;
      store.sweeperLease.set({ holder, pid: process.pid, host: hostname(), until });
      return true;
    });
  }

  function wake(chainId: number): void {
    wakes.get(chainId)?.();
  }

  async function waitOrWake(chainId: number, ms: number, signal: AbortSignal): Promise<void> {
    const controller = new AbortController();
    wakes.set(chainId, () => controller.abort());
    await sleep(ms, AbortSignal.any([signal, controller.signal]));
    wakes.delete(chainId);
  }

  async function runChain(chainId: number, signal: AbortSignal): Promise<void> {
    let backoff = 1_000;
    while (!signal.aborted) {
      const chain = store.chains.get(chainId);
      if (!chain || !chain.enabled) return;
      if (!leased) {
        await waitOrWake(chainId, 5_000, signal);
        continue;
      }
      const startedAt = Date.now();
      const asked = pending.get(chainId);
      pending.delete(chainId);
      const sweeper = sweeperFor(chainId);
      try {
        const created = await sweeper.step(signal, asked?.request);
        sweeper.status.lastError = null;
        backoff = 1_000;
        for (const waiter of asked?.waiters ?? []) waiter({ created });
      } catch (error) {
        if (signal.aborted) return;
        sweeper.status.lastError = error instanceof Error ? error.message : String(error);
        if (!['vault_locked', 'no_treasury', 'paused', 'disabled'].includes(sweeper.status.state))
          sweeper.status.state = 'failing';
        logger.warn({ chainId, err: error }, 'sweep step failed');
        for (const waiter of asked?.waiters ?? []) waiter({ error: error as Error });
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, 60_000);
        continue;
      }
      if (pending.has(chainId)) continue;
      const interval = Math.min(MAX_IDLE_MS, Math.max(MIN_STEP_MS, chain.pollIntervalMs));
      const elapsed = Date.now() - startedAt;
      await sleep(Math.max(0, MIN_STEP_MS - elapsed), signal);
      await waitOrWake(chainId, Math.max(0, interval - MIN_STEP_MS), signal);
    }
  }

  /** Queues a request for the chains' next steps and resolves with what they signed. */
  function ask(chainIds: number[], request: StepRequest): Promise<StepOutcome[]> {
    return Promise.all(
      chainIds.map(
        (chainId) =>
          new Promise<StepOutcome>((resolve) => {
            const entry: Pending = pending.get(chainId) ?? {
              request: { force: undefined, bump: new Set<string>(), rebroadcast: new Set<string>() },
              waiters: [],
            };
            entry.request.force ??= request.force;
            for (const id of request.bump ?? []) entry.request.bump.add(id);
            for (const id of request.rebroadcast ?? []) entry.request.rebroadcast.add(id);
            entry.waiters.push((result) =>
              resolve(
                'error' in result ? { chainId, created: [], error: result.error.message } : { chainId, created: result.created },
              ),
            );
            pending.set(chainId, entry);
            wake(chainId);
          }),
      ),
    );
  }

  const requestOf = (action: SweepRequestAction, sweepId: string | null, trigger: SweepTrigger): StepRequest =>
    action === 'sweep'
      ? { force: trigger }
      : action === 'bump'
        ? { bump: new Set([sweepId!]) }
        : { rebroadcast: new Set([sweepId!]) };

  /** Requests other processes left in the store (handled once, by the lease holder). */
  function handleRequests(): void {
    for (const request of store.sweepRequests.unhandled()) {
      store.sweepRequests.handled(request.id, isoTime(clock.now()), { started: true });
      const chains = request.chainId === null ? enabledChainIds() : [request.chainId];
      void ask(chains, requestOf(request.action, request.sweepId, 'operator')).then((results) =>
        store.sweepRequests.handled(request.id, isoTime(clock.now()), results),
      );
    }
  }

  const enabledChainIds = () =>
    store.chains
      .list()
      .filter((chain) => chain.enabled)
      .map((chain) => chain.chainId);

  return {
    holder,
    isRunning: () => leased,
    /** The lease holder of the data folder, when another process sweeps. */
    otherHolder(): SweeperLease | undefined {
      const lease = store.sweeperLease.get();
      if (!lease || lease.holder === holder || Date.parse(lease.until) < Date.now()) return undefined;
      if (lease.host === hostname() && !processAlive(lease.pid)) return undefined;
      return lease;
    },
    status(chainId: number) {
      return sweepers.get(chainId)?.status;
    },
    /** A plan for one chain from this process (it signs nothing, so no lease is needed). */
    preview(chainId: number, signal: AbortSignal, force?: SweepTrigger) {
      return sweeperFor(chainId).preview(signal, force);
    },
    wake,
    wakeAll(): void {
      for (const chainId of wakes.keys()) wake(chainId);
    },
    /**
     * In this process (which must hold the lease): "Sweep now" (everything that is not dust, on
     * one chain or all), a bump or a re-send of one sweep. Resolves once its step signed and sent.
     */
    act(
      action: SweepRequestAction,
      options: { chainId?: number; sweepId?: string; trigger?: SweepTrigger },
    ): Promise<StepOutcome[]> {
      if (!leased) throw new TillError('SWEEP_UNAVAILABLE', 'This Till process does not run the sweeper.');
      const chains = options.chainId === undefined ? enabledChainIds() : [options.chainId];
      return ask(chains, requestOf(action, options.sweepId ?? null, options.trigger ?? 'operator'));
    },
    /** Leaves a request in the store for the process that holds the lease. */
    request(action: SweepRequestAction, options: { chainId?: number; sweepId?: string; requestedBy: string }): string {
      const id = newId('srq');
      store.sweepRequests.insert({
        id,
        action,
        sweepId: options.sweepId ?? null,
        chainId: options.chainId ?? null,
        requestedBy: options.requestedBy,
        requestedAt: isoTime(clock.now()),
      });
      return id;
    },
    /**
     * One forced step per chain outside the loop (the CLI, when no other process sweeps): takes the
     * lease, steps, gives the lease back. Call `track` afterwards to follow what it signed.
     */
    async once(chainIds: number[], signal: AbortSignal, request: StepRequest = {}): Promise<StepOutcome[]> {
      if (!acquireLease())
        throw new TillError('SWEEP_UNAVAILABLE', 'Another Till process runs the sweeper for this data folder.');
      try {
        const out: StepOutcome[] = [];
        for (const chainId of chainIds) out.push({ chainId, created: await sweeperFor(chainId).step(signal, request) });
        return out;
      } finally {
        store.sweeperLease.release(holder);
      }
    },
    async run(signal: AbortSignal): Promise<void> {
      let lastLeaseAt = 0;
      while (!signal.aborted) {
        try {
          if (Date.now() - lastLeaseAt >= LEASE_MS / 3 || !leased) {
            const had = leased;
            leased = acquireLease();
            lastLeaseAt = Date.now();
            if (leased && !had) logger.info({ holder }, 'sweeper lease taken: this process sweeps');
            if (!leased && had) logger.warn('sweeper lease lost to another process');
          }
          if (leased) handleRequests();
          for (const chainId of enabledChainIds()) {
            if (running.has(chainId)) continue;
            const loop = runChain(chainId, signal)
              .catch((error: unknown) => logger.error({ chainId, err: error }, 'sweeper loop crashed'))
              .finally(() => running.delete(chainId));
            running.set(chainId, loop);
          }
        } catch (error) {
          logger.error({ err: error }, 'sweeper supervision failed');
        }
        await sleep(1_000, signal);
      }
      await Promise.allSettled([...running.values()]);
      if (leased) store.sweeperLease.release(holder);
    },
  };
}
export type SweeperService = ReturnType<typeof createSweeperService>;
