import type { CheckoutView } from './checkout.ts';

/** What the customer display shows: the shop's name, and the invoice at the counter if there is one. */
export interface DisplayState {
  shopName: string | null;
  /** The customer's view of the invoice (as on the checkout page); null: idle. */
  invoice: CheckoutView | null;
}

/** Where the desktop app opened the customer display window: a second screen, or beside Till. */
export type DisplayWindowScreen = 'external' | 'same';

export interface DisplayPairing {
  /** Path of the one-time link on till serve, to open on the display: /display/pair?token=… */
  path: string;
  expiresAt: string;
}
