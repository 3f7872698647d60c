import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../../../test/fixtures/engine.ts';
import { ExportKinds } from '../../../shared/exports.ts';
import { openDatabase } from '../db/connection.ts';
import { exportChunks, exportLines, exportQuery, openExportConnection } from './csv-export.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function freshStore(): string {
  const { dir, cleanup } = tempDataDir();
  cleanups.push(cleanup);
  return join(dir, 'till.db');
}

/** A store with invoices whose order ids are long or not ASCII, straight into the tables. */
function storeWithOrders(orders: string[]): string {
  const file = freshStore();
  const db = openDatabase({ path: file });
  const at = '2026-11-02T10:00:00.000Z';
  db.prepare(
    `INSERT INTO chains (chain_id, name, rpc_urls, confirmations, poll_interval_ms, start_block, native_symbol, native_decimals, created_at, updated_at)
     VALUES (1, 'Ethereum', '[]', 12, 1000, 0, 'ETH', 18, ?, ?)`,
  ).run(at, at);
  const insert = db.prepare(
    `INSERT INTO invoices (id, chain_id, token_address, token_symbol, token_decimals, amount, amount_received, address,
       derivation_index, payment_uri, order_id, metadata, status, created_at, expires_at)
     VALUES (@id, 1, NULL, 'ETH', 18, '1500000000000000000', '0', @address, @index, 'ethereum:x', @order, NULL, 'pending', @at, @at)`,
  );
  db.transaction(() =>
    orders.forEach((order, index) =>
      insert.run({ id: `inv_${index}`, address: `0x${(index + 1).toString(16).padStart(40, '0')}`, index, order, at }),
    ),
  )();
  db.close();
  return file;
}

describe('export queries', () => {
  // A sort of the whole period in a temporary b-tree holds every row in memory before the first
  // line goes out. (The invoices' sweep lookup sorts the few sweeps of one invoice: a nested plan row.)
  it.each(ExportKinds)('%s: walk an index in the export order, with or without a period, instead of sorting the rows', (kind) => {
    const db = openDatabase({ path: freshStore() });
    try {
      for (const range of [
        { from: null, to: null },
        { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' },
      ]) {
        const plan = db.prepare(`EXPLAIN QUERY PLAN ${exportQuery(kind)}`).all(range) as { parent: number; detail: string }[];
        expect(plan.filter((step) => step.parent === 0).map((step) => step.detail)).not.toContainEqual(
          expect.stringMatching(/TEMP B-TREE/),
        );
      }
    } finally {
      db.close();
    }
  });
});

describe('exportChunks', () => {
  it('holds whole lines, at most the lines asked for, and together the bytes of exportLines: long lines and UTF-8 too', () => {
    const orders = Array.from({ length: 1_200 }, (_, i) =>
      i === 7 ? 'x'.repeat(100_000) : i % 3 === 0 ? `Bestellung ${i}, “Grüße” 😀` : `order-${i}`,
    );
    const db = openExportConnection(storeWithOrders(orders));
    try {
      const expected = [...exportLines(db, 'invoices', {})];
      for (const linesPerChunk of [1, 7, 500]) {
        const chunks = [...exportChunks(db, 'invoices', {}, linesPerChunk)];
        let line = 0;
        for (const chunk of chunks) {
          expect(chunk.lines).toBeGreaterThan(0);
          expect(chunk.lines).toBeLessThanOrEqual(linesPerChunk);
          expect(chunk.bytes.toString('utf8')).toBe(expected.slice(line, line + chunk.lines).join(''));
          line += chunk.lines;
        }
        expect(line).toBe(1 + orders.length);
      }
    } finally {
      db.close();
    }
  });
});
