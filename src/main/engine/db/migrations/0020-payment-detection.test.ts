import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { tempDataDir } from '../../../../../test/fixtures/engine.ts';
import { openDatabase } from '../connection.ts';
import { m0010Initial } from './0010-initial.ts';
import { m0020PaymentDetection } from './0020-payment-detection.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

it('0020 gives existing invoices a monitoring window of 24 h after their expiry', () => {
  const data = tempDataDir();
  cleanups.push(data.cleanup);
  const path = join(data.dir, 'till.db');
  const before = openDatabase({ path, migrations: [m0010Initial] });
  before.prepare("INSERT INTO chains VALUES (1, 'x', '[]', 1, 1000, NULL, 1, 'ETH', 18, 'now', 'now')").run();
  before
    .prepare(
      `INSERT INTO invoices (id, chain_id, token_symbol, token_decimals, amount, amount_received, address, derivation_index,
        payment_uri, status, created_at, expires_at) VALUES ('inv_a', 1, 'ETH', 18, '5', '0', '0xa', 0, 'u', 'pending',
        '2026-11-25T09:00:00.000Z', '2026-11-25T10:00:00.000Z')`,
    )
    .run();
  before.close();

  const after = openDatabase({ path, migrations: [m0010Initial, m0020PaymentDetection] });
  expect(after.prepare("SELECT monitor_until, manual FROM invoices WHERE id = 'inv_a'").get()).toEqual({
    monitor_until: '2026-11-26T10:00:00.000Z',
    manual: 0,
  });
  after.close();
});
