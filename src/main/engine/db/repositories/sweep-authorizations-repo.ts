import type { Database } from 'better-sqlite3';

export interface StoredAuthorization {
  chainId: number;
  authority: string;
  contract: string;
  nonce: number;
  yParity: 0 | 1;
  r: `0x${string}`;
  s: `0x${string}`;
}

interface AuthorizationRow {
  chain_id: number;
  authority: string;
  contract: string;
  nonce: number;
  y_parity: 0 | 1;
  r: `0x${string}`;
  s: `0x${string}`;
}

/** EIP-7702 authorizations: signed once per (deposit, delegate, nonce) and reused by every fee bump. */
export function createSweepAuthorizationsRepo(db: Database) {
  const select = db.prepare<[number, string, string, number], AuthorizationRow>(
    'SELECT * FROM sweep_authorizations WHERE chain_id = ? AND authority = ? AND contract = ? AND nonce = ?',
  );
  const insert = db.prepare(`
    INSERT INTO sweep_authorizations (chain_id, authority, contract, nonce, y_parity, r, s, signed_at)
    VALUES (@chainId, @authority, @contract, @nonce, @yParity, @r, @s, @now) ON CONFLICT DO NOTHING`);
  return {
    get(chainId: number, authority: string, contract: string, nonce: number): StoredAuthorization | undefined {
      const row = select.get(chainId, authority.toLowerCase(), contract.toLowerCase(), nonce);
      return (
        row && {
          chainId: row.chain_id,
          authority: row.authority,
          contract: row.contract,
          nonce: row.nonce,
          yParity: row.y_parity,
          r: row.r,
          s: row.s,
        }
      );
    },
    save(authorization: StoredAuthorization, now: string): void {
      insert.run({
        ...authorization,
        authority: authorization.authority.toLowerCase(),
        contract: authorization.contract.toLowerCase(),
        now,
      });
    },
  };
}
export type SweepAuthorizationsRepo = ReturnType<typeof createSweepAuthorizationsRepo>;
