import { createHash } from 'node:crypto';
import { parseAmount } from '../../../shared/amounts.ts';
import { EXPIRY_DEFAULT_SECONDS, type CreateInvoiceInput, type Token } from '../../../shared/domain.ts';
import type { Store } from '../db/store.ts';
import type { InvoiceRecord } from '../db/repositories/invoices-repo.ts';
import type { Clock } from '../lib/clock.ts';
import { isoTime } from '../lib/clock.ts';
import { TillError } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { loadInvoiceView } from './invoice-view.ts';
import { paymentUri } from './payment-uri.ts';
import { quotePrice, type PriceQuote, type RatesDeps } from '../rates/price-quote.ts';

export interface IdempotencyRequest {
  apiKeyId: string;
  key: string;
  /** The request body exactly as received, hashed to detect "same key, different body". */
  body: unknown;
}

export interface CreateInvoiceDeps {
  store: Store;
  clock: Clock;
  /** Deposit address of derivation index i (from the pool, or derived from the xpub). */
  addressAt(index: number): string;
  /** Reads price feeds for invoices created by price; without it only token amounts are accepted. */
  rates?: Omit<RatesDeps, 'store' | 'clock'>;
}

/** Canonical JSON (sorted keys) so {a,b} and {b,a} count as the same body. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** How long after expiry a full payment still counts; a global setting, 24 h unless changed. */
export const MONITORING_WINDOW_DEFAULT_SECONDS = 24 * 3600;
function defaultMonitoringWindowSeconds(store: Store): number {
  // Unset is the default, not zero: Number(null) would be 0 and no late payment would ever count.
  const stored = store.settings.get('monitoring_window_seconds');
  const setting = stored === null ? Number.NaN : Number(stored);
  return Number.isInteger(setting) && setting >= 0 ? setting : MONITORING_WINDOW_DEFAULT_SECONDS;
}

function resolveToken(
  store: Store,
  chainId: number,
  token: string,
): { address: string | null; symbol: string; decimals: number } {
  const chain = store.chains.get(chainId);
  if (!chain) {
    throw new TillError(
      'CHAIN_NOT_FOUND',
      `Chain ${chainId} is not configured in Till. Add it in Settings → Chains or in the config file.`,
    );
  }
  if (!chain.enabled) {
    throw new TillError('CHAIN_DISABLED', `Chain ${chain.name} (${chainId}) is disabled. Enable it in Settings → Chains first.`);
  }
  if (token.toLowerCase() === 'native' || token.toUpperCase() === chain.nativeSymbol.toUpperCase()) {
    return { address: null, symbol: chain.nativeSymbol, decimals: chain.nativeDecimals };
  }
  const match: Token | undefined = token.startsWith('0x')
    ? chain.tokens.find((t) => t.address.toLowerCase() === token.toLowerCase())
    : chain.tokens.find((t) => t.symbol.toUpperCase() === token.toUpperCase());
  if (!match) {
    const known = ['native', ...chain.tokens.map((t) => t.symbol)].join(', ');
    throw new TillError(
      'TOKEN_NOT_FOUND',
      `Token "${token.slice(0, 64)}" is not registered on ${chain.name}. Use one of: ${known}, or register the token first.`,
    );
  }
  return { address: match.address, symbol: match.symbol, decimals: match.decimals };
}

/**
 * Creates an invoice: a fresh deposit address, its EIP-681 URI, and the invoice.created event,
 * all in one transaction. The derivation index is taken inside that transaction, so two
 * concurrent creations can never share one, and a crash rolls the index back together with
 * the invoice that would have used it (nobody ever saw that address).
 */
