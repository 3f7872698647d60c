import { join } from 'node:path';
import { getAddress } from 'viem';
import { afterEach, expect, it } from 'vitest';
import { tempDataDir } from '../../../../../test/fixtures/engine.ts';
import { openDatabase } from '../connection.ts';
import { migrations } from './index.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

it('0110 stores the payers of existing payments EIP-55 checksummed, and nothing else', () => {
  const data = tempDataDir();
  cleanups.push(data.cleanup);
  const path = join(data.dir, 'till.db');
  const before = openDatabase({ path, migrations: migrations.filter((m) => m.version < 110) });
  before
    .prepare(
      "INSERT INTO chains (chain_id, name, rpc_urls, confirmations, poll_interval_ms, start_block, enabled, native_symbol, native_decimals, created_at, updated_at) VALUES (1, 'x', '[]', 1, 1000, NULL, 1, 'ETH', 18, 'now', 'now')",
    )
    .run();
  before
    .prepare(
      `INSERT INTO invoices (id, chain_id, token_symbol, token_decimals, amount, amount_received, address, derivation_index,
        payment_uri, status, created_at, expires_at) VALUES ('inv_a', 1, 'ETH', 18, '5', '0', '0xa', 0, 'u', 'pending',
        '2026-11-25T09:00:00.000Z', '2026-11-25T10:00:00.000Z')`,
    )
    .run();
  const payer = '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed';
  const to = '0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359';
  before
    .prepare(
      `INSERT INTO payments (chain_id, tx_hash, log_index, invoice_id, token_address, from_address, to_address, amount,
        block_number, block_hash, block_time, status, counted, detected_at, updated_at)
       VALUES (1, '0x01', -1, 'inv_a', NULL, ?, ?, '5', 1, '0xb', 'now', 'pending', 1, 'now', 'now')`,
    )
    .run(payer, to);
  before.close();

  const after = openDatabase({ path });
  expect(after.prepare('SELECT from_address, to_address FROM payments').get()).toEqual({
    from_address: getAddress(payer),
    to_address: to,
  });
  after.close();
});
