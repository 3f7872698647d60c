import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../../../test/fixtures/engine.ts';
import { openDatabase } from '../db/connection.ts';
import { createStore, type Store } from '../db/store.ts';
import { isoTime } from '../lib/clock.ts';
import type { KeyVault } from '../vault/key-vault.ts';
import { createWebhookSecretBox, generateWebhookSecret } from './webhook-secrets.ts';

const NOW = Date.parse('2026-11-25T10:00:00.000Z');
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

/** An in-memory vault; `gate` (when set) holds every setSecret until it resolves. */
function memoryVault(): KeyVault & { entries: Map<string, string>; gate?: Promise<void> } {
  const entries = new Map<string, string>();
  const vault = {
    kind: 'file' as const,
    entries,
    gate: undefined as Promise<void> | undefined,
    async getSecret(name: string) {
      return entries.get(name) ?? null;
    },
    async setSecret(name: string, value: string) {
      await vault.gate;
      entries.set(name, value);
    },
    async deleteSecret(name: string) {
      entries.delete(name);
    },
  };
  return vault;
}

/** One data dir; each call opens another connection to it, as another process would. */
function dataDir() {
  const data = tempDataDir('till-whsec-');
  const stores: Store[] = [];
  cleanups.push(() => {
    for (const store of stores) store.db.close();
    data.cleanup();
  });
  return {
    open(): Store {
      const store = createStore(openDatabase({ path: join(data.dir, 'till.db') }));
      stores.push(store);
      return store;
    },
  };
}

function addEndpoint(store: Store, id: string): void {
  store.webhookEndpoints.insert(
    { id, url: 'http://127.0.0.1:1/till', description: '', events: ['*'], enabled: true, maxConcurrency: 4, source: 'app' },
    isoTime(NOW),
  );
}

