import type { Logger } from 'pino';
import { serializeTransaction } from 'viem';
import type { ChainSweepState, SweepTrigger } from '../../../shared/sweeps.ts';
import type { RpcPool } from '../chains/rpc/rpc-pool.ts';
import type { ChainCapabilities } from '../db/repositories/chain-capabilities-repo.ts';
import { NATIVE } from '../db/repositories/sweep-deposits-repo.ts';
import type { SweepTxRecord } from '../db/repositories/sweep-txs-repo.ts';
import type { Store } from '../db/store.ts';
import { isoTime, type Clock } from '../lib/clock.ts';
import { TillError } from '../lib/errors.ts';
import type { Signer } from '../wallet/signer.ts';
import { broadcastRaw, GasAccountShortError } from './broadcast.ts';
import { capabilitiesOrDetect } from './capabilities.ts';
import { refreshDepositBalances } from './deposit-balances.ts';
import { l1DataFee, quoteFees, type FeeQuote } from './fees.ts';
import { DEFAULT_GAS_MODEL, planSweeps, type PlannedBatch, type SweepPlanResult } from './planner.ts';
import {
  advanceTopup,
  fundReplacement,
  MAX_PENDING_GAS_TXS,
  signBatchSweep,
  signNativeSweep,
  signReplacement,
  signSweeperDeploy,
  signTopupSweep,
  type SigningContext,
} from './sign-sweeps.ts';
import { createSweepAlerts } from './sweep-alerts.ts';
import { createSweepChain, type SweepChain } from './sweep-chain.ts';
import { FINAL_WATCH_BLOCKS, trackSweeps, type TrackerMemory } from './track-sweeps.ts';

export interface ChainSweeperDeps {
  chainId: number;
  store: Store;
  clock: Clock;
  logger: Logger;
  /** The chain's RPC pool (the scanner's when it runs); undefined while the scanner is starting. */
  pool(): RpcPool | undefined;
  /** Keys for one signing step; throws a TillError (VAULT_LOCKED, …) when the vault cannot give them. */
  openSigner(): Promise<Signer>;
  /** Invoices or sweeps changed: push the outbox, wake the webhooks, tell the UI. */
  changed(): void;
}

/** What the merchant asked of one step: sweep now, bump or re-send given sweeps. */
export interface StepRequest {
  force?: SweepTrigger;
  /** Sweep ids to replace with higher fees now, past the ceiling if need be. */
  bump?: Set<string>;
  /** Sweep ids whose transactions go out again now. */
  rebroadcast?: Set<string>;
}

/** What the chain's sweeper knows now, for the Sweeps screen. */
export interface ChainSweeperStatus {
  state: ChainSweepState;
  message: string | null;
  head: number | null;
  quote: FeeQuote | null;
  gasBalance: bigint | null;
  capabilities: ChainCapabilities | null;
  lastPlan: SweepPlanResult | null;
  lastError: string | null;
}

/** Not-yet-accepted transactions are sent at once; accepted ones again after this long. */
const REBROADCAST_MS = 30_000;
const DEPOSIT_REFRESH_MS = 60_000;
const NO_GAS_LOOK_MS = 5_000;
/** Default wait before a transaction counts as stuck: three block times, at least this. */
const MIN_STUCK_MS = 30_000;
/** A sweep replaced this many times without being mined raises an alert (Till keeps bumping). */
const STUCK_ALERT_ATTEMPTS = 4;

const LOCKED_CODES = new Set(['VAULT_LOCKED', 'VAULT_UNAVAILABLE', 'VAULT_PASSPHRASE_WRONG']);

/**
 * One chain's sweeper: each step reads everything it acts on from the store and writes what it
 * did before the next step acts, so a step can stop anywhere (kill -9 included) and the next one
 * carries on. The order of a step: track what was sent; send what is due; read balances; then,
 * with keys from the vault only for as long as it takes, bump what is stuck, advance top-ups,
 * and sign new sweeps the policy (or the merchant) asks for.
 */
