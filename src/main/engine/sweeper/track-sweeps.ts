import type { Logger } from 'pino';
import { parseTransaction } from 'viem';
import { NATIVE } from '../db/repositories/sweep-deposits-repo.ts';
import type { MinedFacts, SweepTxRecord } from '../db/repositories/sweep-txs-repo.ts';
import type { SweepRecord } from '../db/repositories/sweeps-repo.ts';
import type { Store } from '../db/store.ts';
import { settleInvoice, unsettleInvoice } from '../invoices/invoice-state.ts';
import { isoTime, type Clock } from '../lib/clock.ts';
import { TRANSFER_TOPIC } from '../scanner/match-transfers.ts';
import type { SweepAlerts } from './sweep-alerts.ts';
import type { RpcReceipt, SweepChain } from './sweep-chain.ts';
import { expectedSweeperCode } from './sweeper-contract.ts';

export interface TrackDeps {
  store: Store;
  chain: SweepChain;
  clock: Clock;
  logger: Logger;
  alerts: SweepAlerts;
  confirmations: number;
  signal?: AbortSignal;
}

/** What the tracker keeps between looks (in memory: losing it only makes it look twice again). */
export interface TrackerMemory {
  /** Transactions whose nonce the chain had used, without a receipt of ours, at the last look. */
  usedElsewhere: Set<string>;
}

export interface TrackResult {
  changed: boolean;
  /** Transactions back to pending after a reorg: their mined bytes are sent again at once. */
  reorged: SweepTxRecord[];
  /** Deposit addresses whose balances moved: read again. */
  touched: Set<string>;
}

/**
 * A final sweep is compared with the chain again while its block is this many blocks past the
 * confirmation depth: a reorg deeper than the depth is rare, and undoes the settlement if it comes.
 */
export const FINAL_WATCH_BLOCKS = 64;

const topicAddress = (topic: string | undefined) => (topic ? `0x${topic.slice(-40)}`.toLowerCase() : '');

/** Transfer logs of a receipt: what each deposit sent, by (deposit, token). */
function transfersOut(receipt: RpcReceipt): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const log of receipt.logs) {
    if (log.topics.length !== 3 || log.topics[0]?.toLowerCase() !== TRANSFER_TOPIC || log.data.length < 3) continue;
    const key = `${topicAddress(log.topics[1])}:${log.address.toLowerCase()}`;
    out.set(key, (out.get(key) ?? 0n) + BigInt(log.data.slice(0, 66)));
  }
  return out;
}

/**
 * The tracker: what became of every signed transaction. No key is needed here, so it runs while
 * the vault is locked too. Each finding is written before the next step acts on it:
 * - a receipt of any signed version (in a canonical block) makes the transaction mined; the other
 *   versions can never be mined;
 * - a mined transaction whose block left the chain is pending again and its mined bytes go out again;
 * - at the chain's confirmation depth it is final; a sweep whose transactions are final settles
 *   its invoices in the same SQLite transaction, with `invoice.settled` in the outbox;
 * - a nonce the chain used twice in a row without any receipt of ours was used by a transaction
 *   Till did not sign: the sweep is dropped and its deposits planned again;
 * - recently final sweeps are compared with the chain again, and a reorg undoes their settlement.
 */
