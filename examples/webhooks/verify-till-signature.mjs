// Verifies a Till webhook: the Till-Signature header against the raw request body.
// Copy this file into your shop's backend (Node 18+, no dependencies). See docs/WEBHOOKS.md.
import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Returns the parsed event when the signature is valid and fresh; throws an Error saying why not.
 * `rawBody`: the body exactly as received (string or Buffer) — not re-serialized JSON.
 * `header`: the Till-Signature header. `secret`: your endpoint's whsec_… secret.
 */
export function verifyTillWebhook(rawBody, header, secret, { toleranceSeconds = 300, now = Date.now() } = {}) {
  if (typeof header !== 'string' || header === '') throw new Error('no Till-Signature header');
  let timestamp = null;
  const signatures = [];
  for (const part of header.split(',')) {
    const [key, value] = part.split('=', 2);
    if (key === 't') timestamp = value;
    if (key === 'v1' && /^[0-9a-f]{64}$/.test(value ?? '')) signatures.push(Buffer.from(value, 'hex'));
  }
  if (!timestamp || !/^\d+$/.test(timestamp)) throw new Error('Till-Signature has no timestamp');
  if (Math.abs(now / 1000 - Number(timestamp)) > toleranceSeconds)
    throw new Error('Till-Signature timestamp is too old or in the future');
  const body = Buffer.isBuffer(rawBody) ? rawBody.toString('utf8') : String(rawBody);
  const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest();
  // During a secret rotation the header carries one v1= per active secret: one match is enough.
  if (!signatures.some((signature) => timingSafeEqual(signature, expected))) throw new Error('Till-Signature does not match');
  return JSON.parse(body);
}
