import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { tempDataDir } from '../../../../../test/fixtures/engine.ts';
import { openDatabase } from '../connection.ts';
import { m0010Initial } from './0010-initial.ts';
import { m0020PaymentDetection } from './0020-payment-detection.ts';
import { m0030Webhooks } from './0030-webhooks.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

it('0030 starts the webhook fan-out after the events already written: no endpoint gets history', () => {
  const data = tempDataDir();
  cleanups.push(data.cleanup);
  const path = join(data.dir, 'till.db');
  const before = openDatabase({ path, migrations: [m0010Initial, m0020PaymentDetection] });
  const insert = before.prepare(
    "INSERT INTO events (id, invoice_id, type, sequence, payload, created_at) VALUES (?, NULL, 'invoice.created', ?, '{}', 'now')",
  );
  for (let i = 1; i <= 3; i++) insert.run(`evt_${i}`, i);
  const newest = (before.prepare('SELECT MAX(seq) AS seq FROM events').get() as { seq: number }).seq;
  before.close();

  const after = openDatabase({ path, migrations: [m0010Initial, m0020PaymentDetection, m0030Webhooks] });
  expect(after.prepare('SELECT event_seq FROM webhook_fanout').all()).toEqual([{ event_seq: newest }]);
  after.close();
});
