import type { Database } from 'better-sqlite3';
import type { KeystoreKind } from '../../../../shared/domain.ts';

export interface WalletRow {
  fingerprint: string;
  depositXpub: string;
  keystore: KeystoreKind;
  nextIndex: number;
  createdAt: string;
  /** m/44'/60'/1'/0/0, the account that pays sweep gas; null for a wallet made before the sweeper existed. */
  gasAddress: string | null;
}

export function createWalletRepo(db: Database) {
  const select = db.prepare<
    [],
    {
      fingerprint: string;
      deposit_xpub: string;
      keystore: KeystoreKind;
      next_index: number;
      created_at: string;
      gas_address: string | null;
    }
  >('SELECT fingerprint, deposit_xpub, keystore, next_index, created_at, gas_address FROM wallet WHERE id = 1');
  const insert = db.prepare(
    'INSERT INTO wallet (id, fingerprint, deposit_xpub, keystore, next_index, created_at, gas_address) VALUES (1, ?, ?, ?, 0, ?, ?)',
  );
  const setGasAddress = db.prepare('UPDATE wallet SET gas_address = ? WHERE id = 1');
  const setKeystore = db.prepare('UPDATE wallet SET keystore = ? WHERE id = 1');
  // RETURNING the pre-increment value makes allocation one statement: no read-then-write race.
  const allocate = db.prepare<[], { index: number }>(
    'UPDATE wallet SET next_index = next_index + 1 WHERE id = 1 RETURNING next_index - 1 AS "index"',
  );
  return {
    get(): WalletRow | undefined {
      const row = select.get();
      return (
        row && {
          fingerprint: row.fingerprint,
          depositXpub: row.deposit_xpub,
          keystore: row.keystore,
          nextIndex: row.next_index,
          createdAt: row.created_at,
          gasAddress: row.gas_address,
        }
      );
    },
    insert(row: Omit<WalletRow, 'nextIndex'>): void {
      insert.run(row.fingerprint, row.depositXpub, row.keystore, row.createdAt, row.gasAddress);
    },
    setKeystore(keystore: WalletRow['keystore']): void {
      setKeystore.run(keystore);
    },
    setGasAddress(address: string): void {
      setGasAddress.run(address);
    },
    /** Takes the next derivation index; call inside the transaction that uses it. */
    allocateIndex(): number | undefined {
      return allocate.get()?.index;
    },
  };
}
export type WalletRepo = ReturnType<typeof createWalletRepo>;
