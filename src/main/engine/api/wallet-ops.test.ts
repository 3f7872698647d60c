import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDataDir, TEST_MNEMONIC } from '../../../../test/fixtures/engine.ts';
import { createEngine, type Engine } from '../engine.ts';
import { openVault } from '../vault/open-vault.ts';
import { WALLET_SECRET } from '../vault/key-vault.ts';
import { decodeWalletSecret } from '../wallet/wallet-secret.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function engineWithoutPassphrase(): Promise<{ engine: Engine; dir: string }> {
  const data = tempDataDir();
  // The desktop app on a machine without a keychain: file keystore, and no passphrase from the environment.
  const engine = await createEngine({
    dataDir: data.dir,
    host: 'desktop',
    keystore: 'file',
    passphrase: async () => '',
    logger: pino({ enabled: false }),
    background: false,
  });
  cleanups.push(data.cleanup, () => engine.stop());
  return { engine, dir: data.dir };
}

describe('wallet operations', () => {
  it('asks for a keystore passphrase (VAULT_LOCKED) and stores nothing when none is available', async () => {
    const { engine } = await engineWithoutPassphrase();
    const result = await engine.call('wallet.import', { mnemonic: TEST_MNEMONIC });
    expect(result).toMatchObject({ ok: false, error: { code: 'VAULT_LOCKED' } });
    expect((await engine.invoke('wallet.status', {})).exists).toBe(false);
  });

  it('uses the keystore passphrase the onboarding screen supplies, and the file opens with it', async () => {
    const { engine, dir } = await engineWithoutPassphrase();
    const status = await engine.invoke('wallet.import', { mnemonic: TEST_MNEMONIC, keystorePassphrase: 'counter-passphrase' });
    expect(status).toMatchObject({ exists: true, keystore: 'file' });
    const vault = await openVault({ keystore: 'file', dataDir: dir, passphrase: async () => 'counter-passphrase' });
    expect(decodeWalletSecret((await vault.getSecret(WALLET_SECRET))!).mnemonic).toBe(TEST_MNEMONIC);
  });

  it('refuses a keystore passphrase shorter than 8 characters before touching anything', async () => {
    const { engine } = await engineWithoutPassphrase();
    const result = await engine.call('wallet.create', { mnemonic: TEST_MNEMONIC, keystorePassphrase: 'short' });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('keystorePassphrase') },
    });
    expect((await engine.invoke('wallet.status', {})).exists).toBe(false);
  });

  it('keeps one wallet per data dir; the same words again only store them in the keystore (after a restore)', async () => {
    const { engine } = await engineWithoutPassphrase();
    const first = await engine.invoke('wallet.import', { mnemonic: TEST_MNEMONIC, keystorePassphrase: 'counter-passphrase' });
    const other = await engine.call('wallet.import', {
      mnemonic: 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
      keystorePassphrase: 'counter-passphrase',
    });
    expect(other).toMatchObject({
      ok: false,
      error: { code: 'WALLET_EXISTS', message: expect.stringContaining(first.fingerprint!) },
    });
    const again = await engine.invoke('wallet.import', { mnemonic: TEST_MNEMONIC, keystorePassphrase: 'counter-passphrase' });
    expect(again).toEqual(first);
  });

  it('stores the treasury EIP-55 checksummed and refuses a broken checksum', async () => {
    const { engine } = await engineWithoutPassphrase();
    const status = await engine.invoke('wallet.setTreasury', { address: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8' });
    expect(status.treasury).toBe('0x70997970C51812dc3A010C7d01b50e0d17dc79C8');
    const broken = await engine.call('wallet.setTreasury', { address: '0x70997970C51812DC3a010C7d01b50e0d17dc79C8' });
    expect(broken).toMatchObject({ ok: false, error: { code: 'TREASURY_INVALID' } });
  });
});
