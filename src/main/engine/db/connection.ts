import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { TillError } from '../lib/errors.ts';
import { LATEST_SCHEMA_VERSION, migrations, type Migration } from './migrations/index.ts';

export type { Database };

export class DatabaseFromFutureError extends TillError {
  constructor(path: string, found: number, supported: number) {
    super(
      'DATABASE_FROM_FUTURE',
      `The database at ${path} was written by a newer Till (schema ${found}; this Till knows up to ${supported}). ` +
        'It was left untouched. Install the newer Till again, or point --data-dir at another folder.',
      { details: { found, supported } },
    );
  }
}

export interface OpenDatabaseOptions {
  path: string;
  migrations?: Migration[];
}

/**
 * Opens (creating if needed) the store: WAL so readers never block the writer, foreign keys on,
 * a busy timeout so the CLI and a running app can share the file, then migrations.
 */
export function openDatabase(options: OpenDatabaseOptions): Database {
  mkdirSync(dirname(options.path), { recursive: true });
  const db = new BetterSqlite3(options.path);
  try {
    db.pragma('busy_timeout = 5000');
    // Refuse a newer schema before writing anything, including the WAL switch.
    const list = options.migrations ?? migrations;
    const latest = list.at(-1)?.version ?? 0;
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > latest) throw new DatabaseFromFutureError(options.path, current, latest);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, list);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Applies every pending migration in one transaction, so a crash leaves the old schema whole. */
export function migrate(db: Database, list: Migration[] = migrations): void {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    for (const migration of list) {
      if (migration.version <= current) continue;
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }
  }).immediate();
}

/** Online backup: consistent even while the engine writes. */
export async function backupDatabase(db: Database, destination: string): Promise<void> {
  mkdirSync(dirname(destination), { recursive: true });
  await db.backup(destination);
}

export { LATEST_SCHEMA_VERSION };
