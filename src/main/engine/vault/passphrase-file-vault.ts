import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { TillError } from '../lib/errors.ts';
import { assertSecretName, type KeyVault } from './key-vault.ts';

/*
 * File format, version 1 (all binary fields base64):
 *   { format: 'till-vault', version: 1,
 *     kdf: { name: 'scrypt', N, r, p, salt },
 *     verifier,                                  HMAC-SHA256(verifier key, VERIFIER_LABEL)
 *     cipher: { name: 'aes-256-gcm', iv, tag },
 *     ciphertext,                                AES-256-GCM of {"secrets":{name:value}}
 *     checksum }                                 SHA-256 over every other field
 *
 * scrypt yields 64 bytes: the first 32 are the AES key, the last 32 key the verifier. The verifier
 * lets a wrong passphrase be told apart from a damaged file: with the right passphrase it matches
 * and a GCM failure then means the ciphertext was altered. The unkeyed checksum catches accidental
 * damage (bit rot, truncation, a hand edit) to any field, including the KDF parameters whose
 * alteration would otherwise look like a wrong passphrase. It is no defence against a deliberate
 * edit; GCM (with the header as AAD) and the verifier are. The verifier costs an attacker nothing
 * they do not already have: trying a passphrase against GCM costs the same scrypt.
 *
 * The salt is kept across rewrites (only the IV is fresh each time), so one scrypt per vault
 * instance suffices.
 */
const FORMAT = 'till-vault';
const VERSION = 1;
const DEFAULT_KDF = { N: 2 ** 17, r: 8, p: 1 } as const;
// Bounds keep a damaged or hostile file from asking for gigabytes of memory.
const MIN_LOG2_N = 14;
const MAX_LOG2_N = 20;
const VERIFIER_LABEL = 'till-vault/v1 passphrase verifier';
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;

const bytes = (min: number, max = min) =>
  z
    .base64()
    .transform((text) => Buffer.from(text, 'base64'))
    .refine((buffer) => buffer.length >= min && buffer.length <= max, {
      message: min === max ? `must be ${min} bytes` : `must be ${min}-${max} bytes`,
    });

const vaultFileV1Schema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(VERSION),
  kdf: z.object({
    name: z.literal('scrypt'),
    N: z
      .number()
      .int()
      .refine((n) => Number.isInteger(Math.log2(n)) && Math.log2(n) >= MIN_LOG2_N && Math.log2(n) <= MAX_LOG2_N, {
        message: `must be a power of two between 2^${MIN_LOG2_N} and 2^${MAX_LOG2_N}`,
      }),
    r: z.number().int().min(1).max(32),
    p: z.number().int().min(1).max(16),
    salt: bytes(SALT_BYTES, 64),
  }),
  verifier: bytes(32),
  cipher: z.object({ name: z.literal('aes-256-gcm'), iv: bytes(IV_BYTES), tag: bytes(TAG_BYTES) }),
  ciphertext: bytes(0, 16 * 1024 * 1024),
  checksum: bytes(32),
});
type VaultFileV1 = z.output<typeof vaultFileV1Schema>;
type KdfParams = VaultFileV1['kdf'];

const plaintextSchema = z.object({ secrets: z.record(z.string(), z.string()) });

interface DerivedKeys {
  encryptionKey: Buffer;
  verifier: Buffer;
}

export interface PassphraseFileVaultOptions {
  /** The vault file, conventionally `<dataDir>/keystore.till-vault`. */
  path: string;
  passphrase: string;
}

function headerAad(kdf: KdfParams, iv: Buffer): Buffer {
  return Buffer.from(
    JSON.stringify([
      FORMAT,
      VERSION,
      kdf.name,
      kdf.N,
      kdf.r,
      kdf.p,
      kdf.salt.toString('base64'),
      'aes-256-gcm',
      iv.toString('base64'),
    ]),
  );
}

function checksumOf(file: { kdf: KdfParams; verifier: Buffer; cipher: { iv: Buffer; tag: Buffer }; ciphertext: Buffer }): Buffer {
  const body = JSON.stringify([
    headerAad(file.kdf, file.cipher.iv).toString(),
    file.verifier.toString('base64'),
    file.cipher.tag.toString('base64'),
    file.ciphertext.toString('base64'),
  ]);
  return createHash('sha256').update(body).digest();
}

