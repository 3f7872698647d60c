import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TillError } from '../lib/errors.ts';
import { createPassphraseFileVault } from './passphrase-file-vault.ts';

const MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow';

let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'till-vault-'));
  path = join(dir, 'keystore.till-vault');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TillError);
    return { code: (error as TillError).code, message: (error as TillError).message };
  }
  throw new Error('expected a TillError');
}

interface VaultFileJson {
  format: string;
  version: unknown;
  kdf: { name: string; N: number; r: number; p: number; salt: string };
  verifier: string;
  cipher: { name: string; iv: string; tag: string };
  ciphertext: string;
  checksum: string;
}

async function editFile(edit: (file: VaultFileJson) => void): Promise<void> {
  const file = JSON.parse(await readFile(path, 'utf8'));
  edit(file);
  await writeFile(path, JSON.stringify(file));
}

function flipBase64(value: string): string {
  const bytes = Buffer.from(value, 'base64');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  return bytes.toString('base64');
}

async function recomputeChecksum(): Promise<void> {
  // Mirrors the format's checksum so tests can reach the checks behind it.
  const { createHash } = await import('node:crypto');
  await editFile((file) => {
    const aad = JSON.stringify([
      file.format,
      file.version,
      file.kdf.name,
      file.kdf.N,
      file.kdf.r,
      file.kdf.p,
      file.kdf.salt,
      file.cipher.name,
      file.cipher.iv,
    ]);
    const body = JSON.stringify([aad, file.verifier, file.cipher.tag, file.ciphertext]);
    file.checksum = createHash('sha256').update(body).digest('base64');
  });
}

