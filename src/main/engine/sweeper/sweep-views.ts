import { formatAmount } from '../../../shared/amounts.ts';
import { explorerTxUrl } from '../../../shared/chain-presets.ts';
import type { Chain } from '../../../shared/domain.ts';
import type { PlannedSweep, SweepDetail, SweepPlan, SweepView } from '../../../shared/sweeps.ts';
import { NATIVE, type SweepToken } from '../db/repositories/sweep-deposits-repo.ts';
import type { SweepRecord } from '../db/repositories/sweeps-repo.ts';
import type { Store } from '../db/store.ts';
import type { FeeQuote } from './fees.ts';
import { formatBps, type PlannedBatch } from './planner.ts';

export interface TokenInfo {
  address: string | null;
  symbol: string;
  decimals: number;
}

/** Symbol and decimals of a token on a chain ('native' is the chain's coin). */
export function tokenInfo(chain: Chain | undefined, token: SweepToken | null): TokenInfo {
  if (token === null || token === NATIVE)
    return { address: null, symbol: chain?.nativeSymbol ?? 'ETH', decimals: chain?.nativeDecimals ?? 18 };
  const known = chain?.tokens.find((t) => t.address.toLowerCase() === token.toLowerCase());
  return { address: known?.address ?? token, symbol: known?.symbol ?? `${token.slice(0, 6)}…`, decimals: known?.decimals ?? 18 };
}

const gwei = (wei: bigint) => formatAmount(wei, 9);

export function toSweepView(store: Store, sweep: SweepRecord): SweepView {
  const chain = store.chains.get(sweep.chainId);
  const native = chain?.nativeDecimals ?? 18;
  const token = sweep.kind === 'deploy' ? null : tokenInfo(chain, sweep.token ?? NATIVE);
  const txs = store.sweepTxs.forSweep(sweep.id);
  const latestHash =
    sweep.txHash ??
    txs
      .map((tx) => tx.minedHash ?? store.sweepTxs.attempts(tx.id).at(-1)?.hash ?? null)
      .filter(Boolean)
      .at(-1) ??
    null;
  return {
    id: sweep.id,
    chainId: sweep.chainId,
    kind: sweep.kind,
    status: sweep.status,
    trigger: sweep.trigger,
    token,
    deposits: store.sweepItems.forSweep(sweep.id).length,
    value: formatAmount(sweep.value, token?.decimals ?? native),
    fee: sweep.fee !== null ? formatAmount(sweep.fee, native) : minedFee(txs, native),
    gasUsed:
      sweep.gasUsed ?? (txs.some((tx) => tx.gasUsed !== null) ? txs.reduce((sum, tx) => sum + (tx.gasUsed ?? 0), 0) : null),
    txHash: latestHash,
    explorerUrl: latestHash ? explorerTxUrl(sweep.chainId, latestHash) : null,
    attempts: txs.reduce((sum, tx) => sum + store.sweepTxs.attempts(tx.id).length, 0),
    createdAt: sweep.createdAt,
    minedAt: sweep.minedAt,
    finalAt: sweep.finalAt,
    error: sweep.error,
  };
}

function minedFee(txs: ReturnType<Store['sweepTxs']['forSweep']>, decimals: number): string | null {
  const mined = txs.filter((tx) => tx.fee !== null);
  return mined.length === 0
    ? null
    : formatAmount(
        mined.reduce((sum, tx) => sum + tx.fee!, 0n),
        decimals,
      );
}

export function toSweepDetail(store: Store, sweep: SweepRecord): SweepDetail {
  const chain = store.chains.get(sweep.chainId);
  const native = chain?.nativeDecimals ?? 18;
  return {
    ...toSweepView(store, sweep),
    items: store.sweepItems.forSweep(sweep.id).map((item) => {
      const decimals = tokenInfo(chain, item.token).decimals;
      return {
        address: item.address,
        derivationIndex: item.derivationIndex,
        invoiceId: item.invoiceId,
        reason: item.reason,
        amount: formatAmount(item.amount, decimals),
        swept: item.swept === null ? null : formatAmount(item.swept, decimals),
        feeShare: item.feeShare === null ? null : formatAmount(item.feeShare, native),
      };
    }),
    txs: store.sweepTxs.forSweep(sweep.id).map((tx) => ({
      role: tx.role,
      from: tx.from,
      nonce: tx.nonce,
      status: tx.status,
      hash: tx.minedHash ?? store.sweepTxs.attempts(tx.id).at(-1)?.hash ?? null,
      blockNumber: tx.blockNumber,
      gasUsed: tx.gasUsed,
      fee: tx.fee === null ? null : formatAmount(tx.fee, native),
      attempts: store.sweepTxs.attempts(tx.id).map((attempt) => ({
        attempt: attempt.attempt,
        hash: attempt.hash,
        maxFeeGwei: gwei(attempt.maxFeePerGas),
        priorityFeeGwei: gwei(attempt.maxPriorityFeePerGas),
        signedAt: attempt.signedAt,
        firstSentAt: attempt.firstSentAt,
        lastSentAt: attempt.lastSentAt,
        sends: attempt.sends,
        lastError: attempt.lastError,
      })),
    })),
  };
}

export function toPlannedSweep(chain: Chain | undefined, chainId: number, batch: PlannedBatch): PlannedSweep {
  const token = tokenInfo(chain, batch.token);
  return {
    chainId,
    kind: batch.kind,
    token,
    items: batch.items.map((item) => ({
      address: item.address,
      derivationIndex: item.derivationIndex,
      invoiceId: item.invoiceId,
      reason: item.reason,
      amount: formatAmount(item.amount, token.decimals),
    })),
    value: formatAmount(batch.value, token.decimals),
    estimatedGas: batch.estimatedGas,
    estimatedFee: formatAmount(batch.estimatedFee, chain?.nativeDecimals ?? 18),
    feeShare: batch.feeShareBps === null ? null : formatBps(batch.feeShareBps),
    trigger: batch.trigger,
    waitingReason: batch.waitingReason,
  };
}

export function toSweepPlan(
  chain: Chain | undefined,
  chainId: number,
  generatedAt: string,
  quote: FeeQuote | null,
  batches: PlannedBatch[],
  notes: string[],
): SweepPlan {
  return {
    chainId,
    generatedAt,
    fees: quote && {
      baseFeeGwei: quote.baseFee === null ? null : gwei(quote.baseFee),
      maxFeeGwei: gwei(quote.maxFeePerGas),
      priorityFeeGwei: gwei(quote.maxPriorityFeePerGas),
    },
    sweeps: batches.map((batch) => toPlannedSweep(chain, chainId, batch)),
    notes,
  };
}