describe('webhook secret box', () => {
  it('seals a secret so only the vault key opens it, and a fresh process reads it back', async () => {
    const dir = dataDir();
    const store = dir.open();
    const vault = memoryVault();
    addEndpoint(store, 'whe_a');
    const box = createWebhookSecretBox({ store, vault: async () => vault });
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);

    const sealed = await box.seal('whe_a', secret, NOW);
    store.webhookSecrets.insert(sealed);
    expect(sealed.ciphertext).toMatch(/^v1\./);
    expect(sealed.ciphertext).not.toContain(secret.slice(6));
    expect(sealed.hint).toBe(`…${secret.slice(-4)}`);
    expect(await box.activeSecrets('whe_a', NOW)).toEqual([secret]);

    // Another process: no plaintext cache, the key comes from the vault.
    const fresh = createWebhookSecretBox({ store: dir.open(), vault: async () => vault });
    expect(fresh.ready()).toBe(false);
    expect(await fresh.activeSecrets('whe_a', NOW)).toEqual([secret]);
    expect(fresh.ready()).toBe(true);
    expect([...vault.entries.keys()]).toEqual([`webhook-key.${store.settings.get('webhook_key_id')!.toLowerCase()}`]);
  });

  it('refuses a damaged ciphertext and a vault that lost the key, with codes the UI keys on', async () => {
    const dir = dataDir();
    const store = dir.open();
    const vault = memoryVault();
    addEndpoint(store, 'whe_a');
    const box = createWebhookSecretBox({ store, vault: async () => vault });
    const sealed = await box.seal('whe_a', generateWebhookSecret(), NOW);
    const flipped = sealed.ciphertext.slice(0, -2) + (sealed.ciphertext.at(-2) === 'A' ? 'B' : 'A') + sealed.ciphertext.at(-1);
    store.webhookSecrets.insert({ ...sealed, ciphertext: flipped });
    const reader = createWebhookSecretBox({ store: dir.open(), vault: async () => vault });
    await expect(reader.activeSecrets('whe_a', NOW)).rejects.toMatchObject({ code: 'VAULT_FILE_CORRUPT' });

    vault.entries.clear();
    const lost = createWebhookSecretBox({ store: dir.open(), vault: async () => vault });
    await expect(lost.activeSecrets('whe_a', NOW)).rejects.toMatchObject({ code: 'VAULT_UNAVAILABLE' });
  });

  it('after a restore onto a keystore without the key, a new secret starts a new key and drops the unreadable ones', async () => {
    const dir = dataDir();
    const store = dir.open();
    addEndpoint(store, 'whe_a');
    addEndpoint(store, 'whe_b');
    const oldComputer = createWebhookSecretBox({ store, vault: async () => memoryVault() });
    for (const endpoint of ['whe_a', 'whe_b'])
      store.webhookSecrets.insert(await oldComputer.seal(endpoint, generateWebhookSecret(), NOW));
    const oldKeyId = store.settings.get('webhook_key_id');

    const newVault = memoryVault();
    const restored = createWebhookSecretBox({ store: dir.open(), vault: async () => newVault });
    await expect(restored.activeSecrets('whe_a', NOW)).rejects.toMatchObject({
      code: 'VAULT_UNAVAILABLE',
      message: expect.stringContaining('Rotate'),
    });
    const rotated = generateWebhookSecret();
    store.webhookSecrets.insert(await restored.seal('whe_a', rotated, NOW));
    expect(store.settings.get('webhook_key_id')).not.toBe(oldKeyId);
    expect(await restored.activeSecrets('whe_a', NOW)).toEqual([rotated]);
    // whe_b's old secret could never be opened here: it is gone, not a decryption error at each delivery.
    expect(await restored.activeSecrets('whe_b', NOW)).toEqual([]);
    const another = createWebhookSecretBox({ store: dir.open(), vault: async () => newVault });
    expect(await another.activeSecrets('whe_a', NOW)).toEqual([rotated]);
  });

  it('two processes creating the key at once end up with one key, and each opens what the other sealed', async () => {
    const dir = dataDir();
    const [storeA, storeB] = [dir.open(), dir.open()];
    addEndpoint(storeA, 'whe_a');
    addEndpoint(storeA, 'whe_b');
    const vault = memoryVault();
    // Hold both vault writes until both boxes have made their own key: the worst interleaving.
    let release!: () => void;
    vault.gate = new Promise<void>((resolve) => (release = resolve));
    const boxA = createWebhookSecretBox({ store: storeA, vault: async () => vault });
    const boxB = createWebhookSecretBox({ store: storeB, vault: async () => vault });
    const secretA = generateWebhookSecret();
    const secretB = generateWebhookSecret();
    const sealing = Promise.all([boxA.seal('whe_a', secretA, NOW), boxB.seal('whe_b', secretB, NOW)]);
    await new Promise((resolve) => setImmediate(resolve));
    release();
    const [sealedA, sealedB] = await sealing;
    storeA.webhookSecrets.insert(sealedA);
    storeB.webhookSecrets.insert(sealedB);

    const keyId = storeA.settings.get('webhook_key_id')!;
    expect([...vault.entries.keys()]).toEqual([`webhook-key.${keyId.toLowerCase()}`]);
    const third = createWebhookSecretBox({ store: dir.open(), vault: async () => vault });
    expect(await third.activeSecrets('whe_a', NOW)).toEqual([secretA]);
    expect(await third.activeSecrets('whe_b', NOW)).toEqual([secretB]);
    // And each racer reads the other's secret with the key it kept.
    expect(await boxA.activeSecrets('whe_b', NOW)).toEqual([secretB]);
    expect(await boxB.activeSecrets('whe_a', NOW)).toEqual([secretA]);
  });

  it('during a rotation both secrets sign, newest first; after the overlap only the new one', async () => {
    const dir = dataDir();
    const store = dir.open();
    const vault = memoryVault();
    addEndpoint(store, 'whe_a');
    const box = createWebhookSecretBox({ store, vault: async () => vault });
    const [old, next] = [generateWebhookSecret(), generateWebhookSecret()];
    store.webhookSecrets.insert(await box.seal('whe_a', old, NOW));
    store.webhookSecrets.expireCurrent('whe_a', isoTime(NOW + 3_600_000));
    store.webhookSecrets.insert(await box.seal('whe_a', next, NOW + 1));
    expect(await box.activeSecrets('whe_a', NOW + 1)).toEqual([next, old]);
    expect(await box.activeSecrets('whe_a', NOW + 3_600_000)).toEqual([next]);
  });

  it('keeps an endpoint’s secrets between sends, and sees a rotation at once: its own, another process’s, a drop', async () => {
    const dir = dataDir();
    const store = dir.open();
    const vault = memoryVault();
    addEndpoint(store, 'whe_a');
    const box = createWebhookSecretBox({ store, vault: async () => vault });
    const first = generateWebhookSecret();
    store.webhookSecrets.insert(await box.seal('whe_a', first, NOW));
    expect(await box.activeSecrets('whe_a', NOW)).toEqual([first]);

    // Another process (the CLI) rotates with a one-hour overlap through its own connection.
    const cli = dir.open();
    const second = generateWebhookSecret();
    const cliBox = createWebhookSecretBox({ store: cli, vault: async () => vault });
    const sealed = await cliBox.seal('whe_a', second, NOW + 1);
    cli.write(() => {
      cli.webhookSecrets.expireCurrent('whe_a', isoTime(NOW + 3_600_000));
      cli.webhookSecrets.insert(sealed);
    });
    expect(await box.activeSecrets('whe_a', NOW + 2)).toEqual([second, first]);
    // The overlap ends by the clock alone.
    expect(await box.activeSecrets('whe_a', NOW + 3_600_000)).toEqual([second]);

    // This process rotates without overlap, then drops what expired.
    const third = generateWebhookSecret();
    const sealedThird = await box.seal('whe_a', third, NOW + 3_600_001);
    store.write(() => {
      store.webhookSecrets.expireAll('whe_a', isoTime(NOW + 3_600_001));
      store.webhookSecrets.insert(sealedThird);
    });
    expect(await box.activeSecrets('whe_a', NOW + 3_600_001)).toEqual([third]);
    expect(store.webhookSecrets.dropExpired(isoTime(NOW + 3_600_002))).toBe(2);
    expect(await box.activeSecrets('whe_a', NOW + 3_600_002)).toEqual([third]);
  });
});
