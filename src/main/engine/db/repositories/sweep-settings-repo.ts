import type { Database } from 'better-sqlite3';
import { SWEEP_DEFAULTS, type SweepSettings, type SweepStrategy } from '../../../../shared/sweeps.ts';

interface SettingsRow {
  chain_id: number;
  strategy: SweepStrategy;
  max_fee_share_bps: number;
  max_age_seconds: number;
  batch_size: number;
  paused: number;
  min_amounts: string;
  stuck_after_seconds: number | null;
  fee_ceiling: number;
}

export interface StoredSweepSettings extends Omit<SweepSettings, 'minAmounts'> {
  /** Token ('native' or lower-case address) → minimum in base units. */
  minAmounts: Record<string, bigint>;
}

export function defaultSweepSettings(chainId: number): StoredSweepSettings {
  return { chainId, ...SWEEP_DEFAULTS, minAmounts: {}, stuckAfterSeconds: null };
}

/** Per-chain sweeping settings; a chain without a row uses the defaults. */
export function createSweepSettingsRepo(db: Database) {
  const select = db.prepare<[number], SettingsRow>('SELECT * FROM sweep_settings WHERE chain_id = ?');
  const upsert = db.prepare(`
    INSERT INTO sweep_settings (chain_id, strategy, max_fee_share_bps, max_age_seconds, batch_size, paused, min_amounts,
                                stuck_after_seconds, fee_ceiling, updated_at)
    VALUES (@chainId, @strategy, @maxFeeShareBps, @maxAgeSeconds, @batchSize, @paused, @minAmounts, @stuckAfterSeconds,
            @feeCeiling, @now)
    ON CONFLICT (chain_id) DO UPDATE SET strategy = excluded.strategy, max_fee_share_bps = excluded.max_fee_share_bps,
      max_age_seconds = excluded.max_age_seconds, batch_size = excluded.batch_size, paused = excluded.paused,
      min_amounts = excluded.min_amounts, stuck_after_seconds = excluded.stuck_after_seconds,
      fee_ceiling = excluded.fee_ceiling, updated_at = excluded.updated_at`);
  return {
    get(chainId: number): StoredSweepSettings {
      const row = select.get(chainId);
      if (!row) return defaultSweepSettings(chainId);
      const minAmounts: Record<string, bigint> = {};
      for (const [token, amount] of Object.entries(JSON.parse(row.min_amounts) as Record<string, string>))
        minAmounts[token] = BigInt(amount);
      return {
        chainId,
        strategy: row.strategy,
        maxFeeShareBps: row.max_fee_share_bps,
        maxAgeSeconds: row.max_age_seconds,
        batchSize: row.batch_size,
        paused: row.paused === 1,
        minAmounts,
        stuckAfterSeconds: row.stuck_after_seconds,
        feeCeiling: row.fee_ceiling,
      };
    },
    save(settings: StoredSweepSettings, now: string): void {
      upsert.run({
        ...settings,
        paused: settings.paused ? 1 : 0,
        minAmounts: JSON.stringify(Object.fromEntries(Object.entries(settings.minAmounts).map(([k, v]) => [k, v.toString()]))),
        now,
      });
    },
  };
}
export type SweepSettingsRepo = ReturnType<typeof createSweepSettingsRepo>;
