import { divideRoundingUp, formatRatio, MAX_BASE_UNITS, parseAmount } from '../../../shared/amounts.ts';
import { priceFeedsFor } from '../../../shared/price-feeds.ts';
import {
  CURRENCY_DIGITS,
  PEG_TOLERANCE_BPS,
  USD_STABLECOINS,
  type InvoiceRate,
  type Price,
  type PriceFeeds,
} from '../../../shared/prices.ts';
import type { RpcPool } from '../chains/rpc/rpc-pool.ts';
import type { Store } from '../db/store.ts';
import { isoTime, type Clock } from '../lib/clock.ts';
import { TillError } from '../lib/errors.ts';
import { RateUnavailableError, readFeed, type FeedReading } from './chainlink-feed.ts';

export interface RatesDeps {
  store: Store;
  clock: Clock;
  rpcFor(chainId: number): { pool: RpcPool; close(): void };
  signal?: AbortSignal;
}

export interface PriceQuote {
  /** The token amount in base units, rounded up (in the merchant's favour). */
  amount: bigint;
  price: Price;
  rate: InvoiceRate;
  /** The raw readings behind the rate, as JSON (kept with the invoice). */
  feeds: string;
}

/** The feeds Till uses on a chain: presets plus the merchant's own. */
export function chainPriceFeeds(store: Store, chainId: number): PriceFeeds {
  return priceFeedsFor(chainId, store.priceFeeds.forChain(chainId));
}

/** A rational number of US dollars: numerator / denominator. */
interface Usd {
  numerator: bigint;
  denominator: bigint;
}
const ONE_USD: Usd = { numerator: 1n, denominator: 1n };
const usdOf = (reading: FeedReading): Usd => ({ numerator: reading.answer, denominator: 10n ** BigInt(reading.decimals) });

/**
 * Converts a price in a shop currency to the invoice token's base units, exactly:
 *   amount = ⌈price × (currency in USD) / (token in USD) × 10^decimals⌉
 * with every factor an integer ratio from the feeds, so no rounding happens before the last step.
 * Stablecoins count as 1 USD, refused when their feed says they are more than 2 % off; a fiat
 * currency other than USD comes from its feed against USD, on this chain or another enabled one
 * (fiat rates do not depend on the chain).
 */
export async function quotePrice(
  deps: RatesDeps,
  input: { chainId: number; token: { symbol: string; decimals: number }; price: Price },
): Promise<PriceQuote> {
  const { store, clock } = deps;
  const chain = store.chains.get(input.chainId);
  if (!chain) throw new TillError('CHAIN_NOT_FOUND', `Chain ${input.chainId} is not configured in Till.`);
  const digits = CURRENCY_DIGITS[input.price.currency];
  const parsed = parseAmount(input.price.amount, digits);
  if (!parsed.ok) throw new TillError('INVOICE_AMOUNT_INVALID', `Invalid price: ${parsed.reason}.`);
  const now = clock.now();
  const feeds = chainPriceFeeds(store, input.chainId);
  const readings: FeedReading[] = [];
  const notes: string[] = [];

  const read = async (chainId: number, pair: string, available: PriceFeeds): Promise<FeedReading> => {
    const feed = available[pair]!;
    const rpc = deps.rpcFor(chainId);
    try {
      const reading = await readFeed(rpc.pool, pair, feed, now, deps.signal);
      readings.push(reading);
      return reading;
    } finally {
      rpc.close();
    }
  };

  const symbol = input.token.symbol.toUpperCase();
  const tokenPair = `${symbol}/USD`;
  let tokenUsd: Usd;
  if (USD_STABLECOINS.includes(symbol)) {
    if (!feeds[tokenPair])
      throw new RateUnavailableError(
        `${input.token.symbol} counts as 1 USD only once its ${tokenPair} feed confirms the peg, and chain ${chain.name} has no ${tokenPair} feed. Add one under chains[].priceFeeds in the config.`,
      );
    const reading = await read(input.chainId, tokenPair, feeds);
    const one = 10n ** BigInt(reading.decimals);
    const off = reading.answer > one ? reading.answer - one : one - reading.answer;
    if (off * 10_000n > PEG_TOLERANCE_BPS * one)
      throw new TillError(
        'TOKEN_OFF_PEG',
        `${input.token.symbol} is off its peg: its ${tokenPair} feed says ${formatRatio(reading.answer, one, 4)} USD (more than 2 % from 1). Nothing was created; charge in another token or a token amount.`,
      );
    tokenUsd = ONE_USD;
    notes.push(`${tokenPair} (peg ${formatRatio(reading.answer, one, 4)})`);
  } else {
    if (!feeds[tokenPair])
      throw new RateUnavailableError(
        `Chain ${chain.name} has no ${tokenPair} price feed, so a price in ${input.price.currency} cannot be converted to ${input.token.symbol}. Add one under chains[].priceFeeds in the config, or charge a token amount.`,
      );
    tokenUsd = usdOf(await read(input.chainId, tokenPair, feeds));
    notes.push(tokenPair);
  }

  let currencyUsd = ONE_USD;
  if (input.price.currency !== 'USD') {
    const pair = `${input.price.currency}/USD`;
    let source: { chainId: number; name: string; feeds: PriceFeeds } | undefined = feeds[pair]
      ? { chainId: input.chainId, name: chain.name, feeds }
      : undefined;
    if (!source) {
      for (const other of store.chains.list()) {
        if (!other.enabled || other.chainId === input.chainId) continue;
        const otherFeeds = chainPriceFeeds(store, other.chainId);
        if (otherFeeds[pair]) {
          source = { chainId: other.chainId, name: other.name, feeds: otherFeeds };
          break;
        }
      }
    }
    if (!source)
      throw new RateUnavailableError(
        `No enabled chain has a ${pair} price feed, so a price in ${input.price.currency} cannot be converted. Add one under chains[].priceFeeds, or price in USD.`,
      );
    currencyUsd = usdOf(await read(source.chainId, pair, source.feeds));
    notes.push(source.chainId === input.chainId ? pair : `${pair} on ${source.name}`);
  }

  const tokenScale = 10n ** BigInt(input.token.decimals);
  const priceScale = 10n ** BigInt(digits);
  const amount = divideRoundingUp(
    parsed.value * currencyUsd.numerator * tokenUsd.denominator * tokenScale,
    priceScale * currencyUsd.denominator * tokenUsd.numerator,
  );
  if (amount > MAX_BASE_UNITS)
    throw new TillError('INVOICE_AMOUNT_INVALID', 'Invalid price: it converts to an absurdly large amount.');
  const oldest = Math.min(...readings.map((reading) => reading.updatedAt));
  return {
    amount,
    price: input.price,
    rate: {
      value: formatRatio(tokenUsd.numerator * currencyUsd.denominator, tokenUsd.denominator * currencyUsd.numerator, 8),
      source: `Chainlink ${notes.join(', ')} on ${chain.name}`,
      at: isoTime(oldest * 1000),
    },
    feeds: JSON.stringify(
      readings.map((reading) => ({
        ...reading,
        answer: reading.answer.toString(),
        updatedAt: isoTime(reading.updatedAt * 1000),
      })),
    ),
  };
}