export async function trackSweeps(deps: TrackDeps, memory: TrackerMemory, head: number): Promise<TrackResult> {
  const { store, chain, clock, signal } = deps;
  const result: TrackResult = { changed: false, reorged: [], touched: new Set() };
  const now = () => isoTime(clock.now());

  for (const tx of store.sweepTxs.open(chain.chainId)) {
    if (tx.status === 'pending') {
      const mined = await findMined(deps, tx);
      if (mined) {
        await recordMined(deps, tx, mined.facts, mined.receipt, result);
        memory.usedElsewhere.delete(tx.id);
        continue;
      }
      const used = (await chain.nonce(tx.from, head, signal)) > tx.nonce;
      if (!used) {
        memory.usedElsewhere.delete(tx.id);
        continue;
      }
      // Seen once, it may be a receipt this endpoint does not have yet: look again next time.
      if (!memory.usedElsewhere.has(tx.id)) {
        memory.usedElsewhere.add(tx.id);
        continue;
      }
      memory.usedElsewhere.delete(tx.id);
      dropTx(deps, tx);
      result.changed = true;
      continue;
    }
    // Mined: still in the canonical chain, and deep enough yet?
    const canonical = await chain.blockHash(tx.blockNumber!, signal);
    if (canonical !== null && canonical !== tx.blockHash) {
      store.write(() => {
        store.sweepTxs.markUnmined(tx.id, now());
        store.sweeps.update(
          tx.sweepId,
          { status: 'pending', minedAt: null, txHash: null, blockNumber: null, blockHash: null },
          now(),
        );
      });
      deps.logger.warn(
        { sweepId: tx.sweepId, hash: tx.minedHash, block: tx.blockNumber },
        'sweep transaction reorged out; sending it again',
      );
      result.reorged.push(store.sweepTxs.get(tx.id)!);
      result.changed = true;
    } else if (canonical !== null && head - tx.blockNumber! + 1 >= deps.confirmations) {
      store.sweepTxs.setStatus(tx.id, 'final', now());
      result.changed = true;
    }
  }

  for (const sweep of store.sweeps.open(chain.chainId)) if (progress(deps, sweep, result)) result.changed = true;
  await recheckFinal(deps, head, result);
  return result;
}

async function findMined(deps: TrackDeps, tx: SweepTxRecord): Promise<{ facts: MinedFacts; receipt: RpcReceipt } | undefined> {
  const attempts = deps.store.sweepTxs.attempts(tx.id);
  for (const attempt of [...attempts].reverse()) {
    const receipt = await deps.chain.receipt(attempt.hash, deps.signal);
    if (!receipt?.blockNumber || !receipt.blockHash) continue;
    const blockNumber = Number(BigInt(receipt.blockNumber));
    // A receipt from a block another endpoint no longer has is not a mined transaction yet.
    if ((await deps.chain.blockHash(blockNumber, deps.signal)) !== receipt.blockHash.toLowerCase()) continue;
    return {
      receipt,
      facts: {
        hash: attempt.hash,
        blockNumber,
        blockHash: receipt.blockHash.toLowerCase(),
        gasUsed: Number(BigInt(receipt.gasUsed)),
        effectiveGasPrice: receipt.effectiveGasPrice ? BigInt(receipt.effectiveGasPrice) : attempt.maxFeePerGas,
        l1Fee: receipt.l1Fee ? BigInt(receipt.l1Fee) : 0n,
        receiptStatus: receipt.status === '0x1' ? 'success' : 'reverted',
      },
    };
  }
  return undefined;
}

