/**
 * Prices in the shop's currency: which currencies, how a price is written, and what an invoice
 * records of the rate it was converted at. The conversion itself is exact (see amounts.ts and
 * the engine's rates/price-quote.ts); nothing here is a float.
 */
import { z } from 'zod';
import { parseAmount } from './amounts.ts';
import { CURRENCY_DIGITS, SHOP_CURRENCIES, type ShopCurrency } from './currencies.ts';

export { CURRENCY_DIGITS, DEFAULT_SHOP_CURRENCY, SHOP_CURRENCIES, formatPrice, type ShopCurrency } from './currencies.ts';

export const ShopCurrencySchema = z.enum(SHOP_CURRENCIES, {
  error: `currency must be one of ${SHOP_CURRENCIES.join(', ')}`,
});

/** Tokens Till treats as one US dollar each, checked against their USD feed (the peg). */
export const USD_STABLECOINS: readonly string[] = ['USDC', 'USDT', 'USDC.E', 'USDBC', 'DAI'];
/** A stablecoin further than this from 1 USD is refused: 2 %, in basis points. */
export const PEG_TOLERANCE_BPS = 200n;

export const PriceSchema = z
  .strictObject({
    amount: z
      .string({ error: 'price.amount must be a decimal string such as "12.50" (a string, not a number)' })
      .max(40, 'price.amount is too long')
      .meta({ example: '12.50' }),
    currency: ShopCurrencySchema.meta({ example: 'EUR' }),
  })
  .superRefine((price, context) => {
    const digits = CURRENCY_DIGITS[price.currency];
    const parsed = parseAmount(price.amount, digits);
    if (!parsed.ok) {
      const reason =
        parsed.reason.startsWith('this token has') && digits === 0
          ? `${price.currency} has no minor unit, so the price must be a whole number`
          : parsed.reason.startsWith('this token has')
            ? `${price.currency} has ${digits} decimals, so the price may have at most ${digits} digits after the dot`
            : parsed.reason.replace('the amount', 'the price');
      context.addIssue({ code: 'custom', path: ['amount'], message: reason });
    }
  })
  .meta({ id: 'Price', description: 'A price in the shop’s currency; Till converts it to the token at creation' });
export type Price = z.infer<typeof PriceSchema>;

/** The rate an invoice was converted at, locked for the invoice's lifetime. */
export const InvoiceRateSchema = z
  .object({
    value: z.string().meta({
      description:
        'The price of one token unit in the invoice’s currency at creation (informational; the token amount is the contract)',
      example: '0.91844232',
    }),
    source: z.string().meta({ example: 'Chainlink USDC/USD, EUR/USD on Base' }),
    at: z.string().meta({ description: 'When the oldest feed used was last updated (ISO-8601 UTC)' }),
  })
  .meta({ id: 'InvoiceRate' });
export type InvoiceRate = z.infer<typeof InvoiceRateSchema>;

export const InvoicePriceSchema = z
  .object({ amount: z.string().meta({ example: '12.50' }), currency: z.string().meta({ example: 'EUR' }) })
  .meta({ id: 'InvoicePrice' });
export type InvoicePrice = z.infer<typeof InvoicePriceSchema>;

/** "ETH/USD", "USDC/USD", "EUR/USD": a Chainlink feed's pair, always against USD. */
export const FeedPairSchema = z
  .string()
  .regex(/^[A-Z0-9.]{2,16}\/USD$/, 'a feed pair is written SYMBOL/USD, such as ETH/USD or EUR/USD');

export const PriceFeedSchema = z.strictObject({
  address: z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'a feed address is 0x followed by 40 hex digits'),
  /** Older than this and the feed's answer is refused as stale. */
  heartbeatSeconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600),
});
export type PriceFeed = z.infer<typeof PriceFeedSchema>;

/** Per chain, pair → feed; in the config file under chains[].priceFeeds. */
export const PriceFeedsSchema = z.record(FeedPairSchema, PriceFeedSchema);
export type PriceFeeds = z.infer<typeof PriceFeedsSchema>;

export interface ShopSettings {
  /** The shop's name as customers see it (config shop.name); null until set. */
  name: string | null;
  currency: ShopCurrency;
  currencies: readonly ShopCurrency[];
}