export function createChainSweeper(deps: ChainSweeperDeps) {
  const { chainId, store, clock, logger } = deps;
  const memory: TrackerMemory = { usedElsewhere: new Set() };
  /** Transactions a node refused for fees too low: replaced at the next signing step. */
  const underpriced = new Set<string>();
  let lastRefresh = 0;
  let lastLook = 0;
  let lastSweepableCount = -1;
  const touched = new Set<string>();
  const status: ChainSweeperStatus = {
    state: 'idle',
    message: null,
    head: null,
    quote: null,
    gasBalance: null,
    capabilities: store.chainCapabilities.get(chainId) ?? null,
    lastPlan: null,
    lastError: null,
  };
  const now = () => isoTime(clock.now());
  const alerts = createSweepAlerts(store, chainId, now);
  const setState = (state: ChainSweepState, message: string | null = null) => {
    status.state = state;
    status.message = message;
  };
  /** Set when a node refused a gas-account transaction for want of funds during this step. */
  let gasShort = false;

  function stuckAfterMs(): number {
    const configured = store.sweepSettings.get(chainId).stuckAfterSeconds;
    if (configured !== null) return configured * 1000;
    const blockTime = store.recentBlocks.medianBlockTimeMs(chainId);
    return Math.max(MIN_STUCK_MS, (blockTime ?? 0) * 3);
  }

  /** A top-up sweep whose top-up is mined and whose token transfer is not signed yet. */
  function topupWaiting(): boolean {
    return store.sweeps.open(chainId).some((sweep) => {
      if (sweep.kind !== 'topup') return false;
      const txs = store.sweepTxs.forSweep(sweep.id).filter((tx) => tx.status !== 'dropped');
      return !txs.some((tx) => tx.role === 'transfer') && txs.every((tx) => tx.status !== 'pending');
    });
  }

  function isStuck(tx: SweepTxRecord): boolean {
    const latest = store.sweepTxs.attempts(tx.id).at(-1)!;
    return latest.firstSentAt !== null && clock.now() - Date.parse(latest.firstSentAt) >= stuckAfterMs();
  }

  async function broadcastAttempt(
    chain: SweepChain,
    tx: SweepTxRecord,
    attempt: { attempt: number; raw: `0x${string}`; value: bigint; maxFeePerGas: bigint },
    signal: AbortSignal,
  ) {
    const outcome = await broadcastRaw(chain, attempt.raw, signal);
    if (outcome.kind === 'accepted') {
      store.sweepTxs.markSent(tx.id, attempt.attempt, now());
      return;
    }
    store.sweepTxs.markRefused(tx.id, attempt.attempt, outcome.message);
    if (outcome.kind === 'unreachable') return;
    logger.warn(
      { sweepId: tx.sweepId, nonce: tx.nonce, refusal: outcome.refusal, message: outcome.message },
      'a node refused a sweep transaction',
    );
    switch (outcome.refusal) {
      case 'nonce_too_low':
        // Mined already (ours or another's): the tracker finds out which from the receipts.
        return;
      case 'fee_too_low':
      case 'replacement_underpriced':
        underpriced.add(tx.id);
        return;
      case 'insufficient_funds': {
        const gasAccount = store.wallet.get()?.gasAddress?.toLowerCase();
        const needed = BigInt(tx.gasLimit) * attempt.maxFeePerGas + attempt.value;
        const balance = await chain.balance(tx.from, await chain.head(signal), signal).catch(() => 0n);
        if (tx.from === gasAccount) {
          alerts.gasAccountEmpty(tx.from, needed, balance);
          gasShort = true;
        } else if (tx.role === 'transfer') underpriced.add(tx.id);
        return;
      }
      default:
        alerts.stuck(tx.sweepId, store.sweepTxs.attempts(tx.id).at(-1)!.hash, `the node refused it: ${outcome.message}`);
    }
  }

  /** Sends what was signed but never accepted (after a crash too), and re-sends what waits too long. */
  async function broadcastDue(chain: SweepChain, reorged: SweepTxRecord[], signal: AbortSignal, now: Set<string> = new Set()) {
    for (const tx of reorged) {
      // Only one version can be mined; the one that was is among these, and its bytes are valid again.
      for (const attempt of [...store.sweepTxs.attempts(tx.id)].reverse()) await broadcastAttempt(chain, tx, attempt, signal);
    }
    const reorgedIds = new Set(reorged.map((tx) => tx.id));
    for (const tx of store.sweepTxs.open(chainId)) {
      if (tx.status !== 'pending' || reorgedIds.has(tx.id)) continue;
      const latest = store.sweepTxs.attempts(tx.id).at(-1)!;
      const due =
        latest.sends === 0 ||
        now.has(tx.sweepId) ||
        clock.now() - Date.parse(latest.lastSentAt ?? latest.signedAt) >= REBROADCAST_MS;
      if (due) await broadcastAttempt(chain, tx, latest, signal);
    }
  }

  async function capabilities(chain: SweepChain, head: number, signal: AbortSignal): Promise<ChainCapabilities> {
    const before = store.chainCapabilities.get(chainId)?.eip7702;
    const caps = await capabilitiesOrDetect(store, chain, head, now(), signal);
    if (before !== caps.eip7702) logger.info({ chainId, eip7702: caps.eip7702 }, 'EIP-7702 support detected');
    return caps;
  }

  /** How ERC-20 deposits are swept now; null when the configured strategy cannot run here. */
  function erc20Strategy(caps: ChainCapabilities): 'eip7702' | 'topup' | null {
    const configured = store.sweepSettings.get(chainId).strategy;
    if (configured === 'topup') return 'topup';
    if (configured === 'eip7702') return caps.eip7702 === true ? 'eip7702' : null;
    return caps.eip7702 === true ? 'eip7702' : 'topup';
  }

  function plan(
    quote: FeeQuote,
    l1FeePerTx: bigint,
    force: SweepTrigger | undefined,
    strategy: 'eip7702' | 'topup',
  ): SweepPlanResult {
    const settings = store.sweepSettings.get(chainId);
    const open = store.sweepItems.openAddresses(chainId);
    const treasury = store.settings.get('treasury');
    const contract = treasury ? store.sweeperContracts.get(chainId, treasury) : undefined;
    const deposits = store.sweepDeposits
      .waiting(chainId)
      .filter((d) => !open.has(d.address) && (!d.held || force === 'recover'))
      .map((d) => ({
        address: d.address,
        derivationIndex: d.derivationIndex,
        token: d.token,
        amount: d.balance,
        since: Date.parse(d.since),
        invoiceId: d.invoiceId,
        reason: d.reason,
        // For the estimate only (the signer checks each address on chain): a deposit that signed
        // its first authorization for this sweeper delegates to it.
        delegated: contract ? store.sweepAuthorizations.get(chainId, d.address, contract.address, 0) !== undefined : false,
      }));
    return planSweeps({
      erc20Strategy: strategy,
      deposits,
      fees: { gasPrice: quote.expectedGasPrice, l1FeePerTx },
      settings,
      gas: DEFAULT_GAS_MODEL,
      now: clock.now(),
      force,
      valueInNative: () => null,
    });
  }

  /**
   * A "Sweep now" that had to deploy the sweeper contract first: applied again once the contract is
   * ready (in memory only: after a restart the policy, or the merchant pressing again, sweeps them).
   */
  let deferredForce: SweepTrigger | undefined;

  async function signingWork(
    ctx: SigningContext,
    ready: PlannedBatch[],
    force: SweepTrigger | undefined,
    bump: Set<string>,
    created: string[],
  ): Promise<void> {
    const settings = store.sweepSettings.get(chainId);
    const ceilingOf = (tx: SweepTxRecord) => (tx.firstMaxFee * BigInt(Math.round(settings.feeCeiling * 100))) / 100n;
    // 1. Replace what is stuck (same nonce, higher fees).
    for (const tx of store.sweepTxs.open(chainId)) {
      if (tx.status !== 'pending') continue;
      const latest = store.sweepTxs.attempts(tx.id).at(-1)!;
      const asked = bump.has(tx.sweepId);
      if (!asked && !underpriced.has(tx.id) && !isStuck(tx)) continue;
      const sweepTxs = store.sweepTxs.forSweep(tx.sweepId);
      if (tx.role === 'transfer') {
        if (sweepTxs.some((other) => other.role === 'topup' && other.status === 'pending')) continue;
        if (!(await fundReplacement(ctx, tx))) continue;
      }
      const replaced = await signReplacement(ctx, tx, { ignoreCeiling: asked, ceiling: ceilingOf(tx) });
      if (asked)
        store.operatorLog.record(
          { actor: 'sweeper', action: 'sweep.bump', target: tx.sweepId, details: { nonce: tx.nonce } },
          now(),
        );
      underpriced.delete(tx.id);
      if (replaced === 'ceiling') {
        if (!tx.ceilingAlerted) {
          alerts.feeCeiling(tx.sweepId, latest.hash, ceilingOf(tx));
          store.sweepTxs.markCeilingAlerted(tx.id, now());
        }
        continue;
      }
      if (replaced === null) {
        alerts.stuck(tx.sweepId, latest.hash, 'a higher fee would take the whole balance it moves');
        continue;
      }
      logger.info(
        { sweepId: tx.sweepId, nonce: tx.nonce, attempt: replaced.attempt, maxFeePerGas: replaced.maxFeePerGas.toString() },
        'replaced a stuck sweep transaction',
      );
      const attempt = store.sweepTxs.attempts(tx.id).at(-1)!;
      await broadcastAttempt(ctx.chain, tx, attempt, ctx.signal!);
      if (replaced.attempt >= STUCK_ALERT_ATTEMPTS)
        alerts.stuck(tx.sweepId, attempt.hash, `replaced ${replaced.attempt - 1} times with higher fees and still not mined`);
    }
    // 2. Top-up sweeps whose top-up is mined: sign the token transfer.
    for (const sweep of store.sweeps.open(chainId)) {
      if (sweep.kind !== 'topup') continue;
      const txs = store.sweepTxs.forSweep(sweep.id);
      if (txs.some((tx) => tx.role === 'transfer' && tx.status !== 'dropped') || txs.some((tx) => tx.status === 'pending'))
        continue;
      await advanceTopup(ctx, sweep.id);
    }
    // 3. New sweeps.
    if (ready.length === 0) return;
    const treasury = ctx.treasury;
    const needsContract = ready.some((batch) => batch.kind === 'eip7702');
    let contract = store.sweeperContracts.get(chainId, treasury);
    if (needsContract && (!contract || contract.status === 'failed')) {
      created.push(await signSweeperDeploy(ctx));
      contract = store.sweeperContracts.get(chainId, treasury);
    }
    // "Sweep now" of ERC-20 deposits waits for the contract: it goes on once that is deployed.
    if (force && needsContract && contract?.status !== 'ready') deferredForce = force;
    for (const batch of ready) {
      if (batch.kind !== 'native' && store.sweepTxs.pendingFrom(chainId, ctx.gasAddress).length >= MAX_PENDING_GAS_TXS) break;
      const trigger = force ?? batch.trigger!;
      let id: string | null = null;
      if (batch.kind === 'native') id = await signNativeSweep(ctx, batch, trigger);
      else if (batch.kind === 'topup') id = await signTopupSweep(ctx, batch, trigger);
      else if (contract?.status === 'ready') id = await signBatchSweep(ctx, batch, trigger, contract.address as `0x${string}`);
      if (id) created.push(id);
    }
  }

  type Observed =
    | { ok: false; notes: string[] }
    | {
        ok: true;
        quote: FeeQuote;
        strategy: 'eip7702' | 'topup';
        planned: SweepPlanResult;
        settings: ReturnType<Store['sweepSettings']['get']>;
        gasAddress: string | null;
        treasury: `0x${string}`;
        notes: string[];
      };

  /** Reads what a plan needs (capabilities, balances, fees, the gas account) and plans; signs nothing. */
  async function observe(chain: SweepChain, head: number, signal: AbortSignal, force?: SweepTrigger): Promise<Observed> {
    const caps = await capabilities(chain, head, signal);
    status.capabilities = caps;
    const sweepable = store.invoices.sweepable(chainId, now()).length;
    if (touched.size > 0 || sweepable !== lastSweepableCount || clock.now() - lastRefresh >= DEPOSIT_REFRESH_MS || force) {
      await refreshDepositBalances({ store, chain, clock, multicall3: caps.multicall3 === true, signal }, head, touched);
      touched.clear();
      lastSweepableCount = sweepable;
      lastRefresh = clock.now();
    }
    const quote = await quoteFees(chain, head, signal);
    status.quote = quote;
    const l1FeePerTx = caps.l1FeeOracle ? await l1DataFee(chain, true, sampleTransfer(chainId), signal).catch(() => 0n) : 0n;
    const gasAddress = store.wallet.get()?.gasAddress ?? null;
    if (gasAddress) status.gasBalance = await chain.balance(gasAddress, head, signal);
    const treasury = store.settings.get('treasury') as `0x${string}` | null;
    if (!treasury) {
      if (store.sweepDeposits.waiting(chainId).some((deposit) => !deposit.held)) alerts.treasuryMissing();
      setState('no_treasury', 'No treasury address is set: set it in Settings → Wallet.');
      return { ok: false, notes: ['No treasury address is set, so nothing can be swept. Set it in Settings → Wallet.'] };
    }
    const strategy = erc20Strategy(caps);
    if (strategy === null) {
      const message = 'This chain’s sweep strategy is set to EIP-7702, which the chain does not support: choose auto or topup.';
      setState('failing', message);
      return { ok: false, notes: [message] };
    }
    const settings = store.sweepSettings.get(chainId);
    const planned = plan(quote, l1FeePerTx, force, strategy);
    status.lastPlan = planned;
    const notes: string[] = [];
    if (settings.paused) notes.push('Sweeping is paused on this chain: only “Sweep now” sends anything.');
    if (strategy === 'topup' && planned.ready.concat(planned.waiting).some((b) => b.kind === 'topup'))
      notes.push(
        caps.eip7702 === true
          ? 'ERC-20 deposits are swept by top-up (chosen in this chain’s settings).'
          : 'ERC-20 deposits are swept by top-up: this chain does not take EIP-7702 transactions.',
      );
    const contract = store.sweeperContracts.get(chainId, treasury);
    if (planned.ready.concat(planned.waiting).some((b) => b.kind === 'eip7702') && contract?.status !== 'ready')
      notes.push(
        `The first ERC-20 sweep deploys Till’s sweeper contract for this treasury (about ${DEFAULT_GAS_MODEL.deploy.toLocaleString('en-US')} gas, once).`,
      );
    return { ok: true, quote, strategy, planned, settings, gasAddress, treasury, notes };
  }

  return {
    status,
    /** What would be swept now and what it would cost; signs and sends nothing. */
    async preview(
      signal: AbortSignal,
      force?: SweepTrigger,
    ): Promise<{ plan: SweepPlanResult | null; quote: FeeQuote | null; notes: string[] }> {
      const pool = deps.pool();
      if (!pool) return { plan: null, quote: status.quote, notes: ['The chain’s scanner is starting; try again in a moment.'] };
      const chain = createSweepChain(pool);
      const head = await chain.head(signal);
      const observed = await observe(chain, head, signal, force);
      return observed.ok
        ? { plan: observed.planned, quote: observed.quote, notes: observed.notes }
        : { plan: null, quote: status.quote, notes: observed.notes };
    },
    /**
     * One step. `force`: sweep everything that is not dust now ("Sweep now", a recovery).
     * Returns the ids of the sweeps it signed.
     */
    async step(signal: AbortSignal, request: StepRequest = {}): Promise<string[]> {
      let { force } = request;
      if (deferredForce !== undefined) {
        const treasury = store.settings.get('treasury');
        const contract = treasury ? store.sweeperContracts.get(chainId, treasury) : undefined;
        if (contract?.status === 'ready') force ??= deferredForce;
        if (contract?.status !== 'deploying') deferredForce = undefined;
      }
      const bump = request.bump ?? new Set<string>();
      gasShort = false;
      const chainRecord = store.chains.get(chainId);
      if (!chainRecord || !chainRecord.enabled) {
        setState('disabled', 'The chain is disabled.');
        return [];
      }
      // Nothing signed in flight and nothing new: no RPC at all until the next look is due (the
      // policy's rules are about minutes and hours, not seconds; an idle shop costs its provider nothing).
      // Final sweeps still within reach of a deep reorg are looked at too, until they are deep enough.
      const inFlight =
        store.sweepTxs.open(chainId).length > 0 ||
        (status.head !== null &&
          store.sweeps.recentFinal(chainId, status.head - chainRecord.confirmations - FINAL_WATCH_BLOCKS).length > 0);
      const asked = force !== undefined || bump.size > 0 || (request.rebroadcast?.size ?? 0) > 0;
      const sweepable = store.invoices.sweepable(chainId, now()).length;
      // Waiting for the merchant to fund the gas account: look often, so sweeps go on as soon as it is.
      const lookEvery = status.state === 'no_gas' ? NO_GAS_LOOK_MS : DEPOSIT_REFRESH_MS;
      const lookDue = asked || touched.size > 0 || sweepable !== lastSweepableCount || clock.now() - lastLook >= lookEvery;
      if (!inFlight && !lookDue) return [];
      const pool = deps.pool();
      if (!pool) {
        setState('idle', 'Waiting for the chain’s scanner to start.');
        return [];
      }
      const chain = createSweepChain(pool);
      const head = await chain.head(signal);
      status.head = head;
      const tracked = await trackSweeps(
        { store, chain, clock, logger, alerts, confirmations: chainRecord.confirmations, signal },
        memory,
        head,
      );
      for (const address of tracked.touched) touched.add(address);
      await broadcastDue(chain, tracked.reorged, signal, request.rebroadcast);
      if (tracked.changed) deps.changed();

      const stillInFlight = store.sweepTxs.open(chainId).filter((tx) => tx.status === 'pending');
      const needsKeys = stillInFlight.some((tx) => underpriced.has(tx.id) || bump.has(tx.sweepId) || isStuck(tx));
      // A sweep that just changed state (a deployment final, a batch mined) may unblock the next one.
      if (!lookDue && !tracked.changed && !needsKeys && !topupWaiting()) return [];
      lastLook = clock.now();
      const observed = await observe(chain, head, signal, force);
      if (!observed.ok) return [];
      const { quote, strategy, planned, settings, gasAddress, treasury } = observed;
      const ready = settings.paused && !force ? [] : planned.ready;
      const pendingTxs = store.sweepTxs.open(chainId).filter((tx) => tx.status === 'pending');
      const keyed =
        ready.length > 0 ||
        topupWaiting() ||
        pendingTxs.some((tx) => underpriced.has(tx.id) || bump.has(tx.sweepId) || isStuck(tx));
      const settle = () => {
        if (gasShort)
          setState('no_gas', 'The gas account cannot pay for the sweeps waiting to be sent: fund it (Sweeps screen).');
        else setState(settings.paused ? 'paused' : 'active', settings.paused ? 'Sweeping is paused for this chain.' : null);
        warnIfGasLow(strategy, settings.batchSize, quote, gasAddress);
      };
      if (!keyed) {
        settle();
        return [];
      }

      let signer: Signer;
      try {
        signer = await deps.openSigner();
      } catch (error) {
        if (error instanceof TillError && LOCKED_CODES.has(error.code)) {
          alerts.vaultLocked(error.message);
          setState('vault_locked', 'Unlock to sweep: the keystore is locked.');
          return [];
        }
        throw error;
      }
      const created: string[] = [];
      try {
        const derivedGas = signer.addressOf({ kind: 'gas' }).toLowerCase();
        if (!gasAddress) store.wallet.setGasAddress(derivedGas);
        else if (gasAddress.toLowerCase() !== derivedGas)
          throw new TillError(
            'VAULT_FILE_CORRUPT',
            'The keystore’s recovery words do not belong to this wallet (the gas account differs). Nothing was signed.',
          );
        const ctx: SigningContext = {
          store,
          chain,
          signer,
          clock,
          logger,
          treasury,
          gasAddress: derivedGas as `0x${string}`,
          quote,
          head,
          l1Oracle: status.capabilities?.l1FeeOracle === true,
          signal,
          unsweepable(item, reason) {
            store.sweepDeposits.setHeld(chainId, item.address, true, now());
            alerts.unsweepable(item.address, item.invoiceId, reason);
          },
        };
        await signingWork(ctx, ready, force, bump, created);
      } catch (error) {
        if (!(error instanceof GasAccountShortError)) throw error;
        alerts.gasAccountEmpty(derivedGasAddress(), error.needed, error.balance);
        gasShort = true;
      } finally {
        signer.close();
        if (created.length > 0) deps.changed();
      }
      // What was just signed goes out now (it is on disk already).
      await broadcastDue(chain, [], signal);
      settle();
      return created;

      function derivedGasAddress(): string {
        return store.wallet.get()?.gasAddress ?? '';
      }
    },
  };

  /** How many typical sweeps the gas account pays for at today's fees (null when unknown). */
  function warnIfGasLow(strategy: 'eip7702' | 'topup', batchSize: number, quote: FeeQuote, gasAddress: string | null) {
    const affordable = sweepsAffordable(strategy, batchSize, quote, status.gasBalance);
    const waitingTokens = store.sweepDeposits.waiting(chainId).some((d) => d.token !== NATIVE && !d.held);
    if (gasAddress && affordable !== null && affordable < LOW_GAS_SWEEPS && waitingTokens && status.gasBalance! > 0n)
      alerts.gasAccountLow(gasAddress, status.gasBalance!, affordable);
  }
}

