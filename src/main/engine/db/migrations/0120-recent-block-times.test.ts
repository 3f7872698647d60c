import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { tempDataDir } from '../../../../../test/fixtures/engine.ts';
import { openDatabase } from '../connection.ts';
import { createRecentBlocksRepo } from '../repositories/recent-blocks-repo.ts';
import { migrations } from './index.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

it('0120 keeps the stored reorg window and lets a block be stored without its time', () => {
  const data = tempDataDir();
  cleanups.push(data.cleanup);
  const path = join(data.dir, 'till.db');
  const before = openDatabase({ path, migrations: migrations.filter((m) => m.version < 120) });
  const insert = before.prepare(
    'INSERT INTO recent_blocks (chain_id, block_number, block_hash, parent_hash, block_time) VALUES (1, ?, ?, ?, ?)',
  );
  for (let n = 10; n < 20; n++) insert.run(n, `0xh${n}`, `0xh${n - 1}`, new Date(1_700_000_000_000 + n * 2_000).toISOString());
  expect(() => insert.run(20, '0xh20', '0xh19', null)).toThrow(/NOT NULL/);
  before.close();

  const after = openDatabase({ path });
  const blocks = createRecentBlocksRepo(after);
  expect(blocks.atOrBelow(1, 100, 100)).toHaveLength(10);
  expect(blocks.get(1, 15)).toEqual({
    number: 15,
    hash: '0xh15',
    parentHash: '0xh14',
    time: new Date(1_700_000_030_000).toISOString(),
  });
  blocks.put(1, { number: 9, hash: '0xh9', parentHash: '0xh8', time: null });
  expect(blocks.get(1, 9)?.time).toBeNull();
  // A block known by hash alone is no gap in the chain's block time.
  expect(blocks.medianBlockTimeMs(1)).toBe(2_000);
  after.close();
});
