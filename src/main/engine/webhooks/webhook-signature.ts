import { createHmac } from 'node:crypto';

/**
 * `Till-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, with one
 * `v1=` per active secret while a rotation overlaps. The key is the whole secret string as
 * UTF-8, `whsec_` prefix included. Receivers verify with examples/webhooks/verify-till-signature.mjs
 * (docs/WEBHOOKS.md).
 *
 * @example
 * signatureHeader(['whsec_…'], 1764590400, '{"id":"evt_…"}') // 't=1764590400,v1=5f0c…'
 */
export function signatureHeader(secrets: string[], timestampSeconds: number, body: string): string {
  const signed = `${timestampSeconds}.${body}`;
  return [
    `t=${timestampSeconds}`,
    ...secrets.map((secret) => `v1=${createHmac('sha256', secret).update(signed, 'utf8').digest('hex')}`),
  ].join(',');
}
