import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../../../test/fixtures/engine.ts';
import { DatabaseFromFutureError, LATEST_SCHEMA_VERSION, openDatabase } from './connection.ts';
import type { Migration } from './migrations/index.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));
function freshPath(): string {
  const { dir, cleanup } = tempDataDir();
  cleanups.push(cleanup);
  return join(dir, 'till.db');
}

describe('openDatabase', () => {
  it('migrates an empty file to the latest schema with WAL, foreign keys and STRICT tables', () => {
    const db = openDatabase({ path: freshPath() });
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all() as {
      name: string;
      sql: string;
    }[];
    expect(tables.map((t) => t.name).sort()).toEqual(
      [
        'address_pool',
        'alerts',
        'api_keys',
        'chains',
        'display_tokens',
        'events',
        'idempotency_keys',
        'invoices',
        'operator_log',
        'payments',
        'price_feeds',
        'native_balances',
        'native_balance_snapshots',
        'recent_blocks',
        'scan_cursors',
        'settings',
        'tokens',
        'wallet',
        'webhook_attempts',
        'webhook_deliveries',
        'webhook_endpoints',
        'webhook_fanout',
        'webhook_secrets',
        'sweep_settings',
        'chain_capabilities',
        'signer_nonces',
        'sweeper_contracts',
        'sweep_authorizations',
        'sweep_deposits',
        'sweeps',
        'sweep_items',
        'sweep_txs',
        'sweep_tx_attempts',
        'sweep_requests',
        'sweeper_lease',
      ].sort(),
    );
    for (const table of tables) expect(table.sql, table.name).toMatch(/\)\s*STRICT\s*$/);
    db.close();
  });

  it('is idempotent: reopening applies nothing twice', () => {
    const path = freshPath();
    openDatabase({ path }).close();
    const db = openDatabase({ path });
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    db.close();
  });

  it('refuses a database written by a newer Till and leaves the file untouched', () => {
    const path = freshPath();
    const raw = new BetterSqlite3(path);
    raw.exec('CREATE TABLE future (x INTEGER) STRICT');
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 10}`);
    raw.close();
    const before = readFileSync(path);

    let error: unknown;
    try {
      openDatabase({ path });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DatabaseFromFutureError);
    expect((error as DatabaseFromFutureError).code).toBe('DATABASE_FROM_FUTURE');
    expect((error as Error).message).toMatch(/newer Till .*left untouched/);
    expect(readFileSync(path).equals(before)).toBe(true);
    const check = new BetterSqlite3(path, { readonly: true });
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    check.close();
  });

  it('rolls back a failing migration as a whole', () => {
    const path = freshPath();
    const broken: Migration[] = [
      { version: 10, name: 'one', up: (db) => db.exec('CREATE TABLE a (x INTEGER) STRICT') },
      { version: 20, name: 'two', up: (db) => db.exec('CREATE TABLE b (x INTEGER) STRICT; THIS IS NOT SQL') },
    ];
    expect(() => openDatabase({ path, migrations: broken })).toThrow();
    const db = new BetterSqlite3(path);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name IN ('a', 'b')").all()).toEqual([]);
    db.close();
  });

  it('keeps amounts exact: base units above 2^64 survive, non-digits are refused by the schema', () => {
    const db = openDatabase({ path: freshPath() });
    db.prepare(
      "INSERT INTO chains (chain_id, name, rpc_urls, confirmations, poll_interval_ms, native_symbol, native_decimals, created_at, updated_at) VALUES (1, 'x', '[]', 1, 1000, 'ETH', 18, 'now', 'now')",
    ).run();
    const insert = db.prepare(
      `INSERT INTO invoices (id, chain_id, token_symbol, token_decimals, amount, amount_received, address, derivation_index,
        payment_uri, status, created_at, expires_at) VALUES (?, 1, 'ETH', 18, ?, '0', ?, ?, 'u', 'pending', 'now', 'later')`,
    );
    const huge = (2n ** 100n + 7n).toString();
    insert.run('a', huge, '0xa', 0);
    expect((db.prepare("SELECT amount FROM invoices WHERE id = 'a'").get() as { amount: string }).amount).toBe(huge);
    expect(() => insert.run('b', '1.5', '0xb', 1)).toThrow(/CHECK/);
    expect(() => insert.run('c', '-1', '0xc', 2)).toThrow(/CHECK/);
    db.close();
  });

  it('takes an online backup that opens as a complete database', async () => {
    const path = freshPath();
    const db = openDatabase({ path });
    db.prepare("INSERT INTO settings VALUES ('treasury', '0xabc')").run();
    const { backupDatabase } = await import('./connection.ts');
    const target = `${path}.backup`;
    await backupDatabase(db, target);
    db.close();
    const copy = new BetterSqlite3(target, { readonly: true });
    expect(copy.prepare('SELECT value FROM settings').get()).toEqual({ value: '0xabc' });
    copy.close();
  });
});
