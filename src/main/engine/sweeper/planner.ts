import type { SweepTrigger } from '../../../shared/sweeps.ts';
import { NATIVE, type SweepToken } from '../db/repositories/sweep-deposits-repo.ts';
import type { StoredSweepSettings } from '../db/repositories/sweep-settings-repo.ts';

/** A balance the planner may sweep. */
export interface PlannerDeposit {
  address: string;
  derivationIndex: number;
  token: SweepToken;
  amount: bigint;
  /** Since when it has waited (ms): the age rule. */
  since: number;
  invoiceId: string | null;
  reason: string;
  /** EIP-7702: the address already delegates to the current sweeper, so it needs no authorization. */
  delegated: boolean;
}

/**
 * Gas per sweep as the planner estimates it before anything is signed (the signer asks the chain
 * with eth_estimateGas for the limit it uses, and the fee shown afterwards comes from receipts).
 * Figures measured on anvil (docs/BENCHMARKS.md, bench:sweep), rounded up to the costlier case:
 * `topup` assumes a treasury that holds none of the token yet (a fresh storage slot).
 */
export interface GasModel {
  /** A native coin transfer from a deposit. */
  native: number;
  /** The gas account's top-up transaction plus the deposit's token transfer. */
  topup: number;
  /** An EIP-7702 batch transaction, before its deposits. */
  batchBase: number;
  /** Per deposit in a batch: with its authorization (first sweep), and already delegated. */
  batchFirst: number;
  batchLater: number;
  /** Deploying the sweeper contract (once per chain and treasury). */
  deploy: number;
}

export const DEFAULT_GAS_MODEL: GasModel = {
  native: 21_000,
  topup: 72_000,
  batchBase: 26_000,
  batchFirst: 29_000,
  batchLater: 11_000,
  deploy: 310_000,
};

export interface PlannerInput {
  /** How ERC-20 deposits are swept on this chain now. */
  erc20Strategy: 'eip7702' | 'topup';
  deposits: PlannerDeposit[];
  /** Expected price of gas (base fee + tip) and an L1 data fee per transaction (OP-stack; 0 elsewhere). */
  fees: { gasPrice: bigint; l1FeePerTx: bigint };
  settings: Pick<StoredSweepSettings, 'maxFeeShareBps' | 'maxAgeSeconds' | 'batchSize' | 'minAmounts'>;
  gas: GasModel;
  now: number;
  /** Sweep everything that is not dust, whatever the policy says ("Sweep now", a recovery). */
  force?: SweepTrigger;
  /** The value of `amount` of `token` in the native coin's base units, where Till knows a price. */
  valueInNative(token: SweepToken, amount: bigint): bigint | null;
}

export interface PlannedBatch {
  kind: 'native' | 'eip7702' | 'topup';
  token: SweepToken;
  items: PlannerDeposit[];
  /** Sum of the items' amounts, in the token's base units. */
  value: bigint;
  estimatedGas: number;
  /** In native base units. */
  estimatedFee: bigint;
  valueInNative: bigint | null;
  /** Estimated fee over the value, in basis points; null when the token has no known price. */
  feeShareBps: number | null;
  /** What sends it now; null while it waits. */
  trigger: SweepTrigger | null;
  waitingReason: string | null;
}

export interface SweepPlanResult {
  ready: PlannedBatch[];
  waiting: PlannedBatch[];
}

/**
 * The planner: deposits, fees and the chain's policy in; sweeps out. Pure, so every rule is
 * tested without a chain, and its output is what the merchant sees before anything is sent.
 *
 * - Native coin: one transfer per deposit, of the balance less the fee (dust that cannot pay for
 *   its own transfer waits). An address with tokens in an EIP-7702 batch leaves its native coin
 *   to that batch (the delegate's sweep moves both).
 * - ERC-20 by EIP-7702: one batch per token of up to `batchSize` deposits, oldest first.
 * - ERC-20 by top-up: one sweep per deposit.
 * - A sweep goes when its estimated fee is at most `maxFeeShare` of its value (valued in the
 *   native coin), or where there is no price, when its amount reaches the token's minimum; or when
 *   its oldest deposit waited `maxAge`; or when forced. Never when it would cost more than it moves.
 *
 * @example planSweeps({ erc20Strategy: 'eip7702', deposits, fees, settings, gas: DEFAULT_GAS_MODEL, now, valueInNative })
 */