async function recordMined(deps: TrackDeps, tx: SweepTxRecord, facts: MinedFacts, receipt: RpcReceipt, result: TrackResult) {
  const { store, clock } = deps;
  const now = isoTime(clock.now());
  const sweep = store.sweeps.get(tx.sweepId)!;
  let contractStatus: 'ready' | 'failed' | undefined;
  if (tx.role === 'deploy') {
    const contract = store.sweeperContracts.bySweep(sweep.id);
    if (contract && facts.receiptStatus === 'success') {
      const code = await deps.chain.code(contract.address, facts.blockNumber, deps.signal);
      contractStatus =
        code.toLowerCase() === expectedSweeperCode(contract.treasury as `0x${string}`).toLowerCase() ? 'ready' : 'failed';
      if (contractStatus === 'failed')
        deps.logger.error({ address: contract.address }, 'the deployed sweeper has unexpected code; not using it');
    } else contractStatus = 'failed';
  }
  const items = store.sweepItems.forSweep(sweep.id);
  const moves = tx.role === 'native' || tx.role === 'batch' || tx.role === 'transfer';
  store.write(() => {
    store.sweepTxs.markMined(tx.id, facts, now);
    if (contractStatus) store.sweeperContracts.setStatus(sweep.id, contractStatus, now);
    if (!moves) return;
    if (facts.receiptStatus === 'success') {
      const sent = transfersOut(receipt);
      const attempt = store.sweepTxs.attempts(tx.id).find((a) => a.hash === facts.hash)!;
      for (const item of items) {
        const swept = item.token === NATIVE ? attempt.value : (sent.get(`${item.address}:${item.token}`) ?? 0n);
        store.sweepItems.setResult(sweep.id, item.address, item.token, swept, null);
      }
    }
    store.sweeps.update(
      sweep.id,
      { status: 'mined', minedAt: now, txHash: facts.hash, blockNumber: facts.blockNumber, blockHash: facts.blockHash },
      now,
    );
  });
  if (moves && facts.receiptStatus === 'reverted')
    deps.alerts.reverted(sweep.id, facts.hash, await revertReason(deps, tx, facts));
  for (const item of items) result.touched.add(item.address);
  result.changed = true;
}

/** Replays a reverted transaction at its block to read why (best effort: some nodes cannot). */
async function revertReason(deps: TrackDeps, tx: SweepTxRecord, facts: MinedFacts): Promise<string> {
  try {
    const parsed = parseTransaction(deps.store.sweepTxs.attempts(tx.id).find((a) => a.hash === facts.hash)!.raw);
    await deps.chain.call(
      { from: tx.from, to: parsed.to ?? null, data: parsed.data, value: parsed.value },
      facts.blockNumber - 1,
      deps.signal,
    );
    return 'the transaction ran out of gas or reverted without a reason';
  } catch (error) {
    return error instanceof Error ? error.message.replace(/^eth_call: /, '') : String(error);
  }
}

function dropTx(deps: TrackDeps, tx: SweepTxRecord): void {
  const { store, clock } = deps;
  const now = isoTime(clock.now());
  const sweep = store.sweeps.get(tx.sweepId)!;
  store.write(() => {
    store.sweepTxs.setStatus(tx.id, 'dropped', now);
    // Every other pending transaction of the sweep goes with it; mined ones keep their record.
    for (const other of store.sweepTxs.forSweep(sweep.id))
      if (other.status === 'pending') store.sweepTxs.setStatus(other.id, 'dropped', now);
    store.sweeps.update(
      sweep.id,
      { status: 'dropped', error: `nonce ${tx.nonce} of ${tx.from} was used by a transaction Till did not sign` },
      now,
    );
    store.sweepItems.close(sweep.id);
    if (tx.role === 'deploy') store.sweeperContracts.setStatus(sweep.id, 'failed', now);
  });
  deps.alerts.nonceConflict(tx.from, tx.nonce, sweep.id);
}

/** Moves a sweep's status along with its transactions; finalizes it when they are all final. */
function progress(deps: TrackDeps, sweep: SweepRecord, result: TrackResult): boolean {
  const { store, clock } = deps;
  const now = isoTime(clock.now());
  const txs = store.sweepTxs.forSweep(sweep.id).filter((tx) => tx.status !== 'dropped');
  const moving = txs.filter((tx) => tx.role !== 'topup').at(-1);
  // A top-up sweep whose transfer is not signed yet waits for the signing step (advanceTopup).
  if (!moving) return false;
  const settled = txs.every((tx) => tx.status === 'final');
  if (settled) {
    finalize(deps, sweep, txs, moving);
    for (const item of store.sweepItems.forSweep(sweep.id)) result.touched.add(item.address);
    return true;
  }
  const status = moving.status === 'pending' ? 'pending' : 'mined';
  if (status === sweep.status) return false;
  store.sweeps.update(sweep.id, { status }, now);
  return true;
}

