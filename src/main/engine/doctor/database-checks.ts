import { existsSync, statfsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { DoctorCheck } from '../../../shared/doctor.ts';
import { LATEST_SCHEMA_VERSION } from '../db/connection.ts';

const MiB = 1_048_576;
const GiB = 1_024 * MiB;
/** A WAL this large means something holds checkpoints back (a reader that never ends). */
const WAL_WARN_BYTES = 256 * MiB;
const DISK_WARN_BYTES = 2 * GiB;
const DISK_PROBLEM_BYTES = 256 * MiB;

const RESTORE =
  'Stop Till, then restore the newest backup: till backups list, till restore FILE (the damaged database is kept aside). Payments since that backup are found again by a rescan of each chain.';

/**
 * The database checks, on a read-only connection of their own: they must run when the engine
 * cannot open the store (that is when they matter most).
 */
export function databaseChecks(dataDir: string): DoctorCheck[] {
  const file = join(dataDir, 'till.db');
  const checks: DoctorCheck[] = [];
  const check = (id: string, level: DoctorCheck['level'], title: string, detail: string, remedy: string | null = null) =>
    checks.push({ id: `database.${id}`, area: 'database', level, title, detail, remedy });

  if (!existsSync(file)) {
    check(
      'file',
      'warning',
      'Database',
      `There is no database in ${dataDir} yet.`,
      'Start Till once (or run till wallet create).',
    );
    return checks;
  }
  let db: BetterSqlite3.Database | undefined;
  try {
    db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    const problems = (db.pragma('integrity_check(10)') as { integrity_check: string }[]).map((row) => row.integrity_check);
    if (problems.length === 1 && problems[0] === 'ok') check('integrity', 'ok', 'Database integrity', 'integrity_check: ok');
    else check('integrity', 'problem', 'Database integrity', `integrity_check: ${problems.slice(0, 3).join('; ')}`, RESTORE);

    const orphans = db.pragma('foreign_key_check') as unknown[];
    if (orphans.length === 0) check('foreign-keys', 'ok', 'Database references', 'foreign_key_check: no broken reference');
    else
      check(
        'foreign-keys',
        'problem',
        'Database references',
        `foreign_key_check: ${orphans.length} row(s) point at rows that do not exist`,
        RESTORE,
      );

    const version = db.pragma('user_version', { simple: true }) as number;
    if (version === LATEST_SCHEMA_VERSION) check('schema', 'ok', 'Database schema', `version ${version}`);
    else if (version > LATEST_SCHEMA_VERSION)
      check(
        'schema',
        'problem',
        'Database schema',
        `version ${version}, written by a newer Till (this one knows up to ${LATEST_SCHEMA_VERSION})`,
        'Install the newer Till again.',
      );
    else
      check(
        'schema',
        'warning',
        'Database schema',
        `version ${version}; this Till brings it to ${LATEST_SCHEMA_VERSION} when it starts`,
        'Start Till once.',
      );
  } catch (error) {
    check('integrity', 'problem', 'Database integrity', `the database cannot be read: ${(error as Error).message}`, RESTORE);
  } finally {
    db?.close();
  }

  const wal = existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0;
  if (wal < WAL_WARN_BYTES) check('wal', 'ok', 'Write-ahead log', `${(wal / MiB).toFixed(1)} MiB`);
  else
    check(
      'wal',
      'warning',
      'Write-ahead log',
      `${(wal / MiB).toFixed(0)} MiB: something keeps SQLite from folding it back into the database`,
      'Close other programs that have till.db open (a database browser), or restart Till.',
    );

  try {
    const fs = statfsSync(dataDir);
    const free = Number(fs.bavail) * Number(fs.bsize);
    const text = `${(free / GiB).toFixed(1)} GiB free on the data folder's disk`;
    if (free >= DISK_WARN_BYTES) check('disk', 'ok', 'Free disk space', text);
    else
      check(
        'disk',
        free < DISK_PROBLEM_BYTES ? 'problem' : 'warning',
        'Free disk space',
        text,
        'Free some space: when the disk is full Till can record no payment. Old daily backups are in the data folder’s backups/.',
      );
  } catch (error) {
    check('disk', 'warning', 'Free disk space', `could not be read: ${(error as Error).message}`, null);
  }
  return checks;
}
