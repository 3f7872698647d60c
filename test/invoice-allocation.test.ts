import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { HDKey, hdKeyToAccount } from 'viem/accounts';
import { mnemonicToSeedSync } from '@scure/bip39';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, TEST_MNEMONIC, TEST_PASSPHRASE, type TestEngine } from './fixtures/engine.ts';

const CREATOR = new URL('./fixtures/invoice-creator.ts', import.meta.url).pathname;

function startCreator(dataDir: string): { child: ChildProcess; created: () => number } {
  const child = spawn(process.execPath, [CREATOR, dataDir], {
    env: { ...process.env, TILL_PASSPHRASE: TEST_PASSPHRASE },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let count = 0;
  child.stdout!.on('data', (chunk: Buffer) => (count += chunk.toString().split('\n').filter(Boolean).length));
  return { child, created: () => count };
}

async function until(condition: () => boolean, what: string, deadlineMs = 60_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('deposit address allocation across processes and crashes', () => {
  let test: TestEngine;
  beforeAll(async () => {
    test = await startTestEngine();
  });
  afterAll(async () => {
    await test?.close();
  });

  it('concurrent creators and kill -9 mid-creation never give one address to two invoices', async () => {
    const creators = [0, 1, 2, 3].map(() => startCreator(test.dataDir));
    try {
      await until(() => creators.every((creator) => creator.created() >= 20), 'every creator to make 20 invoices');
      // Kill two while they are inside their creation loop; the others keep going.
      for (const creator of creators.slice(0, 2)) creator.child.kill('SIGKILL');
      const survivorsBefore = creators[2]!.created() + creators[3]!.created();
      await until(() => creators[2]!.created() + creators[3]!.created() >= survivorsBefore + 40, 'the survivors to continue');
      // A fresh creator after the crash continues from the stored counter.
      const late = startCreator(test.dataDir);
      creators.push(late);
      await until(() => late.created() >= 10, 'a creator started after the crash');
    } finally {
      for (const creator of creators) creator.child.kill('SIGKILL');
      await Promise.all(
        creators.map((creator) =>
          creator.child.exitCode === null && creator.child.signalCode === null ? once(creator.child, 'exit') : undefined,
        ),
      );
    }

    const db = test.engine.store.db;
    const rows = db.prepare('SELECT id, address, derivation_index AS idx FROM invoices ORDER BY derivation_index').all() as {
      id: string;
      address: string;
      idx: number;
    }[];
    expect(rows.length).toBeGreaterThanOrEqual(130);
    expect(new Set(rows.map((row) => row.address)).size).toBe(rows.length);
    expect(new Set(rows.map((row) => row.idx)).size).toBe(rows.length);
    // Independent check of every address against viem's derivation of m/44'/60'/0'/0/i.
    const master = HDKey.fromMasterSeed(mnemonicToSeedSync(TEST_MNEMONIC));
    for (const row of rows) expect(row.address).toBe(hdKeyToAccount(master, { addressIndex: row.idx }).address);
    const nextIndex = test.engine.store.wallet.get()!.nextIndex;
    expect(nextIndex).toBeGreaterThan(rows.at(-1)!.idx);
    // Each invoice has exactly one invoice.created event: no half-written creation survived.
    const events = db
      .prepare("SELECT invoice_id, COUNT(*) AS n FROM events WHERE type = 'invoice.created' GROUP BY invoice_id")
      .all() as { n: number }[];
    expect(events.length).toBe(rows.length);
    expect(events.every((event) => event.n === 1)).toBe(true);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