/** Below this many sweeps' worth of gas, the gas account counts as low. */
const LOW_GAS_SWEEPS = 3;

/** The gas of what the gas account usually pays for: a full first-sweep batch, or one top-up sweep. */
export function sweepsAffordable(
  strategy: 'eip7702' | 'topup',
  batchSize: number,
  quote: FeeQuote | null,
  balance: bigint | null,
): number | null {
  if (!quote || balance === null) return null;
  const gas =
    strategy === 'eip7702' ? DEFAULT_GAS_MODEL.batchBase + batchSize * DEFAULT_GAS_MODEL.batchFirst : DEFAULT_GAS_MODEL.topup;
  const fee = BigInt(gas) * quote.expectedGasPrice;
  return fee === 0n ? null : Number(balance / fee);
}

/** A representative plain transfer, for the L1 data fee estimate of OP-stack chains. */
function sampleTransfer(chainId: number): `0x${string}` {
  return serializeTransaction({
    type: 'eip1559',
    chainId,
    nonce: 1,
    to: '0x0000000000000000000000000000000000000001',
    value: 10n ** 18n,
    gas: 21_000n,
    maxFeePerGas: 10n ** 9n,
    maxPriorityFeePerGas: 10n ** 8n,
  });
}
export type ChainSweeper = ReturnType<typeof createChainSweeper>;