describe('passphrase file vault', () => {
  it('missing file: reads as empty and is created on first write', async () => {
    const vault = createPassphraseFileVault({ path, passphrase: 'correct horse' });
    expect(vault.kind).toBe('file');
    expect(await vault.getSecret('wallet')).toBeNull();
    await vault.deleteSecret('wallet');
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    await vault.setSecret('wallet', MNEMONIC);
    expect((await stat(path)).isFile()).toBe(true);
  });

  it('round trip: a new instance with the same passphrase reads what was written', async () => {
    const writer = createPassphraseFileVault({ path, passphrase: 'correct horse' });
    await writer.setSecret('wallet', MNEMONIC);
    await writer.setSecret('webhook.1', 'whsec_abc');
    await writer.setSecret('wallet', `${MNEMONIC} (replaced)`);
    await writer.deleteSecret('webhook.1');

    const reader = createPassphraseFileVault({ path, passphrase: 'correct horse' });
    expect(await reader.getSecret('wallet')).toBe(`${MNEMONIC} (replaced)`);
    expect(await reader.getSecret('webhook.1')).toBeNull();
    expect(await reader.getSecret('constructor')).toBeNull();
  });

  it('concurrent writes from one instance are all kept', async () => {
    const vault = createPassphraseFileVault({ path, passphrase: 'correct horse' });
    await Promise.all(Array.from({ length: 8 }, (_, i) => vault.setSecret(`s${i}`, `v${i}`)));
    const values = await Promise.all(Array.from({ length: 8 }, (_, i) => vault.getSecret(`s${i}`)));
    expect(values).toEqual(Array.from({ length: 8 }, (_, i) => `v${i}`));
  });

  it('file on disk: never holds the secret in plaintext, mode 0600, fresh IV per write, same salt', async () => {
    const vault = createPassphraseFileVault({ path, passphrase: 'correct horse' });
    await vault.setSecret('wallet', MNEMONIC);
    const first = await readFile(path, 'utf8');
    await vault.setSecret('wallet', MNEMONIC);
    const second = await readFile(path, 'utf8');

    for (const text of [first, second]) {
      expect(text).not.toContain('legal');
      expect(text).not.toContain('yellow');
      expect(text).not.toContain(Buffer.from(MNEMONIC).toString('base64').slice(0, 16));
    }
    const a = JSON.parse(first);
    const b = JSON.parse(second);
    expect(a).toMatchObject({
      format: 'till-vault',
      version: 1,
      kdf: { name: 'scrypt', N: 2 ** 17, r: 8, p: 1 },
      cipher: { name: 'aes-256-gcm' },
    });
    expect(b.cipher.iv).not.toBe(a.cipher.iv);
    expect(b.kdf.salt).toBe(a.kdf.salt);
    if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('empty passphrase: refused up front', () => {
    for (const passphrase of ['', '   ']) {
      expect(() => createPassphraseFileVault({ path, passphrase })).toThrow(
        expect.objectContaining({ code: 'VAULT_LOCKED', message: expect.stringContaining('passphrase is empty') }),
      );
    }
  });

  it('wrong passphrase: VAULT_PASSPHRASE_WRONG, and the file is left untouched', async () => {
    await createPassphraseFileVault({ path, passphrase: 'correct horse' }).setSecret('wallet', MNEMONIC);
    const before = await readFile(path, 'utf8');
    const wrong = createPassphraseFileVault({ path, passphrase: 'correct hose' });
    const error = await codeOf(wrong.getSecret('wallet'));
    expect(error.code).toBe('VAULT_PASSPHRASE_WRONG');
    expect(error.message).toContain('passphrase does not unlock');
    expect((await codeOf(wrong.setSecret('other', 'x'))).code).toBe('VAULT_PASSPHRASE_WRONG');
    expect(await readFile(path, 'utf8')).toBe(before);
  });

  it('passphrase is compared after Unicode normalization', async () => {
    await createPassphraseFileVault({ path, passphrase: 'caf\u00e9' }).setSecret('wallet', MNEMONIC);
    expect(await createPassphraseFileVault({ path, passphrase: 'cafe\u0301' }).getSecret('wallet')).toBe(MNEMONIC);
  });

  describe('damaged file', () => {
    beforeEach(async () => {
      await createPassphraseFileVault({ path, passphrase: 'correct horse' }).setSecret('wallet', MNEMONIC);
    });
    const open = () => createPassphraseFileVault({ path, passphrase: 'correct horse' }).getSecret('wallet');

    it.each([
      ['ciphertext', (f: VaultFileJson) => void (f.ciphertext = flipBase64(f.ciphertext))],
      ['tag', (f: VaultFileJson) => void (f.cipher.tag = flipBase64(f.cipher.tag))],
      ['iv', (f: VaultFileJson) => void (f.cipher.iv = flipBase64(f.cipher.iv))],
      ['salt', (f: VaultFileJson) => void (f.kdf.salt = flipBase64(f.kdf.salt))],
      ['N', (f: VaultFileJson) => void (f.kdf.N = 2 ** 16)],
      ['verifier', (f: VaultFileJson) => void (f.verifier = flipBase64(f.verifier))],
    ])('%s altered by accident (checksum not updated): VAULT_FILE_CORRUPT', async (_field, edit) => {
      await editFile(edit);
      const error = await codeOf(open());
      expect(error.code).toBe('VAULT_FILE_CORRUPT');
      expect(error.message).toContain('checksum does not match');
    });

    it.each([
      ['ciphertext', (f: VaultFileJson) => void (f.ciphertext = flipBase64(f.ciphertext))],
      ['tag', (f: VaultFileJson) => void (f.cipher.tag = flipBase64(f.cipher.tag))],
      ['iv (bound as AAD)', (f: VaultFileJson) => void (f.cipher.iv = flipBase64(f.cipher.iv))],
    ])('%s altered with the checksum recomputed: GCM rejects it as VAULT_FILE_CORRUPT', async (_field, edit) => {
      await editFile(edit);
      await recomputeChecksum();
      const error = await codeOf(open());
      expect(error.code).toBe('VAULT_FILE_CORRUPT');
      expect(error.message).toContain('encrypted contents were modified');
    });

    it('KDF salt altered with the checksum recomputed: indistinguishable from a wrong passphrase', async () => {
      await editFile((f) => void (f.kdf.salt = flipBase64(f.kdf.salt)));
      await recomputeChecksum();
      expect((await codeOf(open())).code).toBe('VAULT_PASSPHRASE_WRONG');
    });

    it.each([
      ['truncated', (text: string) => text.slice(0, text.length / 2), 'not valid JSON'],
      ['emptied', () => '', 'not valid JSON'],
      ['not a Till keystore', () => '{"hello":"world"}', 'not a Till keystore'],
      ['missing a field', (text: string) => JSON.stringify({ ...JSON.parse(text), verifier: undefined }), 'field "verifier"'],
      [
        'bad base64',
        (text: string) => JSON.stringify({ ...JSON.parse(text), ciphertext: '@@not base64@@' }),
        'field "ciphertext"',
      ],
      [
        'absurd scrypt cost',
        (text: string) => JSON.stringify({ ...JSON.parse(text), kdf: { ...JSON.parse(text).kdf, N: 2 ** 30 } }),
        'field "kdf.N"',
      ],
    ])('%s: VAULT_FILE_CORRUPT naming the problem', async (_case, edit, expected) => {
      await writeFile(path, edit(await readFile(path, 'utf8')));
      const error = await codeOf(open());
      expect(error.code).toBe('VAULT_FILE_CORRUPT');
      expect(error.message).toContain(expected);
      expect(error.message).toContain(path);
    });

    it('a later format version: VAULT_FORMAT_UNSUPPORTED asking for a newer Till', async () => {
      await editFile((f) => void (f.version = 2));
      const error = await codeOf(open());
      expect(error.code).toBe('VAULT_FORMAT_UNSUPPORTED');
      expect(error.message).toContain('newer Till');
    });

    it('an unknown version value: VAULT_FORMAT_UNSUPPORTED', async () => {
      await editFile((f) => void (f.version = 'one'));
      expect((await codeOf(open())).code).toBe('VAULT_FORMAT_UNSUPPORTED');
    });
  });
});
