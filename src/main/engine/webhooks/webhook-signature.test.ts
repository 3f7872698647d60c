import { describe, expect, it } from 'vitest';
import { verifyTillWebhook } from '../../../../examples/webhooks/verify-till-signature.mjs';
import { signatureHeader } from './webhook-signature.ts';

const BODY = '{"id":"evt_1","type":"ping","createdAt":"2025-12-01T12:00:00.000Z","sequence":0,"data":{}}';
const T = 1_764_590_400;
const ONE = 'whsec_test_secret_one_0123456789';
const TWO = 'whsec_test_secret_two_9876543210';

describe('Till-Signature', () => {
  it('is t=<seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")> (vectors from openssl dgst -sha256 -hmac)', () => {
    // printf '%s' '1764590400.<body>' | openssl dgst -sha256 -hmac 'whsec_test_secret_one_0123456789'
    expect(signatureHeader([ONE], T, BODY)).toBe(
      't=1764590400,v1=790de8a69e440f4f98153befae134b00b18423df92e597b6dfe5f0ebcd7afc35',
    );
    // The body is signed as UTF-8 bytes.
    expect(signatureHeader([ONE], T, '{"amount":"1 €"}')).toBe(
      't=1764590400,v1=5b1d5ed3de13d48f2fac344d1e5f1d0bd6a68873749e015e09cca48842a0a7ba',
    );
  });

  it('carries one v1= per active secret during a rotation, newest first as given', () => {
    expect(signatureHeader([TWO, ONE], T, BODY)).toBe(
      't=1764590400,' +
        'v1=8e94a1e27917103a8c9609110af9464244a22f0c576cb8241eb2c0d88cc0e201,' +
        'v1=790de8a69e440f4f98153befae134b00b18423df92e597b6dfe5f0ebcd7afc35',
    );
  });

  it('verifies with the documented receiver helper under each secret', () => {
    const header = signatureHeader([TWO, ONE], T, BODY);
    for (const secret of [ONE, TWO])
      expect(verifyTillWebhook(BODY, header, secret, { now: T * 1000 })).toMatchObject({ id: 'evt_1' });
    expect(() => verifyTillWebhook(BODY, header, 'whsec_someone_else_entirely_000', { now: T * 1000 })).toThrow(
      'Till-Signature does not match',
    );
  });
});
