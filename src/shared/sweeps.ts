/**
 * The sweeper as the UI, the CLI and the config file see it: settings, plans, sweeps and the gas
 * account. Amounts cross as decimal strings (see amounts.ts); gas as plain numbers (a gas count
 * fits a double many times over; a fee in wei does not, so fees are decimal strings).
 */
import { z } from 'zod';

/** How ERC-20 deposits are swept. `auto`: EIP-7702 where the chain supports it, else top-up. */
export const SweepStrategies = ['auto', 'eip7702', 'topup'] as const;
export type SweepStrategy = (typeof SweepStrategies)[number];

/**
 * What one sweep does on chain: `native` (a plain transfer signed by the deposit key), `eip7702`
 * (one batch transaction from the gas account over delegated deposits), `topup` (the gas account
 * funds the deposit, the deposit sends the token), `deploy` (the gas account deploys the sweeper
 * contract the deposits delegate to).
 */
export const SweepKinds = ['native', 'eip7702', 'topup', 'deploy'] as const;
export type SweepKind = (typeof SweepKinds)[number];

/**
 * `pending`: signed, being broadcast until mined; `mined`: in a block, not yet at the chain's
 * confirmation depth; `final`: at depth, its invoices settled; `failed`: reverted or given up on
 * (an alert says why; its deposits are planned again); `dropped`: its nonce was used by a
 * transaction Till did not sign (its deposits are planned again).
 */
export const SweepStatuses = ['pending', 'mined', 'final', 'failed', 'dropped'] as const;
export type SweepStatus = (typeof SweepStatuses)[number];

/** Why a sweep was made. */
export const SweepTriggers = ['fee', 'age', 'minimum', 'operator', 'recover', 'setup'] as const;
export type SweepTrigger = (typeof SweepTriggers)[number];

const DURATION = /^(\d+)\s*(s|m|h|d)$/;
const DURATION_UNITS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** "24h", "30m", "7d", "90s" or a number of seconds. */
export const DurationSchema = z
  .union([z.number().int().min(0), z.string().trim().regex(DURATION, 'write a duration such as "24h", "30m", "7d" or "90s"')])
  .transform((value) => {
    if (typeof value === 'number') return value;
    const [, count, unit] = DURATION.exec(value)!;
    return Number(count) * DURATION_UNITS[unit as keyof typeof DURATION_UNITS];
  })
  .pipe(z.number().max(365 * 86_400, 'at most a year'));

const PERCENT = /^(\d+(?:\.\d{1,2})?)\s*%$/;

/** A share such as "1%", "0.5%" or a fraction (0.01); held as basis points (1% = 100). */
export const FeeShareSchema = z
  .union([
    z.number().min(0).max(1, 'as a number, the share is a fraction from 0 to 1 (0.01 is 1 %); or write "1%"'),
    z.string().trim().regex(PERCENT, 'write a share such as "1%" or "0.5%" (at most two decimals)'),
  ])
  .transform((value) => {
    if (typeof value === 'number') return Math.round(value * 10_000);
    const [whole, fraction = ''] = PERCENT.exec(value)![1]!.split('.');
    return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  })
  .pipe(z.number().int().min(0).max(10_000, 'a fee share is at most 100%'));

/** Per-chain sweeping settings: the config file's `chains[].sweep` and the chain settings screen. */
export const SweepSettingsInputSchema = z.strictObject({
  strategy: z.enum(SweepStrategies, { error: 'strategy is one of auto, eip7702, topup' }).optional(),
  /** Sweep when the estimated cost is at most this share of the value swept. Default 1%. */
  maxFeeShare: FeeShareSchema.optional(),
  /** …or when the oldest unswept deposit is older than this. Default 24h. */
  maxAge: DurationSchema.optional(),
  /** Deposits per EIP-7702 batch transaction. Default 20. */
  batchSize: z.number().int().min(1).max(100, 'a batch holds at most 100 deposits').optional(),
  paused: z.boolean().optional(),
  /**
   * Where Till cannot value a token in the native coin: sweep once this much of it waits (token
   * symbol, token address or "native" → decimal amount).
   */
  minAmounts: z
    .record(z.string().min(1).max(64), z.string().regex(/^\d+(?:\.\d+)?$/, 'a minimum amount is a decimal such as "25"'))
    .optional(),
  /** A transaction not mined after this long is replaced with higher fees. Default: 3 block times, at least 30 s. */
  stuckAfter: DurationSchema.optional(),
  /** Fee bumps stop at this multiple of the first estimate; then an alert asks the merchant. Default 5. */
  feeCeiling: z.number().min(1).max(100).optional(),
});
export type SweepSettingsInput = z.input<typeof SweepSettingsInputSchema>;

export interface SweepSettings {
  chainId: number;
  strategy: SweepStrategy;
  maxFeeShareBps: number;
  maxAgeSeconds: number;
  batchSize: number;
  paused: boolean;
  /** Token address (lower case) or "native" → decimal amount. */
  minAmounts: Record<string, string>;
  /** null: the default (3 block times, at least 30 s). */
  stuckAfterSeconds: number | null;
  feeCeiling: number;
}

