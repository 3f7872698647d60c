/**
 * What the hosted checkout page (GET /pay/{id}) may know of an invoice: only what the customer
 * needs to pay it and to keep a receipt. Never the metadata, the order id, other invoices, the
 * derivation index or anything else of Till's internals.
 */

/** The customer's view of where the payment stands. */
export type CheckoutState =
  /** Nothing has arrived yet. */
  | 'awaiting_payment'
  /** Some arrived, not all: the remainder is due (with its own QR). */
  | 'partly_paid'
  /** The full amount arrived and waits for the chain's confirmations. */
  | 'confirming'
  /** Paid in full and confirmed: the receipt. */
  | 'paid'
  | 'expired'
  | 'invalid';

export interface CheckoutPayment {
  txHash: string;
  /** Decimal, in token units. */
  amount: string;
  /** When Till saw it (ISO-8601 UTC). */
  at: string;
  confirmations: number;
  /** The transaction on the chain's block explorer; null for a chain without one (a test chain). */
  explorerUrl: string | null;
}

export interface CheckoutView {
  id: string;
  state: CheckoutState;
  shopName: string | null;
  chain: { id: number; name: string };
  /** The network in words, as the customer's wallet should show it: "USDC on Base". */
  network: string;
  token: { symbol: string; decimals: number; address: string | null };
  /** The price in the shop's currency the invoice was created with ("12.50", "EUR"); null: by token amount. */
  price: { amount: string; currency: string } | null;
  /** Decimal strings in token units. */
  amount: string;
  amountReceived: string;
  amountDue: string;
  /** The deposit address (EIP-55). */
  address: string;
  /** EIP-681 URI of what is still due: the full amount, or the remainder once partly paid. */
  paymentUri: string;
  /** The QR code of paymentUri (same origin). */
  qrUrl: string;
  expiresAt: string;
  /** The server's clock, so the countdown is right on a phone whose clock is off. */
  now: string;
  confirmationsRequired: number;
  payments: CheckoutPayment[];
  /** Only once paid: the shop's "Return to the shop" link. */
  redirectUrl: string | null;
}
