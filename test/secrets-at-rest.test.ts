import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesToHex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateKeyAt } from '../src/main/engine/wallet/hd-wallet.ts';
import { tempDataDir } from './fixtures/engine.ts';
import { findSecrets, mnemonicTriples } from './fixtures/secret-scan.ts';
import { runTill, startTillServe, writeAnvilConfig } from './fixtures/till-serve.ts';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';

describe('secrets at rest', () => {
  const data = tempDataDir();
  let anvil: Anvil;
  let mnemonic = '';

  beforeAll(async () => {
    anvil = await startAnvil();
    const created = await runTill(data.dir, ['wallet', 'create', '--keystore', 'file']);
    expect(created.code, created.stderr).toBe(0);
    // Printed in columns (1, 7, 13, 19 on the first line): put the words back in order.
    mnemonic = [...created.stdout.matchAll(/(\d+)\. (\w+)/g)]
      .sort((a, b) => Number(a[1]) - Number(b[1]))
      .map((match) => match[2])
      .join(' ');
    expect(mnemonic.split(' ')).toHaveLength(24);
    const key = (await runTill(data.dir, ['apikey', 'create', '--name', 'shop'])).stdout.trim();
    const serve = await startTillServe(data.dir, ['--config', writeAnvilConfig(data.dir, anvil.rpcUrl)]);
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${serve.url}/api/v1/invoices`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ chainId: 31337, token: 'native', amount: '0.01' }),
      });
      expect(response.status).toBe(201);
    }
    // A wrong mnemonic import attempt must not log what was typed either.
    await runTill(data.dir, ['wallet', 'import', '--keystore', 'file'], mnemonic);
    expect(await serve.stop()).toBe(0);
  });
  afterAll(async () => {
    await anvil?.stop();
    data.cleanup();
  });

  it('the scan finds a mnemonic where one is (control: the scan can fail)', () => {
    const control = tempDataDir();
    writeFileSync(join(control.dir, 'leak.log'), `{"msg":"oops ${mnemonic.split(' ').slice(5, 8).join(' ')}"}`);
    expect(findSecrets(control.dir, mnemonicTriples(mnemonic))).toHaveLength(1);
    control.cleanup();
  });

  it('no file in the data dir (database, WAL, logs, keystore) holds three mnemonic words in order', () => {
    expect(findSecrets(data.dir, mnemonicTriples(mnemonic))).toEqual([]);
  });

  it('no file in the data dir holds a deposit private key', () => {
    const keys = [0, 1, 2, 3].flatMap((index) => {
      const hex = bytesToHex(privateKeyAt(mnemonic, '', index)).slice(2);
      return [hex, Buffer.from(hex, 'hex').toString('base64')];
    });
    expect(findSecrets(data.dir, keys)).toEqual([]);
  });
});