function finalize(deps: TrackDeps, sweep: SweepRecord, txs: SweepTxRecord[], moving: SweepTxRecord): void {
  const { store, clock } = deps;
  const now = isoTime(clock.now());
  const fee = txs.reduce((sum, tx) => sum + (tx.fee ?? 0n), 0n);
  const gasUsed = txs.reduce((sum, tx) => sum + (tx.gasUsed ?? 0), 0);
  const reverted =
    moving.receiptStatus === 'reverted' ||
    (sweep.kind === 'deploy' && store.sweeperContracts.bySweep(sweep.id)?.status === 'failed');
  store.write(() => {
    const items = store.sweepItems.forSweep(sweep.id);
    const moved = items.filter((item) => (item.swept ?? 0n) > 0n);
    // The fee split evenly over the deposits that moved; the remainder of the division to the first.
    const share = moved.length > 0 ? fee / BigInt(moved.length) : 0n;
    const remainder = fee - share * BigInt(moved.length);
    moved.forEach((item, index) =>
      store.sweepItems.setResult(sweep.id, item.address, item.token, item.swept, share + (index === 0 ? remainder : 0n)),
    );
    store.sweeps.update(
      sweep.id,
      {
        status: reverted ? 'failed' : 'final',
        fee,
        gasUsed,
        txHash: moving.minedHash,
        blockNumber: moving.blockNumber,
        blockHash: moving.blockHash,
        finalAt: now,
        ...(reverted ? { error: 'the transaction reverted on chain' } : {}),
      },
      now,
    );
    store.sweepItems.close(sweep.id);
    // A reverted sweep would likely revert again: its deposits wait for the merchant's retry.
    if (reverted) {
      for (const item of items) store.sweepDeposits.setHeld(sweep.chainId, item.address, true, now);
      return;
    }
    for (const item of moved) {
      if (!item.invoiceId) continue;
      const invoice = store.invoices.get(item.invoiceId);
      if (invoice && (invoice.tokenAddress?.toLowerCase() ?? NATIVE) === item.token) settleInvoice(store, invoice.id, now);
    }
  });
}

/** Final sweeps still within reach of a deep reorg: compared with the chain; undone if it moved. */
async function recheckFinal(deps: TrackDeps, head: number, result: TrackResult): Promise<void> {
  const { store, chain, clock } = deps;
  const from = head - deps.confirmations - FINAL_WATCH_BLOCKS;
  for (const sweep of store.sweeps.recentFinal(chain.chainId, from)) {
    const txs = store.sweepTxs.forSweep(sweep.id).filter((tx) => tx.status === 'final');
    const gone: SweepTxRecord[] = [];
    for (const tx of txs) {
      const canonical = await chain.blockHash(tx.blockNumber!, deps.signal);
      if (canonical !== null && canonical !== tx.blockHash) gone.push(tx);
    }
    if (gone.length === 0) continue;
    const now = isoTime(clock.now());
    store.write(() => {
      for (const tx of gone) store.sweepTxs.markUnmined(tx.id, now);
      store.sweeps.update(
        sweep.id,
        { status: 'pending', finalAt: null, minedAt: null, txHash: null, blockNumber: null, blockHash: null },
        now,
      );
      store.sweepItems.reopen(sweep.id);
      for (const item of store.sweepItems.forSweep(sweep.id)) {
        store.sweepItems.setResult(sweep.id, item.address, item.token, null, null);
        if (item.invoiceId) unsettleInvoice(store, item.invoiceId, now);
      }
    });
    deps.logger.warn(
      { sweepId: sweep.id },
      'a final sweep left the canonical chain (a reorg deeper than the confirmation depth); its invoices are confirmed again',
    );
    result.reorged.push(...gone.map((tx) => store.sweepTxs.get(tx.id)!));
    result.changed = true;
  }
}
