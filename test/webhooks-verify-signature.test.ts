import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
// The helper docs/WEBHOOKS.md tells shops to copy, tested as they would use it.
import { verifyTillWebhook } from '../examples/webhooks/verify-till-signature.mjs';

const SECRET = 'whsec_shop_secret_abcdefghijklmnop';
const OTHER = 'whsec_rotated_secret_qrstuvwxyz012';
const BODY =
  '{"id":"evt_1","type":"invoice.created","createdAt":"2026-11-25T10:00:00.000Z","sequence":1,"data":{"invoice":{"id":"inv_1"}}}';
const T = 1_795_600_000;
const NOW = T * 1000;

// Computed here independently of Till's signer, from the documented scheme.
const v1 = (secret: string, t: number, body: string) => createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
const header = (t: number, ...secrets: string[]) => [`t=${t}`, ...secrets.map((secret) => `v1=${v1(secret, t, BODY)}`)].join(',');

describe('verifyTillWebhook (examples/webhooks/verify-till-signature.mjs)', () => {
  it('returns the parsed event for a valid signature, from a string or a Buffer body', () => {
    expect(verifyTillWebhook(BODY, header(T, SECRET), SECRET, { now: NOW })).toEqual(JSON.parse(BODY));
    expect(verifyTillWebhook(Buffer.from(BODY), header(T, SECRET), SECRET, { now: NOW })).toMatchObject({ id: 'evt_1' });
  });

  it('accepts either secret while a rotation sends two v1=, and ignores v1 values that are not 64 hex digits', () => {
    const both = header(T, OTHER, SECRET);
    expect(verifyTillWebhook(BODY, both, SECRET, { now: NOW })).toMatchObject({ id: 'evt_1' });
    expect(verifyTillWebhook(BODY, both, OTHER, { now: NOW })).toMatchObject({ id: 'evt_1' });
    expect(verifyTillWebhook(BODY, `t=${T},v1=abc,v0=zz,${header(T, SECRET).split(',')[1]}`, SECRET, { now: NOW })).toMatchObject(
      {
        id: 'evt_1',
      },
    );
  });

  it('rejects a tampered body, a signature under another secret, and a signature moved to another timestamp', () => {
    const tampered = BODY.replace('"sequence":1', '"sequence":2');
    expect(() => verifyTillWebhook(tampered, header(T, SECRET), SECRET, { now: NOW })).toThrow('Till-Signature does not match');
    expect(() => verifyTillWebhook(BODY + ' ', header(T, SECRET), SECRET, { now: NOW })).toThrow('does not match');
    expect(() => verifyTillWebhook(BODY, header(T, OTHER), SECRET, { now: NOW })).toThrow('does not match');
    const moved = `t=${T + 10},${header(T, SECRET).split(',')[1]}`;
    expect(() => verifyTillWebhook(BODY, moved, SECRET, { now: NOW })).toThrow('does not match');
  });

  it('accepts a timestamp up to 5 minutes old or ahead and rejects one beyond', () => {
    expect(verifyTillWebhook(BODY, header(T, SECRET), SECRET, { now: NOW + 300_000 })).toMatchObject({ id: 'evt_1' });
    expect(verifyTillWebhook(BODY, header(T, SECRET), SECRET, { now: NOW - 300_000 })).toMatchObject({ id: 'evt_1' });
    expect(() => verifyTillWebhook(BODY, header(T, SECRET), SECRET, { now: NOW + 301_000 })).toThrow(
      'Till-Signature timestamp is too old or in the future',
    );
    expect(() => verifyTillWebhook(BODY, header(T, SECRET), SECRET, { now: NOW - 301_000 })).toThrow('too old or in the future');
    // The tolerance is the receiver's to choose.
    expect(verifyTillWebhook(BODY, header(T, SECRET), SECRET, { now: NOW + 3_600_000, toleranceSeconds: 7200 })).toMatchObject({
      id: 'evt_1',
    });
    // Checked before the HMAC: a valid signature does not make an old request fresh.
    expect(() => verifyTillWebhook(BODY, header(T, SECRET), SECRET)).toThrow('too old or in the future');
  });

  it('rejects a missing header, a header without a timestamp and one without any v1', () => {
    expect(() => verifyTillWebhook(BODY, undefined, SECRET)).toThrow('no Till-Signature header');
    expect(() => verifyTillWebhook(BODY, '', SECRET)).toThrow('no Till-Signature header');
    expect(() => verifyTillWebhook(BODY, `v1=${v1(SECRET, T, BODY)}`, SECRET, { now: NOW })).toThrow('has no timestamp');
    expect(() => verifyTillWebhook(BODY, `t=abc,v1=${v1(SECRET, T, BODY)}`, SECRET, { now: NOW })).toThrow('has no timestamp');
    expect(() => verifyTillWebhook(BODY, `t=${T}`, SECRET, { now: NOW })).toThrow('does not match');
  });
});
