import type { Database } from 'better-sqlite3';

export type SweepTxRole = 'deploy' | 'batch' | 'native' | 'topup' | 'transfer';
export type SweepTxStatus = 'pending' | 'mined' | 'final' | 'dropped';

/** One (account, nonce) a sweep uses; its signed versions are the attempts. */
export interface SweepTxRecord {
  id: string;
  sweepId: string;
  chainId: number;
  role: SweepTxRole;
  from: string;
  nonce: number;
  gasLimit: number;
  status: SweepTxStatus;
  firstMaxFee: bigint;
  ceilingAlerted: boolean;
  minedHash: string | null;
  blockNumber: number | null;
  blockHash: string | null;
  gasUsed: number | null;
  effectiveGasPrice: bigint | null;
  l1Fee: bigint | null;
  fee: bigint | null;
  receiptStatus: 'success' | 'reverted' | null;
  createdAt: string;
  minedAt: string | null;
}

export interface SweepTxAttemptRecord {
  txId: string;
  attempt: number;
  hash: string;
  raw: `0x${string}`;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  value: bigint;
  signedAt: string;
  firstSentAt: string | null;
  lastSentAt: string | null;
  sends: number;
  lastError: string | null;
}

interface TxRow {
  id: string;
  sweep_id: string;
  chain_id: number;
  role: SweepTxRole;
  from_address: string;
  nonce: number;
  gas_limit: number;
  status: SweepTxStatus;
  first_max_fee: string;
  ceiling_alerted: number;
  mined_hash: string | null;
  block_number: number | null;
  block_hash: string | null;
  gas_used: number | null;
  effective_gas_price: string | null;
  l1_fee: string | null;
  fee: string | null;
  receipt_status: 'success' | 'reverted' | null;
  created_at: string;
  mined_at: string | null;
}

interface AttemptRow {
  tx_id: string;
  attempt: number;
  hash: string;
  raw: `0x${string}`;
  max_fee_per_gas: string;
  max_priority_fee_per_gas: string;
  value: string;
  signed_at: string;
  first_sent_at: string | null;
  last_sent_at: string | null;
  sends: number;
  last_error: string | null;
}

const big = (text: string | null): bigint | null => (text === null ? null : BigInt(text));

const toTx = (row: TxRow): SweepTxRecord => ({
  id: row.id,
  sweepId: row.sweep_id,
  chainId: row.chain_id,
  role: row.role,
  from: row.from_address,
  nonce: row.nonce,
  gasLimit: row.gas_limit,
  status: row.status,
  firstMaxFee: BigInt(row.first_max_fee),
  ceilingAlerted: row.ceiling_alerted === 1,
  minedHash: row.mined_hash,
  blockNumber: row.block_number,
  blockHash: row.block_hash,
  gasUsed: row.gas_used,
  effectiveGasPrice: big(row.effective_gas_price),
  l1Fee: big(row.l1_fee),
  fee: big(row.fee),
  receiptStatus: row.receipt_status,
  createdAt: row.created_at,
  minedAt: row.mined_at,
});

const toAttempt = (row: AttemptRow): SweepTxAttemptRecord => ({
  txId: row.tx_id,
  attempt: row.attempt,
  hash: row.hash,
  raw: row.raw,
  maxFeePerGas: BigInt(row.max_fee_per_gas),
  maxPriorityFeePerGas: BigInt(row.max_priority_fee_per_gas),
  value: BigInt(row.value),
  signedAt: row.signed_at,
  firstSentAt: row.first_sent_at,
  lastSentAt: row.last_sent_at,
  sends: row.sends,
  lastError: row.last_error,
});

export interface MinedFacts {
  hash: string;
  blockNumber: number;
  blockHash: string;
  gasUsed: number;
  effectiveGasPrice: bigint;
  l1Fee: bigint;
  receiptStatus: 'success' | 'reverted';
}

