/** A backup of the store as the UI and the CLI show it. */
export interface BackupInfo {
  name: string;
  path: string;
  sizeBytes: number;
  createdAt: string;
  schemaVersion?: number;
  invoices?: number;
}

export interface BackupsOverview {
  /** Where scheduled backups go (the data folder's backups/). */
  directory: string;
  /** Daily backups kept; 0: no scheduled backups. */
  keep: number;
  lastBackupAt: string | null;
  /** Why the last scheduled backup failed, until one succeeds. */
  lastError: string | null;
  items: BackupInfo[];
}

export const BACKUP_KEEP_DEFAULT = 7;
