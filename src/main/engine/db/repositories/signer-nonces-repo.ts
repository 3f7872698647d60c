import type { Database } from 'better-sqlite3';

/**
 * The next nonce of each account that signs for Till. `take` is the only way a nonce is handed
 * out: it moves the counter in the caller's transaction, so a nonce is never given twice and a
 * crash before the commit gives it back together with the transaction that would have used it.
 */
export function createSignerNoncesRepo(db: Database) {
  const select = db.prepare<[number, string], { next_nonce: number }>(
    'SELECT next_nonce FROM signer_nonces WHERE chain_id = ? AND address = ?',
  );
  const upsert = db.prepare(`
    INSERT INTO signer_nonces (chain_id, address, next_nonce, updated_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (chain_id, address) DO UPDATE SET next_nonce = excluded.next_nonce, updated_at = excluded.updated_at`);
  return {
    /** The next nonce Till would use, or undefined when the account has never signed here. */
    peek(chainId: number, address: string): number | undefined {
      return select.get(chainId, address.toLowerCase())?.next_nonce;
    },
    /**
     * Hands out `nonce` and moves the counter past it. Call inside the transaction that stores
     * what was signed with it. Refuses a nonce below the counter (it was handed out already).
     */
    take(chainId: number, address: string, nonce: number, now: string): void {
      const current = select.get(chainId, address.toLowerCase())?.next_nonce ?? 0;
      if (nonce < current)
        throw new Error(`nonce ${nonce} of ${address} on chain ${chainId} was handed out already (next is ${current})`);
      upsert.run(chainId, address.toLowerCase(), nonce + 1, now);
    },
  };
}
export type SignerNoncesRepo = ReturnType<typeof createSignerNoncesRepo>;
