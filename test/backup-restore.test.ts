import { copyFileSync, openSync, readFileSync, statSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { databasePath } from '../src/main/engine/engine.ts';
import { tempDataDir, TEST_MNEMONIC } from './fixtures/engine.ts';
import { freePort } from './fixtures/ports.ts';
import { runTill, startTillServe, type TillServe } from './fixtures/till-serve.ts';

const invoiceIdsIn = (path: string): Set<string> => {
  const db = new BetterSqlite3(path, { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    return new Set((db.prepare('SELECT id FROM invoices').all() as { id: string }[]).map((row) => row.id));
  } finally {
    db.close();
  }
};

describe('till backup while till serve writes, and till restore', () => {
  const live = tempDataDir('till-backup-live-');
  const fresh = tempDataDir('till-backup-fresh-');
  const serves: TillServe[] = [];
  afterAll(async () => {
    for (const serve of serves) await serve.stop('SIGKILL');
    live.cleanup();
    fresh.cleanup();
  });

  it('a backup taken during a stream of invoices restores into a fresh folder with every invoice acknowledged before it began', async () => {
    expect((await runTill(live.dir, ['wallet', 'import', '--keystore', 'file'], TEST_MNEMONIC)).code).toBe(0);
    const apiKey = (await runTill(live.dir, ['apikey', 'create', '--name', 'shop'])).stdout.trim();
    const config = join(live.dir, 'till.json');
    // No chain is needed to take invoices: an RPC URL nobody answers, scanning never reaches it.
    writeFileSync(
      config,
      JSON.stringify({
        chains: [
          {
            chainId: 31337,
            name: 'Anvil',
            rpcUrls: [`http://127.0.0.1:${await freePort()}`],
            confirmations: 2,
            pollIntervalMs: 60_000,
          },
        ],
        webhooks: [],
      }),
    );
    const serve = await startTillServe(live.dir, ['--config', config]);
    serves.push(serve);

    const acknowledged: string[] = [];
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        const response = await fetch(`${serve.url}/api/v1/invoices`, {
          method: 'POST',
          headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            chainId: 31337,
            token: 'native',
            amount: '0.01',
            orderId: `order-${i}`,
            metadata: { pad: 'x'.repeat(4000) },
          }),
        });
        expect(response.status).toBe(201);
        acknowledged.push(((await response.json()) as { id: string }).id);
      }
    })();
    while (acknowledged.length < 300) await new Promise((resolve) => setTimeout(resolve, 50));

    // The backup runs in another process (the CLI) while till serve keeps writing.
    const before = [...acknowledged];
    const file = join(live.dir, 'manual-backup.db');
    const backup = await runTill(live.dir, ['backup', '--out', file]);
    const duringBackup = acknowledged.length - before.length;
    writing = false;
    await writer;
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/Backed up \d+ invoice\(s\) to /);
    expect(duringBackup).toBeGreaterThan(0);

    // Refused while till serve runs on the folder, and nothing changed.
    const liveDb = databasePath(live.dir);
    const inode = statSync(liveDb).ino;
    const refused = await runTill(live.dir, ['restore', file, '--yes']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('DATA_DIR_IN_USE');
    expect(refused.stderr).toMatch(/Till is running on .*till serve.*Quit it first/);
    expect(statSync(liveDb).ino).toBe(inode);

    // Restore into a fresh folder (the dead-disk case): the words come back with wallet import.
    const restored = await runTill(fresh.dir, ['restore', file, '--yes']);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/Restored .*: \d+ invoice\(s\)/);
    expect(restored.stdout).toContain('recovery words');
    const ids = invoiceIdsIn(databasePath(fresh.dir));
    for (const id of before) expect(ids.has(id), `invoice ${id} acknowledged before the backup began`).toBe(true);
    expect(ids.size).toBeLessThanOrEqual(acknowledged.length);
    expect((await runTill(fresh.dir, ['wallet', 'import', '--keystore', 'file'], TEST_MNEMONIC)).code).toBe(0);
    const shown = await runTill(fresh.dir, ['invoices', 'show', before[0]!]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(before[0]!);

    // A backup in a data folder's backups/ from the running app's own connection ("Back up now").
    const scheduled = await runTill(live.dir, ['backup']);
    expect(scheduled.code, scheduled.stderr).toBe(0);
    const listed = JSON.parse((await runTill(live.dir, ['backups', 'list', '--json'])).stdout) as { items: { path: string }[] };
    expect(listed.items).toHaveLength(1);
    expect(invoiceIdsIn(listed.items[0]!.path).size).toBe(acknowledged.length);
  });

  it('refuses a backup from a newer Till and a damaged file, changing nothing', async () => {
    const target = tempDataDir('till-backup-refuse-');
    try {
      expect((await runTill(target.dir, ['wallet', 'import', '--keystore', 'file'], TEST_MNEMONIC)).code).toBe(0);
      const good = join(target.dir, 'good.db');
      expect((await runTill(target.dir, ['backup', '--out', good])).code).toBe(0);
      const liveDb = databasePath(target.dir);
      const original = readFileSync(liveDb);

      const newer = join(target.dir, 'newer.db');
      copyFileSync(good, newer);
      const db = new BetterSqlite3(newer);
      db.pragma('user_version = 9999');
      db.close();
      const future = await runTill(target.dir, ['restore', newer, '--yes']);
      expect(future.code).not.toBe(0);
      expect(future.stderr).toContain('BACKUP_FROM_FUTURE');
      expect(future.stderr).toContain('newer Till (schema 9999');

      // Random bytes over pages 2–6 (tables and indexes): integrity_check or the open must catch it.
      const damaged = join(target.dir, 'damaged.db');
      copyFileSync(good, damaged);
      const pageSize = 4096;
      const fd = openSync(damaged, 'r+');
      const noise = Buffer.alloc(pageSize * 5, 0);
      for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919 + 13) % 251;
      writeSync(fd, noise, 0, noise.length, pageSize);
      closeSync(fd);
      const broken = await runTill(target.dir, ['restore', damaged, '--yes']);
      expect(broken.code).not.toBe(0);
      expect(broken.stderr).toContain('BACKUP_INVALID');
      expect(broken.stderr).toContain('damaged');

      const notOurs = join(target.dir, 'other.db');
      new BetterSqlite3(notOurs).exec('CREATE TABLE t (x)');
      const other = await runTill(target.dir, ['restore', notOurs, '--yes']);
      expect(other.stderr).toContain("not Till's");

      expect(readFileSync(liveDb).equals(original)).toBe(true);
    } finally {
      target.cleanup();
    }
  });
});
