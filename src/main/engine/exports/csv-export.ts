import BetterSqlite3 from 'better-sqlite3';
import { formatBaseUnits } from '../../../shared/amounts.ts';
import type { ExportKind } from '../../../shared/exports.ts';
import type { Database } from '../db/connection.ts';
import {
  INVOICE_TIME,
  inRange,
  PAYMENT_TIME,
  PAYMENT_TOKEN_COLUMNS,
  PAYMENTS_FROM,
  SWEEP_FEE,
  SWEEP_TIME,
  UNKNOWN_TOKEN,
} from './books-definitions.ts';
import { createChecksumCache } from '../lib/checksum-address.ts';

/** A period, inclusive of `from` and exclusive of `to` (ISO-8601 UTC); either end may be open. */
export interface ExportRange {
  from?: string;
  to?: string;
}

type Cell = string | number | null;

const NEEDS_QUOTES = /[",\r\n]/;

/** One field, RFC 4180: a field with a comma, a quote or a line break is quoted, quotes doubled. */
const field = (cell: Cell): string => {
  if (cell === null) return '';
  const text = typeof cell === 'number' ? `${cell}` : cell;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** RFC 4180: a field with a comma, a quote or a line break is quoted, quotes doubled; lines end in CRLF. */
export function csvLine(cells: readonly Cell[]): string {
  // Concatenated in a loop: map() and join() made two arrays per row for nothing.
  let line = cells.length === 0 ? '' : field(cells[0]!);
  for (let i = 1; i < cells.length; i++) line += `,${field(cells[i]!)}`;
  return `${line}\r\n`;
}

/** Addresses as the rest of Till shows them: EIP-55 checksummed, whatever case the store holds. */
type Checksum = (text: string | null) => string | null;

/**
 * How many addresses one export remembers the checksums of: enough for its tokens and for a deposit
 * address's payments, which come together. Kept small on purpose: each address remembered
 * survives a young-generation GC, and 4,096 of them (a payer per payment) made V8 double its young
 * generation (+30 MiB RSS) over a payments export of 200,000 rows.
 */
const CHECKSUMS_KEPT = 256;

const checksums = (): Checksum => {
  const checksum = createChecksumCache(CHECKSUMS_KEPT);
  return (text) => (text === null ? null : checksum(text));
};

/** Base units (a decimal string of digits in the store) as an exact decimal in token units. */
const units = (baseUnits: string | null, decimals: number | null): string | null =>
  baseUnits === null || decimals === null ? null : formatBaseUnits(baseUnits, decimals);

interface Export<Row> {
  header: string[];
  sql: string;
  cells(row: Row, address: Checksum): Cell[];
}

interface InvoiceRow {
  id: string;
  order_id: string | null;
  created_at: string;
  status: string;
  exception_status: string | null;
  chain_id: number;
  chain: string | null;
  token_symbol: string;
  token_address: string | null;
  token_decimals: number;
  amount: string;
  amount_received: string;
  price_amount: string | null;
  price_currency: string | null;
  rate_value: string | null;
  rate_source: string | null;
  address: string;
  expires_at: string;
  detected_at: string | null;
  confirmed_at: string | null;
  settled_at: string | null;
  sweep_tx: string | null;
}

interface PaymentRow {
  block_time: string;
  invoice_id: string;
  order_id: string | null;
  chain_id: number;
  chain: string | null;
  token_symbol: string | null;
  token_address: string | null;
  token_decimals: number | null;
  amount: string;
  from_address: string;
  to_address: string;
  tx_hash: string;
  log_index: number;
  block_number: number;
  scanned_to: number | null;
  status: string;
  counted: number;
}

interface SweepRow {
  swept_at: string;
  sweep_id: string;
  status: string;
  chain_id: number;
  chain: string | null;
  kind: string;
  token_symbol: string | null;
  token_address: string | null;
  token_decimals: number | null;
  address: string | null;
  invoice_id: string | null;
  reason: string | null;
  amount: string | null;
  fee_share: string | null;
  native_symbol: string | null;
  native_decimals: number | null;
  gas_used: number | null;
  fee: string | null;
  estimated_fee: string;
  tx_hash: string | null;
  block_number: number | null;
}

const invoices: Export<InvoiceRow> = {
  // price_* and rate_* are the shop-currency columns: empty for an invoice created by token amount.
  header: [
    'invoice_id',
    'order_id',
    'created_at',
    'status',
    'exception',
    'chain_id',
    'chain',
    'token',
    'token_address',
    'amount',
    'amount_received',
    'price_amount',
    'price_currency',
    'rate',
    'rate_source',
    'address',
    'expires_at',
    'detected_at',
    'confirmed_at',
    'settled_at',
    'sweep_tx_hash',
  ],
  sql: `SELECT i.id, i.order_id, i.created_at, i.status, i.exception_status, i.chain_id, c.name AS chain,
          i.token_symbol, i.token_address, i.token_decimals, i.amount, i.amount_received,
          i.price_amount, i.price_currency, i.rate_value, i.rate_source, i.address,
          i.expires_at, i.detected_at, i.confirmed_at, i.settled_at,
          (SELECT s.tx_hash FROM sweep_items it JOIN sweeps s ON s.id = it.sweep_id
            WHERE it.invoice_id = i.id AND s.status = 'final' ORDER BY s.seq DESC LIMIT 1) AS sweep_tx
        FROM invoices i LEFT JOIN chains c ON c.chain_id = i.chain_id
        WHERE ${inRange(INVOICE_TIME)} ORDER BY i.seq`,
  cells: (row, address) => [
    row.id,
    row.order_id,
    row.created_at,
    row.status,
    row.exception_status,
    row.chain_id,
    row.chain,
    row.token_symbol,
    address(row.token_address),
    units(row.amount, row.token_decimals),
    units(row.amount_received, row.token_decimals),
    row.price_amount,
    row.price_currency,
    row.rate_value,
    row.rate_source,
    // The deposit address, stored checksummed when it was derived.
    row.address,
    row.expires_at,
    row.detected_at,
    row.confirmed_at,
    row.settled_at,
    row.sweep_tx,
  ],
};

const payments: Export<PaymentRow> = {
  header: [
    'time',
    'invoice_id',
    'order_id',
    'chain_id',
    'chain',
    'token',
    'token_address',
    'amount',
    'payer',
    'to_address',
    'tx_hash',
    'log_index',
    'block_number',
    'confirmations',
    'status',
    'counted',
  ],
  sql: `SELECT p.block_time, p.invoice_id, i.order_id, p.chain_id, c.name AS chain, ${PAYMENT_TOKEN_COLUMNS},
          p.token_address, p.amount, p.from_address, i.address AS to_address, p.tx_hash,
          p.log_index, p.block_number, sc.block_number AS scanned_to, p.status, p.counted
        FROM ${PAYMENTS_FROM}
          LEFT JOIN scan_cursors sc ON sc.chain_id = p.chain_id
        WHERE ${inRange(PAYMENT_TIME)} ORDER BY p.block_time, p.id`,
  cells: (row, address) => [
    row.block_time,
    row.invoice_id,
    row.order_id,
    row.chain_id,
    row.chain,
    row.token_symbol ?? UNKNOWN_TOKEN,
    address(row.token_address),
    row.token_decimals === null ? row.amount : units(row.amount, row.token_decimals),
    // Both written by Till checksummed: the payer since migration 0110, the invoice's deposit
    // address when it was derived. Hashing 200,000 of them again was half an export's time.
    row.from_address,
    row.to_address,
    row.tx_hash,
    // -1 marks a native transfer in the store; it has no log (the API says null).
    row.log_index < 0 ? null : row.log_index,
    row.block_number,
    row.status === 'orphaned' || row.scanned_to === null ? 0 : Math.max(0, row.scanned_to - row.block_number + 1),
    row.status,
    row.counted === 1 ? 'yes' : 'no',
  ],
};

const sweeps: Export<SweepRow> = {
  header: [
    'swept_at',
    'sweep_id',
    'status',
    'chain_id',
    'chain',
    'strategy',
    'token',
    'token_address',
    'deposit_address',
    'invoice_id',
    'reason',
    'amount',
    'fee_native',
    'sweep_gas_used',
    'sweep_fee_native',
    'native_coin',
    'fee_shop_currency',
    'shop_currency',
    'tx_hash',
    'block_number',
  ],
  // One row per swept deposit; a sweep without deposits (the sweeper contract's deployment) is
  // one row of its own, so every fee paid is in the export. Failed and dropped sweeps are listed
  // with their status: a reverted one cost gas too.
  sql: `SELECT ${SWEEP_TIME} AS swept_at, s.id AS sweep_id, s.status,
          s.chain_id, c.name AS chain, s.kind,
          CASE WHEN it.token = 'native' THEN c.native_symbol ELSE t.symbol END AS token_symbol,
          CASE WHEN it.token = 'native' THEN NULL ELSE it.token END AS token_address,
          CASE WHEN it.token = 'native' THEN c.native_decimals ELSE t.decimals END AS token_decimals,
          it.address, it.invoice_id, it.reason, coalesce(it.swept, it.amount) AS amount, it.fee_share,
          c.native_symbol, c.native_decimals, s.gas_used, ${SWEEP_FEE} AS fee, s.estimated_fee, s.tx_hash, s.block_number
        FROM sweeps s LEFT JOIN sweep_items it ON it.sweep_id = s.id
          LEFT JOIN chains c ON c.chain_id = s.chain_id
          LEFT JOIN tokens t ON t.chain_id = s.chain_id AND lower(t.address) = lower(it.token)
        WHERE ${inRange(SWEEP_TIME)} ORDER BY s.seq, it.derivation_index`,
  cells: (row, address) => [
    row.swept_at,
    row.sweep_id,
    row.status,
    row.chain_id,
    row.chain,
    row.kind,
    row.token_symbol,
    address(row.token_address),
    address(row.address),
    row.invoice_id,
    row.reason,
    row.token_decimals === null ? row.amount : units(row.amount, row.token_decimals),
    units(row.address === null ? row.fee : row.fee_share, row.native_decimals),
    row.gas_used,
    units(row.fee, row.native_decimals),
    row.native_symbol,
    null,
    null,
    row.tx_hash,
    row.block_number,
  ],
};

const EXPORTS: Record<ExportKind, Export<never>> = {
  invoices: invoices as Export<never>,
  payments: payments as Export<never>,
  sweeps: sweeps as Export<never>,
};

/** The query behind an export, for its plan to be checked. */
export const exportQuery = (kind: ExportKind): string => EXPORTS[kind].sql;

/**
 * The export's lines, header first, read row by row from an open statement: memory stays flat
 * however many rows there are. Runs on a connection of its own (better-sqlite3 allows nothing
 * else on a connection while a statement iterates), whose read transaction is a snapshot.
 */
export function* exportLines(db: Database, kind: ExportKind, range: ExportRange): Generator<string> {
  const spec = EXPORTS[kind];
  yield csvLine(spec.header);
  const rows = db.prepare(spec.sql).iterate({ from: range.from ?? null, to: range.to ?? null }) as IterableIterator<never>;
  const address = checksums();
  for (const row of rows) yield csvLine(spec.cells(row, address));
}

/** A run of whole lines of an export, UTF-8 encoded, and how many there are. */
export interface ExportChunk {
  bytes: Buffer;
  lines: number;
}

/** The size of a run's buffer; a longer line gets one of its own size. */
const CHUNK_BYTES = 64 * 1024;
const NO_BYTES = Buffer.alloc(0);

/**
 * exportLines() in runs of at most `linesPerChunk` lines and 64 KiB (the header in the first):
 * one write, one stream chunk per run instead of per line. The first run goes out after a few
 * hundred rows, long before the query ends. Each line is encoded into the run's buffer as soon
 * as it is made: a run kept as a string kept every field string of its rows alive through each
 * young-generation GC, and that survival made V8 double its young generation (+32 MiB RSS).
 */
export function* exportChunks(db: Database, kind: ExportKind, range: ExportRange, linesPerChunk = 500): Generator<ExportChunk> {
  let bytes = NO_BYTES;
  let used = 0;
  let lines = 0;
  for (const line of exportLines(db, kind, range)) {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit, so a line that passes this test fits whole.
    const most = 3 * line.length;
    if (used + most > bytes.length) {
      if (lines > 0) yield { bytes: bytes.subarray(0, used), lines };
      bytes = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, most));
      used = 0;
      lines = 0;
    }
    used += bytes.write(line, used);
    if (++lines === linesPerChunk) {
      yield { bytes: bytes.subarray(0, used), lines };
      bytes = NO_BYTES;
      used = 0;
      lines = 0;
    }
  }
  if (lines > 0) yield { bytes: bytes.subarray(0, used), lines };
}

