import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/connection.ts';
import { createStore } from '../db/store.ts';
import { createBackups } from './backup-scheduler.ts';
import { listBackups, readBackup } from './backups.ts';

const DAY = 24 * 3_600_000;

describe('daily backups', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function setup() {
    const dataDir = mkdtempSync(join(tmpdir(), 'till-backups-'));
    dirs.push(dataDir);
    const db = openDatabase({ path: join(dataDir, 'till.db') });
    const store = createStore(db);
    let now = Date.parse('2026-12-01T09:00:00Z');
    const backups = createBackups({ db, store, dataDir, clock: { now: () => now }, logger: pino({ enabled: false }) });
    return { dataDir, db, store, backups, advance: (ms: number) => (now += ms) };
  }

  it('is due with none yet, not again within a day, due after one; the files say when (a restart changes nothing)', async () => {
    const { dataDir, db, store, backups, advance } = setup();
    expect(backups.isDue()).toBe(true);
    const first = await backups.backUpNow();
    expect(first.name).toBe('till-20261201T090000Z.db');
    expect(readBackup(first.path).schemaVersion).toBeGreaterThan(0);
    advance(DAY - 1);
    expect(backups.isDue()).toBe(false);
    // A second scheduler on the same folder (after a restart) reads the same files.
    const restarted = createBackups({
      db,
      store,
      dataDir,
      clock: { now: () => Date.parse('2026-12-02T08:59:59Z') },
      logger: pino({ enabled: false }),
    });
    expect(restarted.isDue()).toBe(false);
    advance(1);
    expect(backups.isDue()).toBe(true);
    db.close();
  });

  it('keeps the newest N (default 7), and keep 0 turns the schedule off', async () => {
    const { dataDir, db, backups, advance } = setup();
    expect(backups.keep()).toBe(7);
    const names: string[] = [];
    for (let day = 0; day < 9; day++) {
      names.push((await backups.backUpNow()).name);
      advance(DAY);
    }
    expect(listBackups(dataDir).map((backup) => backup.name)).toEqual(names.slice(2).reverse());
    backups.setKeep(3);
    await backups.backUpNow();
    expect(listBackups(dataDir)).toHaveLength(3);
    expect(backups.overview()).toMatchObject({ keep: 3, lastBackupAt: '2026-12-10T09:00:00.000Z' });
    backups.setKeep(0);
    advance(10 * DAY);
    expect(backups.isDue()).toBe(false);
    db.close();
  });
});
