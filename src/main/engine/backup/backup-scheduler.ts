import { join } from 'node:path';
import type { Logger } from 'pino';
import { BACKUP_KEEP_DEFAULT, type BackupInfo, type BackupsOverview } from '../../../shared/backups.ts';
import type { Database } from '../db/connection.ts';
import type { Store } from '../db/store.ts';
import type { Clock } from '../lib/clock.ts';
import { sleep } from '../lib/shutdown.ts';
import { backupsDir, listBackups, pruneBackups, scheduledBackupName, writeBackup } from './backups.ts';

const DAY_MS = 24 * 3_600_000;
/** How often the loop asks whether a daily backup is due (a sleeping laptop catches up on waking). */
const CHECK_MS = 10 * 60_000;
/** The first look waits this long after start: a starting app has better things to do. */
const FIRST_CHECK_MS = 60_000;

export interface BackupSchedulerDeps {
  db: Database;
  store: Store;
  dataDir: string;
  clock: Clock;
  logger: Logger;
}

/**
 * Daily backups in the data folder's backups/, keeping the newest `keep` (a business setting in
 * the store, default 7; 0 turns them off). "Due" is read from the files themselves, so a restart
 * neither skips a day nor backs up twice.
 */
export function createBackups(deps: BackupSchedulerDeps) {
  let lastError: string | null = null;
  const keep = (): number => {
    const stored = deps.store.settings.get('backup_keep');
    return stored === null ? BACKUP_KEEP_DEFAULT : Number(stored);
  };

  /** A backup now, named as a scheduled one, then the oldest beyond `keep` removed. */
  const backUpNow = async (): Promise<BackupInfo> => {
    const info = await writeBackup(deps.db, join(backupsDir(deps.dataDir), scheduledBackupName(deps.clock.now())));
    const removed = pruneBackups(deps.dataDir, keep() || BACKUP_KEEP_DEFAULT);
    deps.logger.info({ backup: info.name, sizeBytes: info.sizeBytes, removed }, 'backup written');
    lastError = null;
    return info;
  };

  const isDue = (): boolean => {
    if (keep() === 0) return false;
    const newest = listBackups(deps.dataDir)[0];
    return !newest || deps.clock.now() - Date.parse(newest.createdAt) >= DAY_MS;
  };

  return {
    backUpNow,
    /** A backup to a file of the caller's choosing (till backup --out); not counted among the daily ones. */
    writeTo: (destination: string): Promise<BackupInfo> => writeBackup(deps.db, destination),
    isDue,
    keep,
    setKeep(value: number): void {
      deps.store.settings.set('backup_keep', String(value));
    },
    overview(): BackupsOverview {
      const items = listBackups(deps.dataDir);
      return {
        directory: backupsDir(deps.dataDir),
        keep: keep(),
        lastBackupAt: items[0]?.createdAt ?? null,
        lastError,
        items,
      };
    },
    async run(signal: AbortSignal): Promise<void> {
      await sleep(FIRST_CHECK_MS, signal);
      while (!signal.aborted) {
        try {
          if (isDue()) await backUpNow();
        } catch (error) {
          lastError = (error as Error).message;
          deps.logger.error({ err: error }, 'scheduled backup failed');
        }
        await sleep(CHECK_MS, signal);
      }
    },
  };
}
export type Backups = ReturnType<typeof createBackups>;
