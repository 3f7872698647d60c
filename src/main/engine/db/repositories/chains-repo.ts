import type { Database } from 'better-sqlite3';
import type { Chain, NativeDetection, Token } from '../../../../shared/domain.ts';

interface ChainRow {
  chain_id: number;
  name: string;
  rpc_urls: string;
  confirmations: number;
  poll_interval_ms: number;
  start_block: number | null;
  enabled: number;
  native_symbol: string;
  native_decimals: number;
  paused: number;
  native_detection: NativeDetection;
  created_at: string;
  updated_at: string;
}

export type ChainRecord = Omit<Chain, 'tokens' | 'createdAt' | 'updatedAt' | 'paused'>;

export function createChainsRepo(db: Database) {
  const selectAll = db.prepare<[], ChainRow>('SELECT * FROM chains ORDER BY chain_id');
  const selectOne = db.prepare<[number], ChainRow>('SELECT * FROM chains WHERE chain_id = ?');
  const upsert = db.prepare(`
    INSERT INTO chains (chain_id, name, rpc_urls, confirmations, poll_interval_ms, start_block, enabled,
                        native_symbol, native_decimals, native_detection, created_at, updated_at)
    VALUES (@chainId, @name, @rpcUrls, @confirmations, @pollIntervalMs, @startBlock, @enabled,
            @nativeSymbol, @nativeDecimals, @nativeDetection, @now, @now)
    ON CONFLICT (chain_id) DO UPDATE SET
      name = excluded.name, rpc_urls = excluded.rpc_urls, confirmations = excluded.confirmations,
      poll_interval_ms = excluded.poll_interval_ms, start_block = excluded.start_block,
      enabled = excluded.enabled, native_symbol = excluded.native_symbol,
      native_decimals = excluded.native_decimals,
      native_detection = excluded.native_detection, updated_at = excluded.updated_at`);
  const setEnabled = db.prepare('UPDATE chains SET enabled = ?, updated_at = ? WHERE chain_id = ?');
  const setPaused = db.prepare('UPDATE chains SET paused = ?, updated_at = ? WHERE chain_id = ?');
  const remove = db.prepare('DELETE FROM chains WHERE chain_id = ?');
  const hasInvoices = db.prepare<[number], { n: number }>('SELECT 1 AS n FROM invoices WHERE chain_id = ? LIMIT 1');
  const selectTokens = db.prepare<[number], Token>(
    'SELECT symbol, address, decimals FROM tokens WHERE chain_id = ? ORDER BY symbol',
  );
  const insertToken = db.prepare(
    'INSERT INTO tokens (chain_id, address, symbol, decimals) VALUES (?, ?, ?, ?) ' +
      'ON CONFLICT (chain_id, address) DO UPDATE SET symbol = excluded.symbol, decimals = excluded.decimals',
  );
  const deleteToken = db.prepare('DELETE FROM tokens WHERE chain_id = ? AND address = ? COLLATE NOCASE');
  const deleteTokens = db.prepare('DELETE FROM tokens WHERE chain_id = ?');

  const toChain = (row: ChainRow): Chain => ({
    chainId: row.chain_id,
    name: row.name,
    rpcUrls: JSON.parse(row.rpc_urls) as string[],
    confirmations: row.confirmations,
    pollIntervalMs: row.poll_interval_ms,
    startBlock: row.start_block,
    enabled: row.enabled === 1,
    nativeSymbol: row.native_symbol,
    nativeDecimals: row.native_decimals,
    nativeDetection: row.native_detection,
    paused: row.paused === 1,
    tokens: selectTokens.all(row.chain_id),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });

  return {
    list(): Chain[] {
      return selectAll.all().map(toChain);
    },
    get(chainId: number): Chain | undefined {
      const row = selectOne.get(chainId);
      return row && toChain(row);
    },
    upsert(chain: ChainRecord, now: string): void {
      upsert.run({
        ...chain,
        rpcUrls: JSON.stringify(chain.rpcUrls),
        enabled: chain.enabled ? 1 : 0,
        now,
      });
    },
    setEnabled(chainId: number, enabled: boolean, now: string): boolean {
      return setEnabled.run(enabled ? 1 : 0, now, chainId).changes > 0;
    },
    setPaused(chainId: number, paused: boolean, now: string): boolean {
      return setPaused.run(paused ? 1 : 0, now, chainId).changes > 0;
    },
    remove(chainId: number): boolean {
      return remove.run(chainId).changes > 0;
    },
    hasInvoices(chainId: number): boolean {
      return hasInvoices.get(chainId) !== undefined;
    },
    upsertToken(chainId: number, token: Token): void {
      insertToken.run(chainId, token.address, token.symbol, token.decimals);
    },
    removeToken(chainId: number, address: string): boolean {
      return deleteToken.run(chainId, address).changes > 0;
    },
    replaceTokens(chainId: number, tokens: Token[]): void {
      deleteTokens.run(chainId);
      for (const token of tokens) insertToken.run(chainId, token.address, token.symbol, token.decimals);
    },
  };
}
export type ChainsRepo = ReturnType<typeof createChainsRepo>;