/** Sweep transactions and their signed attempts (raw bytes stored before any broadcast). */
export function createSweepTxsRepo(db: Database) {
  const insertTx = db.prepare(`
    INSERT INTO sweep_txs (id, sweep_id, chain_id, role, from_address, nonce, gas_limit, status, first_max_fee, created_at, updated_at)
    VALUES (@id, @sweepId, @chainId, @role, @from, @nonce, @gasLimit, 'pending', @firstMaxFee, @now, @now)`);
  const insertAttempt = db.prepare(`
    INSERT INTO sweep_tx_attempts (tx_id, attempt, hash, raw, max_fee_per_gas, max_priority_fee_per_gas, value, signed_at)
    VALUES (@txId, @attempt, @hash, @raw, @maxFeePerGas, @maxPriorityFeePerGas, @value, @now)`);
  const byId = db.prepare<[string], TxRow>('SELECT * FROM sweep_txs WHERE id = ?');
  const forSweep = db.prepare<[string], TxRow>('SELECT * FROM sweep_txs WHERE sweep_id = ? ORDER BY created_at, nonce');
  const open = db.prepare<[number], TxRow>(
    "SELECT * FROM sweep_txs WHERE chain_id = ? AND status IN ('pending', 'mined') ORDER BY from_address, nonce",
  );
  const openFrom = db.prepare<[number, string], TxRow>(
    "SELECT * FROM sweep_txs WHERE chain_id = ? AND from_address = ? AND status = 'pending' ORDER BY nonce",
  );
  const attempts = db.prepare<[string], AttemptRow>('SELECT * FROM sweep_tx_attempts WHERE tx_id = ? ORDER BY attempt');
  const sent = db.prepare(`
    UPDATE sweep_tx_attempts SET sends = sends + 1, first_sent_at = COALESCE(first_sent_at, @at), last_sent_at = @at,
      last_error = @error WHERE tx_id = @txId AND attempt = @attempt`);
  const refused = db.prepare('UPDATE sweep_tx_attempts SET last_error = @error WHERE tx_id = @txId AND attempt = @attempt');
  const mined = db.prepare(`
    UPDATE sweep_txs SET status = 'mined', mined_hash = @hash, block_number = @blockNumber, block_hash = @blockHash,
      gas_used = @gasUsed, effective_gas_price = @effectiveGasPrice, l1_fee = @l1Fee, fee = @fee,
      receipt_status = @receiptStatus, mined_at = @now, updated_at = @now WHERE id = @id`);
  const unmined = db.prepare(`
    UPDATE sweep_txs SET status = 'pending', mined_hash = NULL, block_number = NULL, block_hash = NULL, gas_used = NULL,
      effective_gas_price = NULL, l1_fee = NULL, fee = NULL, receipt_status = NULL, mined_at = NULL, updated_at = ?
    WHERE id = ?`);
  const setStatus = db.prepare('UPDATE sweep_txs SET status = ?, updated_at = ? WHERE id = ?');
  const ceiling = db.prepare('UPDATE sweep_txs SET ceiling_alerted = 1, updated_at = ? WHERE id = ?');
  const ownHash = db.prepare<[string], { n: number }>('SELECT 1 AS n FROM sweep_tx_attempts WHERE hash = ?');
  return {
    /** Whether `hash` (lower case) is a transaction Till signed for a sweep (any attempt). */
    isOwn(hash: string): boolean {
      return ownHash.get(hash) !== undefined;
    },
    insert(
      tx: Omit<
        SweepTxRecord,
        | 'status'
        | 'ceilingAlerted'
        | 'minedHash'
        | 'blockNumber'
        | 'blockHash'
        | 'gasUsed'
        | 'effectiveGasPrice'
        | 'l1Fee'
        | 'fee'
        | 'receiptStatus'
        | 'createdAt'
        | 'minedAt'
      >,
      now: string,
    ): void {
      insertTx.run({ ...tx, from: tx.from.toLowerCase(), firstMaxFee: tx.firstMaxFee.toString(), now });
    },
    /** A signed version: always written (and committed) before it is broadcast. */
    insertAttempt(
      attempt: Pick<
        SweepTxAttemptRecord,
        'txId' | 'attempt' | 'hash' | 'raw' | 'maxFeePerGas' | 'maxPriorityFeePerGas' | 'value'
      >,
      now: string,
    ): void {
      insertAttempt.run({
        ...attempt,
        hash: attempt.hash.toLowerCase(),
        maxFeePerGas: attempt.maxFeePerGas.toString(),
        maxPriorityFeePerGas: attempt.maxPriorityFeePerGas.toString(),
        value: attempt.value.toString(),
        now,
      });
    },
    get(id: string): SweepTxRecord | undefined {
      const row = byId.get(id);
      return row && toTx(row);
    },
    forSweep(sweepId: string): SweepTxRecord[] {
      return forSweep.all(sweepId).map(toTx);
    },
    open(chainId: number): SweepTxRecord[] {
      return open.all(chainId).map(toTx);
    },
    /** Not-yet-mined transactions of one account, lowest nonce first. */
    pendingFrom(chainId: number, from: string): SweepTxRecord[] {
      return openFrom.all(chainId, from.toLowerCase()).map(toTx);
    },
    attempts(txId: string): SweepTxAttemptRecord[] {
      return attempts.all(txId).map(toAttempt);
    },
    /** Written after each broadcast round that at least one endpoint accepted. */
    markSent(txId: string, attempt: number, at: string, error: string | null = null): void {
      sent.run({ txId, attempt, at, error });
    },
    /** Written after a broadcast round that no endpoint accepted. */
    markRefused(txId: string, attempt: number, error: string): void {
      refused.run({ txId, attempt, error });
    },
    markMined(id: string, facts: MinedFacts, now: string): void {
      const fee = BigInt(facts.gasUsed) * facts.effectiveGasPrice + facts.l1Fee;
      mined.run({
        id,
        ...facts,
        hash: facts.hash.toLowerCase(),
        blockHash: facts.blockHash.toLowerCase(),
        effectiveGasPrice: facts.effectiveGasPrice.toString(),
        l1Fee: facts.l1Fee.toString(),
        fee: fee.toString(),
        now,
      });
    },
    /** Its block left the canonical chain: it is pending again (and will be broadcast again). */
    markUnmined(id: string, now: string): void {
      unmined.run(now, id);
    },
    setStatus(id: string, status: SweepTxStatus, now: string): void {
      setStatus.run(status, now, id);
    },
    markCeilingAlerted(id: string, now: string): void {
      ceiling.run(now, id);
    },
  };
}
export type SweepTxsRepo = ReturnType<typeof createSweepTxsRepo>;
