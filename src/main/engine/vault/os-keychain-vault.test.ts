import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TillError } from '../lib/errors.ts';
import { OS_KEYCHAIN_MARKER_NAME, detectExistingKeystore, openVault } from './open-vault.ts';
import { createOsKeychainVault, probeOsKeychain, vaultNamespaceFor, type OsKeychainProbe } from './os-keychain-vault.ts';

// CI runs this under dbus-run-session + gnome-keyring-daemon and sets TILL_REQUIRE_KEYCHAIN=1 so a
// missing keychain fails there instead of quietly testing only the "unavailable" path.
const requireKeychain = process.env.TILL_REQUIRE_KEYCHAIN === '1';

let probe: OsKeychainProbe;
let dataDir: string;
beforeAll(async () => {
  probe = await probeOsKeychain();
  dataDir = await mkdtemp(join(tmpdir(), 'till-keychain-'));
  if (!probe.usable) console.log(`OS keychain tests: keychain not usable here, testing the refusal path. ${probe.reason}`);
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('vaultNamespaceFor', () => {
  it('is a short hex digest that differs between data dirs and ignores path spelling', () => {
    expect(vaultNamespaceFor('/data/a')).toMatch(/^[0-9a-f]{16}$/);
    expect(vaultNamespaceFor('/data/a')).not.toBe(vaultNamespaceFor('/data/b'));
    expect(vaultNamespaceFor('/data/x/../a/')).toBe(vaultNamespaceFor('/data/a'));
  });
});

describe('OS keychain vault', () => {
  it('keychain availability matches what this run requires', () => {
    if (requireKeychain) expect(probe, 'TILL_REQUIRE_KEYCHAIN=1 but the OS keychain is not usable').toEqual({ usable: true });
  });

  it('round trip when usable; otherwise a clear refusal with VAULT_UNAVAILABLE', async () => {
    if (probe.usable) {
      // A fresh namespace per run: never touches a real user's entries.
      const vault = createOsKeychainVault({ service: 'till-test', namespace: `test-${randomUUID().slice(0, 8)}` });
      const other = createOsKeychainVault({ service: 'till-test', namespace: `test-${randomUUID().slice(0, 8)}` });
      try {
        expect(vault.kind).toBe('os');
        expect(await vault.getSecret('wallet')).toBeNull();
        await vault.setSecret('wallet', 'first value');
        await vault.setSecret('wallet', 'second value ✓');
        expect(await vault.getSecret('wallet')).toBe('second value ✓');
        expect(await other.getSecret('wallet')).toBeNull();
        await vault.deleteSecret('wallet');
        expect(await vault.getSecret('wallet')).toBeNull();
        await vault.deleteSecret('wallet');
      } finally {
        await vault.deleteSecret('wallet').catch(() => undefined);
      }
    } else {
      expect(probe.reason).toMatch(/keychain is not usable/);
      expect(probe.reason).toContain('--keystore file');
      if (process.platform === 'linux') expect(probe.reason).toMatch(/Secret Service/);
      const error = await openVault({ keystore: 'os', dataDir }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TillError);
      expect(error).toMatchObject({ code: 'VAULT_UNAVAILABLE', message: expect.stringContaining('--keystore file') });
    }
  });

  it('openVault auto: keychain when usable (marked on first write), else the passphrase file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'till-auto-'));
    try {
      const vault = await openVault({ keystore: 'auto', dataDir: dir, passphrase: async () => 'correct horse' });
      expect(vault.kind).toBe(probe.usable ? 'os' : 'file');
      expect(await detectExistingKeystore(dir)).toBeNull();
      await vault.setSecret('test-auto', 'value');
      try {
        expect(await detectExistingKeystore(dir)).toBe(vault.kind);
        if (vault.kind === 'os') expect((await stat(join(dir, OS_KEYCHAIN_MARKER_NAME))).isFile()).toBe(true);
        const again = await openVault({ keystore: 'auto', dataDir: dir, passphrase: async () => 'correct horse' });
        expect(again.kind).toBe(vault.kind);
        expect(await again.getSecret('test-auto')).toBe('value');
      } finally {
        await vault.deleteSecret('test-auto');
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
