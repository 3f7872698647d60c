import type { Database } from 'better-sqlite3';

export function createAddressPoolRepo(db: Database) {
  const select = db.prepare<[number], { address: string }>('SELECT address FROM address_pool WHERE derivation_index = ?');
  const insert = db.prepare('INSERT OR IGNORE INTO address_pool (derivation_index, address) VALUES (?, ?)');
  const highest = db.prepare<[], { top: number | null }>('SELECT MAX(derivation_index) AS top FROM address_pool');
  const clear = db.prepare('DELETE FROM address_pool');
  const insertMany = db.transaction((rows: { index: number; address: string }[]) => {
    for (const row of rows) insert.run(row.index, row.address);
  });
  return {
    addressAt(index: number): string | undefined {
      return select.get(index)?.address;
    },
    highestIndex(): number {
      return highest.get()?.top ?? -1;
    },
    add(rows: { index: number; address: string }[]): void {
      insertMany(rows);
    },
    clear(): void {
      clear.run();
    },
  };
}
export type AddressPoolRepo = ReturnType<typeof createAddressPoolRepo>;
