import type { Database } from 'better-sqlite3';

/** Business settings that belong with the data (the treasury address); UI preferences do not live here. */
export type SettingKey =
  | 'treasury'
  | 'monitoring_window_seconds'
  /** Which vault secret (webhook-key.<id>) encrypts the webhook signing secrets. */
  | 'webhook_key_id'
  /** Daily backups kept in the data folder's backups/ (0: none). */
  | 'backup_keep'
  /** The shop's name, shown to customers on the checkout page. */
  | 'shop_name'
  /** The shop's currency for prices (USD unless set). */
  | 'shop_currency'
  /** Base of checkout links for customers (till serve --public-url): https://pay.example.com. */
  | 'public_url'
  /** Where the last till serve listened: the checkout links' base when no public URL is set. */
  | 'serve_url'
  /** The invoice the customer display shows (none: the shop's name). */
  | 'display_invoice';

export function createSettingsRepo(db: Database) {
  const select = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const upsert = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  return {
    get(key: SettingKey): string | null {
      return select.get(key)?.value ?? null;
    },
    set(key: SettingKey, value: string): void {
      upsert.run(key, value);
    },
  };
}
export type SettingsRepo = ReturnType<typeof createSettingsRepo>;