/** A read-only connection for one export; closed by the caller. */
export const openExportConnection = (databaseFile: string): Database =>
  new BetterSqlite3(databaseFile, { readonly: true, fileMustExist: true });

/**
 * The export as a byte stream that reads rows only as fast as the client takes them (pull with a
 * high-water mark of one chunk), and closes its connection when done or cancelled.
 */
export function exportStream(
  databaseFile: string,
  kind: ExportKind,
  range: ExportRange,
  options: { rowsPerChunk?: number; onChunk?: (linesSoFar: number) => void } = {},
): ReadableStream<Uint8Array> {
  const rowsPerChunk = options.rowsPerChunk ?? 500;
  let linesSoFar = 0;
  let db: Database | undefined;
  let chunks: Generator<ExportChunk> | undefined;
  const close = () => {
    chunks?.return(undefined);
    db?.close();
    db = undefined;
  };
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        try {
          db ??= openExportConnection(databaseFile);
          chunks ??= exportChunks(db, kind, range, rowsPerChunk);
          const next = chunks.next();
          if (next.done) {
            options.onChunk?.(linesSoFar);
            close();
            controller.close();
            return;
          }
          linesSoFar += next.value.lines;
          options.onChunk?.(linesSoFar);
          controller.enqueue(next.value.bytes);
        } catch (error) {
          close();
          controller.error(error);
        }
      },
      cancel: close,
    },
    { highWaterMark: 1 },
  );
}
