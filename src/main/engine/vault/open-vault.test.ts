import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectExistingKeystore, keystoreFilePath, openVault } from './open-vault.ts';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'till-open-vault-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('openVault', () => {
  it('file: without a passphrase callback it is VAULT_LOCKED and names TILL_PASSPHRASE', async () => {
    await expect(openVault({ keystore: 'file', dataDir })).rejects.toMatchObject({
      code: 'VAULT_LOCKED',
      message: expect.stringContaining('TILL_PASSPHRASE'),
    });
    await expect(openVault({ keystore: 'file', dataDir, passphrase: async () => '' })).rejects.toMatchObject({
      code: 'VAULT_LOCKED',
    });
  });

  it('file: stores in <dataDir>/keystore.till-vault, which auto then keeps using', async () => {
    const vault = await openVault({ keystore: 'file', dataDir, passphrase: async () => 'pass' });
    expect(vault.kind).toBe('file');
    await vault.setSecret('wallet', 'words');
    expect(keystoreFilePath(dataDir)).toBe(join(dataDir, 'keystore.till-vault'));
    expect(await detectExistingKeystore(dataDir)).toBe('file');

    let asked = 0;
    const reopened = await openVault({
      keystore: 'auto',
      dataDir,
      passphrase: async () => {
        asked += 1;
        return 'pass';
      },
    });
    expect(reopened.kind).toBe('file');
    expect(asked).toBe(1);
    expect(await reopened.getSecret('wallet')).toBe('words');
  });
});
