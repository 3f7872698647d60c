import type { Database } from 'better-sqlite3';

/** What Till found out about a chain; null: not checked yet (or the check could not tell). */
export interface ChainCapabilities {
  eip7702: boolean | null;
  l1FeeOracle: boolean | null;
  multicall3: boolean | null;
  checkedAt: string;
}

interface CapabilitiesRow {
  eip7702: number | null;
  l1_fee_oracle: number | null;
  multicall3: number | null;
  checked_at: string;
}

const flag = (value: number | null): boolean | null => (value === null ? null : value === 1);
const column = (value: boolean | null): number | null => (value === null ? null : value ? 1 : 0);

export function createChainCapabilitiesRepo(db: Database) {
  const select = db.prepare<[number], CapabilitiesRow>('SELECT * FROM chain_capabilities WHERE chain_id = ?');
  const upsert = db.prepare(`
    INSERT INTO chain_capabilities (chain_id, eip7702, l1_fee_oracle, multicall3, checked_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (chain_id) DO UPDATE SET eip7702 = excluded.eip7702, l1_fee_oracle = excluded.l1_fee_oracle,
      multicall3 = excluded.multicall3, checked_at = excluded.checked_at`);
  return {
    get(chainId: number): ChainCapabilities | undefined {
      const row = select.get(chainId);
      return (
        row && {
          eip7702: flag(row.eip7702),
          l1FeeOracle: flag(row.l1_fee_oracle),
          multicall3: flag(row.multicall3),
          checkedAt: row.checked_at,
        }
      );
    },
    save(chainId: number, capabilities: ChainCapabilities): void {
      upsert.run(
        chainId,
        column(capabilities.eip7702),
        column(capabilities.l1FeeOracle),
        column(capabilities.multicall3),
        capabilities.checkedAt,
      );
    },
  };
}
export type ChainCapabilitiesRepo = ReturnType<typeof createChainCapabilitiesRepo>;