export function planSweeps(input: PlannerInput): SweepPlanResult {
  const { gas, fees } = input;
  const batches: PlannedBatch[] = [];
  const tokenAddresses = new Set(
    input.erc20Strategy === 'eip7702'
      ? input.deposits.filter((d) => d.token !== NATIVE && d.amount > 0n).map((d) => d.address)
      : [],
  );

  const natives = input.deposits.filter((d) => d.token === NATIVE && d.amount > 0n && !tokenAddresses.has(d.address));
  for (const deposit of natives) {
    const estimatedFee = BigInt(gas.native) * fees.gasPrice + fees.l1FeePerTx;
    batches.push(batch(input, 'native', NATIVE, [deposit], gas.native, estimatedFee));
  }

  const byToken = new Map<SweepToken, PlannerDeposit[]>();
  for (const deposit of input.deposits) {
    if (deposit.token === NATIVE || deposit.amount <= 0n) continue;
    const group = byToken.get(deposit.token);
    if (group) group.push(deposit);
    else byToken.set(deposit.token, [deposit]);
  }
  for (const [token, deposits] of byToken) {
    deposits.sort((a, b) => a.since - b.since || a.derivationIndex - b.derivationIndex);
    if (input.erc20Strategy === 'topup') {
      for (const deposit of deposits) {
        const estimatedFee = BigInt(gas.topup) * fees.gasPrice + 2n * fees.l1FeePerTx;
        batches.push(batch(input, 'topup', token, [deposit], gas.topup, estimatedFee));
      }
      continue;
    }
    const size = Math.max(1, input.settings.batchSize);
    for (let i = 0; i < deposits.length; i += size) {
      const items = deposits.slice(i, i + size);
      const estimatedGas = gas.batchBase + items.reduce((sum, d) => sum + (d.delegated ? gas.batchLater : gas.batchFirst), 0);
      batches.push(batch(input, 'eip7702', token, items, estimatedGas, BigInt(estimatedGas) * fees.gasPrice + fees.l1FeePerTx));
    }
  }

  return { ready: batches.filter((b) => b.trigger !== null), waiting: batches.filter((b) => b.trigger === null) };
}

function batch(
  input: PlannerInput,
  kind: PlannedBatch['kind'],
  token: SweepToken,
  items: PlannerDeposit[],
  estimatedGas: number,
  estimatedFee: bigint,
): PlannedBatch {
  const value = items.reduce((sum, item) => sum + item.amount, 0n);
  const valueInNative = token === NATIVE ? value : input.valueInNative(token, value);
  const feeShareBps = valueInNative === null ? null : shareBps(estimatedFee, valueInNative);
  const planned = { kind, token, items, value, estimatedGas, estimatedFee, valueInNative, feeShareBps };
  const decision = decide(input, planned);
  return { ...planned, ...decision };
}

function decide(
  input: PlannerInput,
  planned: Pick<PlannedBatch, 'token' | 'items' | 'value' | 'estimatedFee' | 'valueInNative' | 'feeShareBps'>,
): { trigger: SweepTrigger | null; waitingReason: string | null } {
  const { settings } = input;
  const wait = (reason: string) => ({ trigger: null, waitingReason: reason });
  if (planned.valueInNative !== null && planned.estimatedFee >= planned.valueInNative)
    return wait('Moving it would cost more than it is worth at today’s fees; it waits for cheaper gas or more funds.');
  if (input.force) return { trigger: input.force, waitingReason: null };
  if (planned.feeShareBps !== null && planned.feeShareBps <= settings.maxFeeShareBps)
    return { trigger: 'fee', waitingReason: null };
  const minimum = settings.minAmounts[planned.token];
  if (planned.valueInNative === null && minimum !== undefined && planned.value >= minimum)
    return { trigger: 'minimum', waitingReason: null };
  const oldest = Math.min(...planned.items.map((item) => item.since));
  const dueAt = oldest + settings.maxAgeSeconds * 1000;
  if (input.now >= dueAt) return { trigger: 'age', waitingReason: null };
  const hours = Math.max(1, Math.ceil((dueAt - input.now) / 3_600_000));
  const when = `it goes when its oldest deposit is ${formatAge(settings.maxAgeSeconds)} old (in about ${hours} h)`;
  if (planned.feeShareBps !== null)
    return wait(
      `The fee would be ${formatBps(planned.feeShareBps)} of the value (your limit is ${formatBps(settings.maxFeeShareBps)}); ${when}, or when fees drop.`,
    );
  return wait(
    minimum !== undefined
      ? `It waits until the amount reaches the minimum you set, or ${when.replace(/^it goes /, '')}.`
      : `Till has no price for this token in the native coin to compare the fee with; ${when}. Set a minimum amount to sweep sooner.`,
  );
}

/** Basis points, rounded up (a fee share is never shown smaller than it is). */
export function shareBps(part: bigint, whole: bigint): number {
  if (whole <= 0n) return 10_000;
  return Number((part * 10_000n + whole - 1n) / whole);
}

export const formatBps = (bps: number): string => `${(bps / 100).toFixed(2).replace(/\.?0+$/, '')}%`;

function formatAge(seconds: number): string {
  if (seconds % 86_400 === 0 && seconds >= 2 * 86_400) return `${seconds / 86_400} d`;
  if (seconds % 3600 === 0 && seconds > 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0 && seconds > 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
