/**
 * The shop currencies and how their prices are written, free of zod so the renderer, the
 * checkout page and the customer display can use them without the schemas.
 */
export const SHOP_CURRENCIES = ['USD', 'EUR', 'GBP', 'CHF', 'JPY', 'CAD', 'AUD'] as const;
export type ShopCurrency = (typeof SHOP_CURRENCIES)[number];
export const DEFAULT_SHOP_CURRENCY: ShopCurrency = 'USD';

/** Digits after the decimal point a price may have (ISO 4217 minor units). */
export const CURRENCY_DIGITS: Record<ShopCurrency, number> = { USD: 2, EUR: 2, GBP: 2, CHF: 2, JPY: 0, CAD: 2, AUD: 2 };

/** "12.50 EUR" as the display and the receipt write it: the currency's own number of decimals. */
export function formatPrice(price: { amount: string; currency: string }): string {
  const digits = CURRENCY_DIGITS[price.currency as ShopCurrency] ?? 2;
  const [whole = '0', fraction = ''] = price.amount.split('.');
  return `${digits > 0 ? `${whole}.${fraction.padEnd(digits, '0').slice(0, digits)}` : whole} ${price.currency}`;
}
