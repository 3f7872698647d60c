import {
  DEFAULT_SHOP_CURRENCY,
  SHOP_CURRENCIES,
  ShopCurrencySchema,
  type ShopCurrency,
  type ShopSettings,
} from '../../../shared/prices.ts';
import type { Store } from '../db/store.ts';

/** The shop's currency: the setting when it names a supported currency, else USD. */
export function shopCurrency(store: Store): ShopCurrency {
  const parsed = ShopCurrencySchema.safeParse(store.settings.get('shop_currency'));
  return parsed.success ? parsed.data : DEFAULT_SHOP_CURRENCY;
}

export function shopSettings(store: Store): ShopSettings {
  return { name: store.settings.get('shop_name'), currency: shopCurrency(store), currencies: SHOP_CURRENCIES };
}

export function setShopCurrency(store: Store, currency: ShopCurrency): ShopSettings {
  store.settings.set('shop_currency', currency);
  return shopSettings(store);
}