export function createInvoice(
  deps: CreateInvoiceDeps,
  input: CreateInvoiceInput,
  idempotency?: IdempotencyRequest,
  quote?: PriceQuote,
): { invoice: InvoiceRecord; created: boolean } {
  const { store, clock } = deps;
  const requestHash = idempotency && createHash('sha256').update(canonicalJson(idempotency.body)).digest('hex');

  return store.write(() => {
    if (idempotency && requestHash) {
      const previous = store.idempotencyKeys.find(idempotency.apiKeyId, idempotency.key);
      if (previous) {
        if (previous.requestHash !== requestHash) {
          throw new TillError(
            'IDEMPOTENCY_CONFLICT',
            'This Idempotency-Key was already used with a different request body. Use a new key for a new invoice.',
          );
        }
        return { invoice: store.invoices.get(previous.invoiceId)!, created: false };
      }
    }

    if (!store.wallet.get()) {
      throw new TillError(
        'WALLET_MISSING',
        'No wallet is set up yet. Create or import one first (till wallet create, or the app’s onboarding).',
      );
    }
    const token = resolveToken(store, input.chainId, input.token);
    let amount: bigint;
    if (quote) amount = quote.amount;
    else {
      if (input.amount === undefined)
        throw new TillError(
          'INVOICE_AMOUNT_INVALID',
          'Invalid amount: give amount in token units, or a price in the shop’s currency.',
        );
      const parsed = parseAmount(input.amount, token.decimals);
      if (!parsed.ok) throw new TillError('INVOICE_AMOUNT_INVALID', `Invalid amount: ${parsed.reason}.`);
      amount = parsed.value;
    }

    const index = store.wallet.allocateIndex();
    if (index === undefined) throw new TillError('WALLET_MISSING', 'No wallet is set up yet.');
    const address = deps.addressAt(index);
    const now = clock.now();
    const expiresAt = now + (input.expiresInSeconds ?? EXPIRY_DEFAULT_SECONDS) * 1000;
    const invoice = store.invoices.insert({
      id: newId('inv'),
      chainId: input.chainId,
      tokenAddress: token.address,
      tokenSymbol: token.symbol,
      tokenDecimals: token.decimals,
      amount,
      address,
      derivationIndex: index,
      paymentUri: paymentUri({ chainId: input.chainId, address, tokenAddress: token.address, amount }),
      orderId: input.orderId ?? null,
      redirectUrl: input.redirectUrl ?? null,
      price: quote ? { amount: quote.price.amount, currency: quote.price.currency } : null,
      rate: quote?.rate ?? null,
      rateFeeds: quote?.feeds ?? null,
      metadata: input.metadata ?? null,
      createdAt: isoTime(now),
      expiresAt: isoTime(expiresAt),
      monitorUntil: isoTime(expiresAt + (input.monitoringWindowSeconds ?? defaultMonitoringWindowSeconds(store)) * 1000),
      creationBlock: store.scanCursors.get(input.chainId)?.blockNumber ?? null,
    });
    store.events.appendForInvoice({
      id: newId('evt'),
      invoiceId: invoice.id,
      type: 'invoice.created',
      payload: { invoice: loadInvoiceView(store, invoice) },
      createdAt: invoice.createdAt,
    });
    if (idempotency && requestHash) {
      store.idempotencyKeys.insert({
        apiKeyId: idempotency.apiKeyId,
        key: idempotency.key,
        requestHash,
        invoiceId: invoice.id,
        createdAt: invoice.createdAt,
      });
    }
    return { invoice, created: true };
  });
}

/**
 * Creates an invoice from a request of the API, the UI or the CLI: by token amount at once, by
 * price after reading the rate (outside the write lock: a feed read takes a round trip). A
 * request whose Idempotency-Key is already known is answered from the store without reading a
 * rate, so a shop's retry gets its invoice even while the feed is down.
 */
export async function createInvoiceFromRequest(
  deps: CreateInvoiceDeps,
  input: CreateInvoiceInput,
  idempotency?: IdempotencyRequest,
): Promise<{ invoice: InvoiceRecord; created: boolean }> {
  if (!input.price) return createInvoice(deps, input, idempotency);
  if (idempotency && deps.store.idempotencyKeys.find(idempotency.apiKeyId, idempotency.key))
    return createInvoice(deps, input, idempotency);
  if (!deps.rates)
    throw new TillError('RATE_UNAVAILABLE', 'This Till cannot read price feeds here; create the invoice with a token amount.');
  const token = resolveToken(deps.store, input.chainId, input.token);
  const quote = await quotePrice(
    { ...deps.rates, store: deps.store, clock: deps.clock },
    { chainId: input.chainId, token, price: input.price },
  );
  return createInvoice(deps, input, idempotency, quote);
}
