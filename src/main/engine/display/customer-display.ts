import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DisplayPairing, DisplayState } from '../../../shared/display.ts';
import type { Store } from '../db/store.ts';
import { checkoutView } from '../checkout/checkout-view.ts';
import { isoTime } from '../lib/clock.ts';
import { TillError } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';

/** A pairing link is for the next minutes, at the counter; a paired screen stays paired for a year. */
export const PAIRING_TTL_MS = 10 * 60_000;
export const DISPLAY_SESSION_TTL_MS = 365 * 24 * 3600_000;

const hash = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * The customer display: a screen facing the customer that shows only the invoice being paid at
 * the counter (through its checkout view), or the shop's name. A tablet gets there through a
 * one-time pairing link from the merchant's screen; the session it gets can read nothing else.
 */
export function createCustomerDisplay(store: Store) {
  const { db } = store;
  const insert = db.prepare('INSERT INTO display_tokens (id, token_hash, kind, created_at, expires_at) VALUES (?, ?, ?, ?, ?)');
  const find = db.prepare<[string, string], { id: string; token_hash: string; expires_at: string; used_at: string | null }>(
    'SELECT id, token_hash, expires_at, used_at FROM display_tokens WHERE token_hash = ? AND kind = ?',
  );
  const markUsed = db.prepare('UPDATE display_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL');
  const purge = db.prepare('DELETE FROM display_tokens WHERE expires_at < ?');
  const sessions = db
    .prepare<[string], number>("SELECT count(*) FROM display_tokens WHERE kind = 'session' AND expires_at >= ?")
    .pluck();
  const revoke = db.prepare("DELETE FROM display_tokens WHERE kind IN ('session', 'pairing')");

  const lookup = (token: string, kind: 'pairing' | 'session', now: number) => {
    if (typeof token !== 'string' || token.length < 20 || token.length > 200) return undefined;
    const digest = hash(token);
    const row = find.get(digest, kind);
    if (!row || !timingSafeEqual(Buffer.from(row.token_hash), Buffer.from(digest))) return undefined;
    return Date.parse(row.expires_at) < now ? undefined : row;
  };

  return {
    /** A one-time link for the display; only its hash is stored. */
    pair(now: number): DisplayPairing {
      const token = randomBytes(24).toString('base64url');
      const expiresAt = isoTime(now + PAIRING_TTL_MS);
      store.write(() => {
        purge.run(isoTime(now));
        insert.run(newId('dpl'), hash(token), 'pairing', isoTime(now), expiresAt);
      });
      return { path: `/display/pair?token=${token}`, expiresAt };
    },

    /** Trades a pairing link, once, for a display session token; undefined when used or expired. */
    redeem(pairingToken: string, now: number): string | undefined {
      return store.write(() => {
        const row = lookup(pairingToken, 'pairing', now);
        if (!row || row.used_at !== null) return undefined;
        if (markUsed.run(isoTime(now), row.id).changes !== 1) return undefined;
        const session = randomBytes(32).toString('base64url');
        insert.run(newId('dss'), hash(session), 'session', isoTime(now), isoTime(now + DISPLAY_SESSION_TTL_MS));
        return session;
      });
    },

    isSession(token: string | undefined, now: number): boolean {
      return token !== undefined && lookup(token, 'session', now) !== undefined;
    },

    /** Unpairs every display (a lost tablet). */
    unpairAll(): void {
      store.write(() => revoke.run());
    },

    show(invoiceId: string): void {
      if (!store.invoices.get(invoiceId)) throw new TillError('INVOICE_NOT_FOUND', `No invoice ${invoiceId}.`);
      store.settings.set('display_invoice', invoiceId);
    },

    clear(): void {
      store.settings.set('display_invoice', '');
    },

    state(now: number): DisplayState {
      const id = store.settings.get('display_invoice');
      return {
        shopName: store.settings.get('shop_name'),
        invoice: id ? (checkoutView(store, id, now) ?? null) : null,
      };
    },

    pairedDisplays(now: number): number {
      return sessions.get(isoTime(now)) ?? 0;
    },
  };
}
export type CustomerDisplay = ReturnType<typeof createCustomerDisplay>;