export const SWEEP_DEFAULTS = {
  strategy: 'auto',
  maxFeeShareBps: 100,
  maxAgeSeconds: 86_400,
  batchSize: 20,
  paused: false,
  feeCeiling: 5,
} as const;

/** What stops a chain from sweeping, if anything. */
export const ChainSweepStates = [
  'active',
  'paused',
  'vault_locked',
  'no_treasury',
  'no_gas',
  'failing',
  'idle',
  'disabled',
] as const;
export type ChainSweepState = (typeof ChainSweepStates)[number];

export interface GasAccountView {
  address: string;
  /** Decimal native coin; null when it could not be read. */
  balance: string | null;
  symbol: string;
  /** EIP-681 URI to fund it (the QR code's content). */
  fundUri: string;
  /** How many sweeps the balance pays for at today's fees (null when fees are unknown). */
  sweepsAffordable: number | null;
}

export interface ReadyToken {
  token: string | null;
  symbol: string;
  decimals: number;
  deposits: number;
  amount: string;
}

export interface ChainSweepStatus {
  chainId: number;
  name: string;
  nativeSymbol: string;
  state: ChainSweepState;
  /** What the merchant should know about the state, and what to do. */
  stateMessage: string | null;
  strategy: {
    configured: SweepStrategy;
    /** What ERC-20 deposits are swept with now. */
    effective: 'eip7702' | 'topup';
    /** Detected on the chain, not assumed; null before the first check. */
    eip7702Supported: boolean | null;
    checkedAt: string | null;
  };
  sweeperContract: { address: string; status: 'deploying' | 'ready' | 'failed' } | null;
  gasAccount: GasAccountView | null;
  ready: ReadyToken[];
  inFlight: number;
  settings: SweepSettings;
  /** Block explorer of the chain (from the presets), for transaction links. */
  explorerUrl: string | null;
}

export interface SweepsOverview {
  treasury: string | null;
  gasAccountAddress: string | null;
  chains: ChainSweepStatus[];
}

export interface PlannedSweepItem {
  address: string;
  derivationIndex: number;
  invoiceId: string | null;
  /** Why this deposit is swept: its invoice, or funds that arrived without a counted payment. */
  reason: string;
  amount: string;
}

export interface PlannedSweep {
  chainId: number;
  kind: SweepKind;
  token: { address: string | null; symbol: string; decimals: number };
  items: PlannedSweepItem[];
  value: string;
  estimatedGas: number;
  /** Decimal native coin at the current base fee plus tip. */
  estimatedFee: string;
  /** Estimated fee as a share of the value, "0.42%"; null when the token cannot be valued in the native coin. */
  feeShare: string | null;
  /** What makes it go now; null while it waits (see waitingReason). */
  trigger: SweepTrigger | null;
  waitingReason: string | null;
}

export interface SweepPlan {
  chainId: number;
  generatedAt: string;
  fees: { baseFeeGwei: string | null; maxFeeGwei: string; priorityFeeGwei: string } | null;
  sweeps: PlannedSweep[];
  notes: string[];
}

export interface SweepView {
  id: string;
  chainId: number;
  kind: SweepKind;
  status: SweepStatus;
  trigger: SweepTrigger;
  token: { address: string | null; symbol: string; decimals: number } | null;
  deposits: number;
  value: string;
  /** What the sweep cost, from its receipts (decimal native coin); null until mined. */
  fee: string | null;
  gasUsed: number | null;
  txHash: string | null;
  explorerUrl: string | null;
  /** Signed versions of its transactions (1 when never replaced). */
  attempts: number;
  createdAt: string;
  minedAt: string | null;
  finalAt: string | null;
  error: string | null;
}

export interface SweepTxAttemptView {
  attempt: number;
  hash: string;
  maxFeeGwei: string;
  priorityFeeGwei: string;
  signedAt: string;
  firstSentAt: string | null;
  lastSentAt: string | null;
  sends: number;
  lastError: string | null;
}

export interface SweepTxView {
  role: 'deploy' | 'batch' | 'native' | 'topup' | 'transfer';
  from: string;
  nonce: number;
  status: 'pending' | 'mined' | 'final' | 'dropped';
  hash: string | null;
  blockNumber: number | null;
  gasUsed: number | null;
  fee: string | null;
  attempts: SweepTxAttemptView[];
}

export interface SweepDetail extends SweepView {
  items: (PlannedSweepItem & { swept: string | null; feeShare: string | null })[];
  txs: SweepTxView[];
}

export interface SweepPage {
  items: SweepView[];
  nextCursor: string | null;
}

export interface RecoveredDeposit {
  derivationIndex: number;
  address: string;
  nonce: number;
  delegated: boolean;
  balances: { token: string | null; symbol: string; amount: string }[];
}

export interface RecoveryScan {
  chainId: number;
  scanned: number;
  gap: number;
  found: RecoveredDeposit[];
  plan: SweepPlan;
}
