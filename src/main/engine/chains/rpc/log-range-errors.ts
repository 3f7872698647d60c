/**
 * Providers refuse wide `eth_getLogs` requests in their own words. This reads those words:
 * whether an error is a range refusal at all, and how many blocks the provider would accept.
 *
 * The shapes were collected from real providers (the list Ponder keeps in
 * `packages/utils/src/getLogsRetryHelper.ts` was the starting point); each has a case in
 * `log-range-errors.test.ts`.
 */
export interface LogRangeRefusal {
  /** Blocks per request (inclusive count) the provider says it accepts; null when it named no number. */
  limit: number | null;
  /**
   * `blocks`: a fixed cap on the block span (a plan limit; remember it for good).
   * `results`: too many logs or too large a response; depends on how busy the blocks are.
   */
  cause: 'blocks' | 'results';
}

const NUMBER = String.raw`(\d[\d,._]*\s?[kK]?)`;

/** A suggested range spelt out in the message: the span it covers is what works. */
const SUGGESTED_RANGES: RegExp[] = [
  // Alchemy: "Log response size exceeded. … this block range should work: [0x1234, 0x1300]"
  /this block range should work:\s*\[\s*(0x[0-9a-fA-F]+)\s*,\s*(0x[0-9a-fA-F]+)\s*\]/,
  // Infura, zkSync, Thirdweb: "query returned more than 10000 results. Try with this block range [0x…, 0x…]."
  /Try with this block range\s*\[\s*(0x[0-9a-fA-F]+)\s*,\s*(0x[0-9a-fA-F]+)\s*\]/i,
  // LlamaRPC and others: "query exceeds max results 20000, retry with the range 24383075-24383096"
  /retry with the range\s+(\d+)\s*-\s*(\d+)/i,
];

/** A plan's cap on the block span, with the number in the message. */
const BLOCK_CAPS: RegExp[] = [
  new RegExp(String.raw`requested too many blocks from \d+ to \d+, maximum is set to ${NUMBER}`, 'i'), // Avalanche
  new RegExp(String.raw`Max range: ${NUMBER}`, 'i'), // Cloudflare
  new RegExp(String.raw`Maximum allowed number of requested blocks is ${NUMBER}`, 'i'), // Thirdweb
  new RegExp(String.raw`is bigger than range limit ${NUMBER}`, 'i'), // Thirdweb
  new RegExp(String.raw`exceeds the range allowed for your plan \(\d+ > ${NUMBER}\)`, 'i'), // BlastAPI paid
  new RegExp(String.raw`limit the query to at most ${NUMBER} blocks`, 'i'), // Coinbase
  new RegExp(String.raw`block range is too wide \(maximum ${NUMBER}\)`, 'i'), // Moonbeam / Moonriver
  new RegExp(String.raw`maximum \[from, to\] blocks distance: ${NUMBER}`, 'i'), // Ankr (some chains)
  new RegExp(String.raw`max(?:imum)? block range:?\s*${NUMBER}`, 'i'), // PublicNode, Hyperliquid, Erigon-style
  new RegExp(String.raw`block range greater than ${NUMBER} max`, 'i'), // Swell
  new RegExp(String.raw`block range exceeds ${NUMBER}`, 'i'), // Somnia
  new RegExp(String.raw`max is ${NUMBER} blocks`, 'i'), // "range is too large, max is 1k blocks"
  new RegExp(String.raw`query must be smaller than size ${NUMBER}`, 'i'), // Harmony
  new RegExp(String.raw`up to a ${NUMBER} block range`, 'i'), // Aurora; Alchemy's "up to a 2K block range"
  new RegExp(String.raw`limited to a ${NUMBER}`, 'i'), // QuickNode, 1RPC, BlastAPI: "limited to a 10,000 range"
  new RegExp(String.raw`limited to ${NUMBER} blocks?`, 'i'), // BlockPI
];

/** Known caps of providers whose message carries no number. */
const KNOWN_CAPS: [RegExp, number][] = [
  [/block range is too wide/i, 3_000], // Ankr
  [/block range too large/i, 2_000], // Base
];

const RESULT_LIMITS: RegExp[] = [
  /Log response size exceeded/i,
  /returned more than \d+ results/i,
  /query exceeds max results/i,
  /more than \d+ results/i,
  /response size should not greater than/i, // 1RPC
  /backend response too large/i, // Optimism
  /logs matched by query exceeds limit/i, // Arbitrum
  /response (?:is )?too (?:big|large)/i,
  /too many (?:logs|results)/i,
];

const BLOCK_LIMITS_WITHOUT_NUMBER: RegExp[] = [
  /block range limit exceeded/i, // Chainstack
  /block range is too large/i, // Optimism
  /range is too large/i,
  /too many blocks/i,
  /block range.{0,40}(?:too|exceed|limit|max)/i,
];

function parseCount(text: string): number | null {
  const match = /^(\d[\d,._]*)\s?([kK]?)$/.exec(text.trim());
  if (!match) return null;
  const value = Number(match[1]!.replace(/[,._]/g, '')) * (match[2] ? 1_000 : 1);
  return Number.isSafeInteger(value) && value > 0 ? value : null;
}

function parseBound(text: string): number {
  return text.startsWith('0x') ? Number.parseInt(text.slice(2), 16) : Number(text);
}

/**
 * Reads a JSON-RPC error (message plus `data`, which some providers use for the detail) and tells
 * whether it refuses the span of an `eth_getLogs` request. Returns null for any other error.
 */
export function parseLogRangeError(error: { code?: number; message: string; data?: unknown }): LogRangeRefusal | null {
  const data =
    error.data === undefined || error.data === null
      ? ''
      : typeof error.data === 'string'
        ? error.data
        : JSON.stringify(error.data);
  const text = `${error.message} ${data}`;

  for (const pattern of SUGGESTED_RANGES) {
    const match = pattern.exec(text);
    if (!match) continue;
    const span = parseBound(match[2]!) - parseBound(match[1]!) + 1;
    if (Number.isSafeInteger(span) && span > 0) return { limit: span, cause: 'results' };
  }
  for (const pattern of BLOCK_CAPS) {
    const match = pattern.exec(text);
    const limit = match ? parseCount(match[1]!) : null;
    if (limit !== null) return { limit, cause: 'blocks' };
  }
  for (const [pattern, limit] of KNOWN_CAPS) if (pattern.test(text)) return { limit, cause: 'blocks' };
  for (const pattern of RESULT_LIMITS) if (pattern.test(text)) return { limit: null, cause: 'results' };
  for (const pattern of BLOCK_LIMITS_WITHOUT_NUMBER) if (pattern.test(text)) return { limit: null, cause: 'blocks' };
  return null;
}