function deriveKeys(passphrase: string, kdf: KdfParams): Promise<DerivedKeys> {
  return new Promise((resolve, reject) => {
    // scrypt needs 128 * N * r bytes; Node's default maxmem (32 MiB) is below what N = 2^17 needs.
    const maxmem = 128 * kdf.N * kdf.r + 16 * 1024 * 1024;
    scrypt(passphrase, kdf.salt, 64, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem }, (error, key) => {
      if (error) return reject(error);
      const encryptionKey = Buffer.from(key.subarray(0, 32));
      const verifier = createHmac('sha256', key.subarray(32)).update(VERIFIER_LABEL).digest();
      key.fill(0);
      resolve({ encryptionKey, verifier });
    });
  });
}

/**
 * A vault kept in one passphrase-encrypted file. A missing file is an empty vault; the file is
 * created on the first `setSecret`. Every write replaces the file atomically with mode 0600.
 * Within one process operations are serialized; two processes writing the same file at once are
 * not coordinated (the last rename wins).
 *
 * @example
 * const vault = createPassphraseFileVault({ path: join(dataDir, 'keystore.till-vault'), passphrase });
 * await vault.setSecret('wallet', encoded);
 */
export function createPassphraseFileVault(options: PassphraseFileVaultOptions): KeyVault {
  const { path } = options;
  if (options.passphrase.trim() === '') {
    throw new TillError(
      'VAULT_LOCKED',
      'The keystore passphrase is empty. Choose a non-empty passphrase (set TILL_PASSPHRASE or type it when asked).',
    );
  }
  // NFKC so the same passphrase typed on another keyboard or OS gives the same bytes.
  const passphrase = options.passphrase.normalize('NFKC');

  let cachedKeys: { id: string; keys: Promise<DerivedKeys> } | undefined;
  function keysFor(kdf: KdfParams): Promise<DerivedKeys> {
    const id = `${kdf.N}:${kdf.r}:${kdf.p}:${kdf.salt.toString('base64')}`;
    if (cachedKeys?.id !== id) {
      const keys = deriveKeys(passphrase, kdf);
      cachedKeys = { id, keys };
      keys.catch(() => {
        if (cachedKeys?.keys === keys) cachedKeys = undefined;
      });
    }
    return cachedKeys.keys;
  }

  const corrupt = (detail: string, cause?: unknown): TillError =>
    new TillError(
      'VAULT_FILE_CORRUPT',
      `The keystore file ${path} is damaged (${detail}). Restore it from a backup, or move it aside and ` +
        're-import your wallet from its recovery phrase.',
      { cause },
    );

  function parseFile(text: string): VaultFileV1 {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw corrupt('it is not valid JSON; it may have been truncated', error);
    }
    if (typeof json !== 'object' || json === null || (json as { format?: unknown }).format !== FORMAT) {
      throw corrupt(`it is not a Till keystore: "format" is not "${FORMAT}"`);
    }
    const version = (json as { version?: unknown }).version;
    if (version !== VERSION) {
      const newer = typeof version === 'number' && Number.isInteger(version) && version > VERSION;
      throw new TillError(
        'VAULT_FORMAT_UNSUPPORTED',
        newer
          ? `The keystore file ${path} has format version ${version}, written by a newer Till. Update Till to open it.`
          : `The keystore file ${path} has format version ${JSON.stringify(version)}, which Till does not know. ` +
              'Restore the file from a backup, or re-import your wallet from its recovery phrase.',
      );
    }
    const parsed = vaultFileV1Schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue === undefined ? 'file' : issue.path.join('.') || 'file';
      throw corrupt(`field "${where}" is missing or invalid`);
    }
    const { checksum, ...body } = parsed.data;
    if (!timingSafeEqual(checksum, checksumOf(body))) throw corrupt('its checksum does not match its contents');
    return parsed.data;
  }

  async function readSecrets(): Promise<{ secrets: Record<string, string>; kdf: KdfParams } | null> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new TillError(
        'VAULT_UNAVAILABLE',
        `Till could not read the keystore file ${path} (${(error as Error).message}). Check that it exists and that Till may read it.`,
        { cause: error },
      );
    }
    const file = parseFile(text);
    const keys = await keysFor(file.kdf);
    if (!timingSafeEqual(keys.verifier, file.verifier)) {
      throw new TillError(
        'VAULT_PASSPHRASE_WRONG',
        `The passphrase does not unlock the keystore file ${path}. Check the passphrase (TILL_PASSPHRASE or what you typed) and try again.`,
      );
    }
    let plaintext: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', keys.encryptionKey, file.cipher.iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(headerAad(file.kdf, file.cipher.iv));
      decipher.setAuthTag(file.cipher.tag);
      plaintext = Buffer.concat([decipher.update(file.ciphertext), decipher.final()]);
    } catch (error) {
      // The passphrase is right (the verifier matched), so only the data can be at fault.
      throw corrupt('its encrypted contents were modified', error);
    }
    try {
      const secrets = plaintextSchema.parse(JSON.parse(plaintext.toString('utf8'))).secrets;
      return { secrets: { ...secrets }, kdf: file.kdf };
    } catch {
      // No cause: it could quote the decrypted secrets.
      throw corrupt('its decrypted contents are not a secret map');
    } finally {
      plaintext.fill(0);
    }
  }

  async function writeSecrets(secrets: Record<string, string>, existingKdf: KdfParams | undefined): Promise<void> {
    const kdf: KdfParams = existingKdf ?? { name: 'scrypt', ...DEFAULT_KDF, salt: randomBytes(SALT_BYTES) };
    const keys = await keysFor(kdf);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', keys.encryptionKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(headerAad(kdf, iv));
    const plaintext = Buffer.from(JSON.stringify({ secrets }), 'utf8');
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    plaintext.fill(0);
    const body = {
      format: FORMAT,
      version: VERSION,
      kdf,
      verifier: keys.verifier,
      cipher: { name: 'aes-256-gcm', iv, tag: cipher.getAuthTag() },
      ciphertext,
    } as const;
    const checksum = checksumOf(body);
    const b64 = (buffer: Buffer) => buffer.toString('base64');
    const text = JSON.stringify(
      {
        format: FORMAT,
        version: VERSION,
        kdf: { name: kdf.name, N: kdf.N, r: kdf.r, p: kdf.p, salt: b64(kdf.salt) },
        verifier: b64(body.verifier),
        cipher: { name: body.cipher.name, iv: b64(iv), tag: b64(body.cipher.tag) },
        ciphertext: b64(ciphertext),
        checksum: b64(checksum),
      },
      null,
      2,
    );
    await writeFileAtomically(path, `${text}\n`);
  }

  let queue: Promise<unknown> = Promise.resolve();
  function serialized<T>(operation: () => Promise<T>): Promise<T> {
    const run = queue.then(operation, operation);
    queue = run.catch(() => undefined);
    return run;
  }

  return {
    kind: 'file',
    getSecret(name) {
      assertSecretName(name);
      return serialized(async () => {
        const current = await readSecrets();
        return current !== null && Object.hasOwn(current.secrets, name) ? (current.secrets[name] ?? null) : null;
      });
    },
    setSecret(name, value) {
      assertSecretName(name);
      return serialized(async () => {
        const current = await readSecrets();
        await writeSecrets({ ...current?.secrets, [name]: value }, current?.kdf);
      });
    },
    deleteSecret(name) {
      assertSecretName(name);
      return serialized(async () => {
        const current = await readSecrets();
        if (current === null || !Object.hasOwn(current.secrets, name)) return;
        const { [name]: _removed, ...rest } = current.secrets;
        await writeSecrets(rest, current.kdf);
      });
    },
  };
}

/**
 * temp file in the same directory + fsync + rename + fsync of the directory: after a crash the
 * path holds either the old or the new vault, never a torn one.
 */
async function writeFileAtomically(path: string, text: string): Promise<void> {
  const directory = dirname(path);
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const temporary = join(directory, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new TillError(
      'VAULT_UNAVAILABLE',
      `Till could not write the keystore file ${path} (${(error as Error).message}). Check that the folder exists, is writable and the disk is not full.`,
      { cause: error },
    );
  }
  await syncDirectory(directory);
}

async function syncDirectory(directory: string): Promise<void> {
  // Directories cannot be opened for fsync on Windows; the rename is still atomic there.
  if (process.platform === 'win32') return;
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
