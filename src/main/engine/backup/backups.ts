import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { BackupInfo } from '../../../shared/backups.ts';
import { LATEST_SCHEMA_VERSION, type Database } from '../db/connection.ts';
import { TillError } from '../lib/errors.ts';
import { runningTill } from '../lib/data-dir-lock.ts';

/** Scheduled backups live here, named by their UTC time so the names sort in time order. */
export const backupsDir = (dataDir: string): string => join(dataDir, 'backups');
const SCHEDULED_NAME = /^till-(\d{8}T\d{6}Z)\.db$/;
/** Tables a Till store always has: a file without them is some other SQLite database. */
const REQUIRED_TABLES = ['invoices', 'payments', 'chains', 'settings', 'events'];

export const scheduledBackupName = (ms: number): string =>
  `till-${new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z')}.db`;

/** What a backup holds, read from the file itself. */
export interface BackupContents {
  schemaVersion: number;
  invoices: number;
  payments: number;
  sweeps: number;
  walletFingerprint: string | null;
}

export class BackupInvalidError extends TillError {
  constructor(path: string, why: string, cause?: unknown) {
    super('BACKUP_INVALID', `${path} is not a Till backup that can be restored: ${why}. Nothing was changed.`, {
      cause,
      details: { path },
    });
  }
}

/**
 * Writes a consistent copy of the live store with SQLite's online backup API, while the engine
 * keeps writing. Written beside the destination under a temporary name and renamed when whole,
 * so a file with the final name is never half a backup. Every step after the first copies all
 * remaining pages: a write by another process between steps restarts the copy at most once.
 */
export async function writeBackup(db: Database, destination: string): Promise<BackupInfo> {
  const target = resolve(destination);
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  try {
    await db.backup(partial, { progress: ({ remainingPages }) => Math.max(remainingPages, 100) });
    const contents = readBackup(partial);
    renameSync(partial, target);
    return infoOf(target, contents);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

/**
 * Opens a backup read-only and checks it is whole and a Till store this version can open:
 * integrity_check, the schema version (a newer Till's backup is refused), Till's tables.
 */
export function readBackup(path: string): BackupContents {
  if (!existsSync(path)) throw new BackupInvalidError(path, 'there is no such file');
  let db: Database;
  try {
    db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new BackupInvalidError(path, 'it cannot be opened as an SQLite database', error);
  }
  try {
    let problems: string[];
    try {
      problems = (db.pragma('integrity_check(20)') as { integrity_check: string }[]).map((row) => row.integrity_check);
    } catch (error) {
      throw new BackupInvalidError(path, `the file is damaged (${(error as Error).message})`, error);
    }
    if (problems.length !== 1 || problems[0] !== 'ok')
      throw new BackupInvalidError(path, `the file is damaged (integrity check: ${problems.slice(0, 3).join('; ')})`);
    const schemaVersion = db.pragma('user_version', { simple: true }) as number;
    if (schemaVersion > LATEST_SCHEMA_VERSION)
      throw new TillError(
        'BACKUP_FROM_FUTURE',
        `${path} was written by a newer Till (schema ${schemaVersion}; this Till knows up to ${LATEST_SCHEMA_VERSION}). ` +
          'Install that newer Till to restore it. Nothing was changed.',
        { details: { path, found: schemaVersion, supported: LATEST_SCHEMA_VERSION } },
      );
    const tables = new Set(
      db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
        .all()
        .map((row) => row.name),
    );
    const missing = REQUIRED_TABLES.filter((table) => !tables.has(table));
    if (schemaVersion === 0 || missing.length > 0)
      throw new BackupInvalidError(
        path,
        `it is an SQLite database but not Till's (no ${missing.join(', ') || 'schema version'})`,
      );
    const count = (table: string): number =>
      tables.has(table) ? (db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()?.n ?? 0) : 0;
    const wallet = tables.has('wallet')
      ? db.prepare<[], { fingerprint: string }>('SELECT fingerprint FROM wallet LIMIT 1').get()
      : undefined;
    return {
      schemaVersion,
      invoices: count('invoices'),
      payments: count('payments'),
      sweeps: count('sweeps'),
      walletFingerprint: wallet?.fingerprint ?? null,
    };
  } finally {
    db.close();
  }
}

function infoOf(path: string, contents: BackupContents): BackupInfo {
  const stat = statSync(path);
  return {
    name: basename(path),
    path,
    sizeBytes: stat.size,
    createdAt: takenAt(basename(path)) ?? stat.mtime.toISOString(),
    schemaVersion: contents.schemaVersion,
    invoices: contents.invoices,
  };
}

/** When a scheduled backup was taken, from its name (file times change when files are copied). */
const takenAt = (name: string): string | null => {
  const stamp = SCHEDULED_NAME.exec(name)?.[1];
  return stamp ? stamp.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6.000Z') : null;
};

/** The scheduled backups, newest first. Files are not opened: listing stays cheap. */
export function listBackups(dataDir: string): BackupInfo[] {
  const dir = backupsDir(dataDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => SCHEDULED_NAME.test(name))
    .sort()
    .reverse()
    .map((name) => {
      const path = join(dir, name);
      return { name, path, sizeBytes: statSync(path).size, createdAt: takenAt(name) ?? statSync(path).mtime.toISOString() };
    });
}

/** Deletes the oldest scheduled backups beyond `keep`. Returns the names removed. */
export function pruneBackups(dataDir: string, keep: number): string[] {
  const removed = listBackups(dataDir).slice(Math.max(keep, 1));
  for (const backup of removed) rmSync(backup.path, { force: true });
  return removed.map((backup) => backup.name);
}

export interface RestoreResult {
  restored: BackupContents;
  /** Where the database that was there before now is (null when the folder had none). */
  keptAside: string | null;
  /** The wallet in the backup is not the one the folder had: its words must be imported. */
  walletChanged: boolean;
}

/**
 * Replaces the data folder's database with a backup. Refused while the app or till serve runs on
 * the folder, and for a file that fails readBackup — in both cases before anything is touched.
 * The current database (with its WAL) is renamed aside, never deleted. The vault (OS keychain or
 * passphrase file) is not part of a backup and stays as it is.
 */
export function restoreBackup(options: { dataDir: string; file: string; now: number }): RestoreResult {
  const running = runningTill(options.dataDir);
  if (running)
    throw new TillError(
      'DATA_DIR_IN_USE',
      `Till is running on ${options.dataDir} (${running.kind}, process ${running.pid} on ${running.host}, since ${running.startedAt}). ` +
        'Quit it first (close the app with Quit Till, or stop till serve), then restore. Nothing was changed.',
      { details: running },
    );
  const restored = readBackup(options.file);
  const live = join(options.dataDir, 'till.db');
  let keptAside: string | null = null;
  let previousFingerprint: string | null = null;
  if (existsSync(live)) {
    try {
      previousFingerprint = readBackup(live).walletFingerprint;
    } catch {
      // A damaged current database is exactly what one restores over; it is still kept aside.
    }
    keptAside = join(options.dataDir, `till.db.before-restore-${scheduledBackupName(options.now).slice(5, -3)}`);
    // The WAL and shared-memory files follow the database's name: renamed together they stay one database.
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(live + suffix)) renameSync(live + suffix, keptAside + suffix);
  }
  mkdirSync(options.dataDir, { recursive: true });
  const partial = `${live}.restoring`;
  copyFileSync(options.file, partial);
  renameSync(partial, live);
  return {
    restored,
    keptAside,
    walletChanged: previousFingerprint !== null && previousFingerprint !== restored.walletFingerprint,
  };
}
