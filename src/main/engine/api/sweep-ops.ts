import { formatAmount } from '../../../shared/amounts.ts';
import { findChainPreset } from '../../../shared/chain-presets.ts';
import type { MethodName, SweepRunResult } from '../../../shared/contract.ts';
import type { Chain } from '../../../shared/domain.ts';
import type { ChainSweepStatus, ReadyToken, SweepDetail } from '../../../shared/sweeps.ts';
import type { EngineContext } from '../engine-context.ts';
import { paymentUri } from '../invoices/payment-uri.ts';
import { isoTime } from '../lib/clock.ts';
import { TillError } from '../lib/errors.ts';
import { sweepsAffordable } from '../sweeper/chain-sweeper.ts';
import { DEFAULT_RECOVERY_GAP, scanForDeposits } from '../sweeper/recover.ts';
import { quoteFees } from '../sweeper/fees.ts';
import { createSweepChain } from '../sweeper/sweep-chain.ts';
import { mergeSweepSettings, sweepSettingsView } from '../sweeper/sweep-settings.ts';
import { toSweepDetail, toSweepPlan, toSweepView, tokenInfo } from '../sweeper/sweep-views.ts';
import type { StepOutcome } from '../sweeper/sweeper-service.ts';
import type { Operations } from './operations.ts';

type SweepMethod = Extract<MethodName, `sweeps.${string}` | `recover.${string}` | 'wallet.unlock'>;

