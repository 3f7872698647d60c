import { createHash, randomBytes } from 'node:crypto';
import type { ApiKeyInfo, ApiKeyScope } from '../../../shared/domain.ts';
import type { Store } from '../db/store.ts';
import type { Clock } from '../lib/clock.ts';
import { isoTime } from '../lib/clock.ts';
import { TillError } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';

const KEY_PREFIX = 'till_sk_';

/** SHA-256 is right for API keys (unlike passwords): they are 256 random bits, nothing to brute-force. */
export const hashApiKey = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export function createApiKey(
  store: Store,
  clock: Clock,
  input: { name: string; scopes: ApiKeyScope[] },
): { apiKey: ApiKeyInfo; secret: string } {
  const secret = KEY_PREFIX + randomBytes(32).toString('base64url');
  const scopes = [...new Set(input.scopes)];
  const apiKey = store.apiKeys.insert({
    id: newId('key', 12),
    name: input.name,
    prefix: secret.slice(0, KEY_PREFIX.length + 6),
    hash: hashApiKey(secret),
    scopes,
    createdAt: isoTime(clock.now()),
  });
  return { apiKey, secret };
}

export function revokeApiKey(store: Store, clock: Clock, id: string): ApiKeyInfo {
  const existing = store.apiKeys.get(id);
  if (!existing) throw new TillError('API_KEY_NOT_FOUND', `No API key with id ${id}. List them with: till apikey list`);
  store.apiKeys.revoke(id, isoTime(clock.now()));
  return store.apiKeys.get(id)!;
}

/** The key behind a bearer secret, if it exists and is not revoked. */
export function authenticateApiKey(store: Store, secret: string): ApiKeyInfo | undefined {
  if (!secret.startsWith(KEY_PREFIX) || secret.length > 200) return undefined;
  const key = store.apiKeys.findByHash(hashApiKey(secret));
  return key && key.revokedAt === null ? key : undefined;
}

/** admin implies every other scope. */
export const hasScope = (key: ApiKeyInfo, scope: ApiKeyScope): boolean =>
  key.scopes.includes(scope) || key.scopes.includes('admin');