/** The Sweeps screen's and `till sweeps` / `till gas` / `till recover` operations. */
export function createSweepOperations(ctx: EngineContext): Pick<Operations, SweepMethod> {
  const { store, clock, sweeper } = ctx;
  const now = () => isoTime(clock.now());

  function requireChain(chainId: number): Chain {
    const chain = store.chains.get(chainId);
    if (!chain) throw new TillError('CHAIN_NOT_FOUND', `Chain ${chainId} is not configured.`);
    return chain;
  }

  function requireSweep(id: string) {
    const sweep = store.sweeps.get(id);
    if (!sweep) throw new TillError('SWEEP_NOT_FOUND', `No sweep with id ${id.slice(0, 64)}.`);
    return sweep;
  }

  const chainsFor = (chainId: number | undefined): Chain[] =>
    chainId === undefined ? store.chains.list().filter((chain) => chain.enabled) : [requireChain(chainId)];

  /** Runs a sweeper action here when this process sweeps, else leaves it for the one that does. */
  async function act(
    action: 'sweep' | 'bump' | 'retry',
    options: { chainId?: number; sweepId?: string; trigger?: 'operator' | 'recover' },
  ): Promise<SweepRunResult> {
    const results = (outcomes: StepOutcome[]): SweepRunResult => ({
      mode: 'sent',
      sweeps: outcomes.flatMap((o) => o.created).map((id) => toSweepView(store, store.sweeps.get(id)!)),
      requestId: null,
      problems: outcomes.flatMap((o) => {
        const status = sweeper.status(o.chainId);
        const message =
          o.error ??
          (status && ['vault_locked', 'no_gas', 'no_treasury', 'failing'].includes(status.state) ? status.message : null);
        return message ? [{ chainId: o.chainId, message }] : [];
      }),
    });
    if (sweeper.isRunning()) return results(await sweeper.act(action, options));
    if (sweeper.otherHolder()) {
      const requestId = sweeper.request(action, { ...options, requestedBy: ctx.actor });
      return { mode: 'queued', sweeps: [], requestId, problems: [] };
    }
    const chains = options.chainId === undefined ? chainsFor(undefined).map((c) => c.chainId) : [options.chainId];
    const request =
      action === 'sweep'
        ? { force: options.trigger ?? 'operator' }
        : action === 'bump'
          ? { bump: new Set([options.sweepId!]) }
          : { rebroadcast: new Set([options.sweepId!]) };
    return results(await sweeper.once(chains, ctx.signal, request));
  }

  function readyOf(chain: Chain): ReadyToken[] {
    const open = store.sweepItems.openAddresses(chain.chainId);
    const byToken = new Map<string, ReadyToken & { sum: bigint }>();
    for (const deposit of store.sweepDeposits.waiting(chain.chainId)) {
      if (deposit.held || open.has(deposit.address)) continue;
      const info = tokenInfo(chain, deposit.token);
      const entry = byToken.get(deposit.token) ?? {
        token: info.address,
        symbol: info.symbol,
        decimals: info.decimals,
        deposits: 0,
        amount: '0',
        sum: 0n,
      };
      entry.deposits++;
      entry.sum += deposit.balance;
      byToken.set(deposit.token, entry);
    }
    return [...byToken.values()].map(({ sum, ...entry }) => ({ ...entry, amount: formatAmount(sum, entry.decimals) }));
  }

  async function chainStatus(chain: Chain, gasAddress: string | null): Promise<ChainSweepStatus> {
    const status = sweeper.status(chain.chainId);
    const settings = store.sweepSettings.get(chain.chainId);
    const caps = status?.capabilities ?? store.chainCapabilities.get(chain.chainId) ?? null;
    const treasury = store.settings.get('treasury');
    const contract = treasury ? store.sweeperContracts.get(chain.chainId, treasury) : undefined;
    let gasBalance = status?.gasBalance ?? null;
    let quote = status?.quote ?? null;
    // Not swept from this process (the CLI, or before the first step): read what the screen needs.
    if ((gasBalance === null || quote === null) && gasAddress && chain.enabled) {
      const rpc = ctx.rpcFor(chain.chainId);
      try {
        const reader = createSweepChain(rpc.pool);
        const head = await reader.head(ctx.signal);
        gasBalance ??= await reader.balance(gasAddress, head, ctx.signal);
        quote ??= await quoteFees(reader, head, ctx.signal);
      } catch {
        // Unreachable chain: shown as unknown.
      } finally {
        rpc.close();
      }
    }
    const effective = settings.strategy === 'topup' || caps?.eip7702 !== true ? 'topup' : 'eip7702';
    const other = sweeper.isRunning() ? undefined : sweeper.otherHolder();
    const state = status?.state ?? (!chain.enabled ? 'disabled' : settings.paused ? 'paused' : 'idle');
    const message =
      status?.message ??
      (other
        ? `Sweeping runs in another Till process on this data folder (pid ${other.pid} on ${other.host}).`
        : sweeper.isRunning()
          ? null
          : 'Sweeping runs while the desktop app or till serve is running.');
    return {
      chainId: chain.chainId,
      name: chain.name,
      nativeSymbol: chain.nativeSymbol,
      state,
      stateMessage: message,
      strategy: {
        configured: settings.strategy,
        effective,
        eip7702Supported: caps?.eip7702 ?? null,
        checkedAt: caps?.checkedAt ?? null,
      },
      sweeperContract: contract ? { address: contract.address, status: contract.status } : null,
      gasAccount: gasAddress
        ? {
            address: gasAddress,
            balance: gasBalance === null ? null : formatAmount(gasBalance, chain.nativeDecimals),
            symbol: chain.nativeSymbol,
            fundUri: paymentUri({ chainId: chain.chainId, address: gasAddress, tokenAddress: null, amount: 0n }).replace(
              /\?value=0$/,
              '',
            ),
            sweepsAffordable: sweepsAffordable(effective, settings.batchSize, quote, gasBalance),
          }
        : null,
      ready: readyOf(chain),
      inFlight: store.sweeps.open(chain.chainId).length,
      settings: sweepSettingsView(store, settings),
      explorerUrl: findChainPreset(chain.chainId)?.explorerUrl ?? null,
    };
  }

  const detail = (id: string): SweepDetail => toSweepDetail(store, requireSweep(id));

  return {
    'sweeps.overview': async () => {
      const gasAddress = store.wallet.get()?.gasAddress ?? null;
      return {
        treasury: store.settings.get('treasury'),
        gasAccountAddress: gasAddress,
        chains: await Promise.all(store.chains.list().map((chain) => chainStatus(chain, gasAddress))),
      };
    },
    'sweeps.plan': async ({ chainId, all }) => {
      const plans = [];
      for (const chain of chainsFor(chainId)) {
        const preview = await sweeper.preview(chain.chainId, ctx.signal, all ? 'operator' : undefined);
        const batches = preview.plan ? [...preview.plan.ready, ...preview.plan.waiting] : [];
        plans.push(toSweepPlan(chain, chain.chainId, now(), preview.quote, batches, preview.notes));
      }
      return plans;
    },
    'sweeps.run': ({ chainId }) => {
      if (chainId !== undefined) requireChain(chainId);
      if (!store.settings.get('treasury'))
        throw new TillError('TREASURY_MISSING', 'Set the treasury address first (Settings → Wallet): swept funds go there.');
      store.operatorLog.record(
        { actor: ctx.actor, action: 'sweeps.run', target: chainId === undefined ? null : String(chainId), details: null },
        now(),
      );
      return act('sweep', { chainId });
    },
    'sweeps.list': ({ status, chainId, limit, cursor }) => {
      const beforeSeq = cursor ? Number(cursor) : undefined;
      if (cursor && !Number.isInteger(beforeSeq))
        throw new TillError('VALIDATION_FAILED', 'cursor must be a value from a previous page.');
      const size = limit ?? 50;
      const rows = store.sweeps.list({ status, chainId, beforeSeq, limit: size + 1 });
      return {
        items: rows.slice(0, size).map((row) => toSweepView(store, row)),
        nextCursor: rows.length > size ? String(rows[size - 1]!.seq) : null,
      };
    },
    'sweeps.get': ({ id }) => detail(id),
    'sweeps.bump': async ({ id }) => {
      const sweep = requireSweep(id);
      if (sweep.status !== 'pending')
        throw new TillError(
          'SWEEP_STATE_CONFLICT',
          `Sweep ${id} is ${sweep.status}: only a sweep waiting to be mined can be bumped.`,
        );
      store.operatorLog.record({ actor: ctx.actor, action: 'sweeps.bump', target: id, details: null }, now());
      await act('bump', { chainId: sweep.chainId, sweepId: id });
      return detail(id);
    },
    'sweeps.retry': async ({ id }) => {
      const sweep = requireSweep(id);
      if (sweep.status === 'mined' || sweep.status === 'final')
        throw new TillError('SWEEP_STATE_CONFLICT', `Sweep ${id} is ${sweep.status}: there is nothing to retry.`);
      store.operatorLog.record(
        { actor: ctx.actor, action: 'sweeps.retry', target: id, details: { status: sweep.status } },
        now(),
      );
      if (sweep.status === 'pending') {
        await act('retry', { chainId: sweep.chainId, sweepId: id });
        return detail(id);
      }
      // Failed or dropped: its deposits may be swept again, now.
      store.write(() => {
        for (const item of store.sweepItems.forSweep(id)) store.sweepDeposits.setHeld(sweep.chainId, item.address, false, now());
      });
      await act('sweep', { chainId: sweep.chainId });
      return detail(id);
    },
    'sweeps.pause': ({ chainId }) => setPaused(chainId, true),
    'sweeps.resume': ({ chainId }) => setPaused(chainId, false),
    'sweeps.saveSettings': ({ chainId, ...input }) => {
      const merged = mergeSweepSettings(store, chainId, input);
      store.write(() => {
        store.sweepSettings.save(merged, now());
        store.operatorLog.record(
          { actor: ctx.actor, action: 'sweeps.settings', target: String(chainId), details: { ...input } },
          now(),
        );
      });
      sweeper.wake(chainId);
      return sweepSettingsView(store, store.sweepSettings.get(chainId));
    },
    'wallet.unlock': async ({ passphrase }) => {
      await ctx.unlockVault(passphrase);
      sweeper.wakeAll();
      return { unlocked: true };
    },
    'recover.scan': async ({ chainId, gap }) => {
      const chain = requireChain(chainId);
      const rpc = ctx.rpcFor(chainId);
      try {
        const scan = await scanForDeposits(
          { store, chain: createSweepChain(rpc.pool), clock, signal: ctx.signal },
          gap ?? DEFAULT_RECOVERY_GAP,
        );
        store.operatorLog.record(
          {
            actor: ctx.actor,
            action: 'recover.scan',
            target: String(chainId),
            details: { found: scan.found.length, scanned: scan.scanned },
          },
          now(),
        );
        const preview = await sweeper.preview(chainId, ctx.signal, 'recover');
        const found = new Set(scan.found.map((deposit) => deposit.address));
        const batches = (preview.plan ? [...preview.plan.ready, ...preview.plan.waiting] : []).filter((batch) =>
          batch.items.some((item) => found.has(item.address)),
        );
        return {
          chainId,
          scanned: scan.scanned,
          gap: gap ?? DEFAULT_RECOVERY_GAP,
          found: scan.found,
          plan: toSweepPlan(chain, chainId, now(), preview.quote, batches, preview.notes),
        };
      } finally {
        rpc.close();
      }
    },
    'recover.sweep': async ({ chainId }) => {
      requireChain(chainId);
      if (!store.settings.get('treasury'))
        throw new TillError('TREASURY_MISSING', 'Set the treasury address first (Settings → Wallet): recovered funds go there.');
      store.write(() => {
        const released = store.sweepDeposits.releaseHeld(chainId, now());
        store.operatorLog.record(
          { actor: ctx.actor, action: 'recover.sweep', target: String(chainId), details: { deposits: released } },
          now(),
        );
      });
      return act('sweep', { chainId, trigger: 'recover' });
    },
  };

  function setPaused(chainId: number, paused: boolean) {
    requireChain(chainId);
    const merged = { ...store.sweepSettings.get(chainId), paused };
    store.write(() => {
      store.sweepSettings.save(merged, now());
      store.operatorLog.record(
        { actor: ctx.actor, action: paused ? 'sweeps.pause' : 'sweeps.resume', target: String(chainId), details: null },
        now(),
      );
    });
    sweeper.wake(chainId);
    return sweepSettingsView(store, merged);
  }
}
