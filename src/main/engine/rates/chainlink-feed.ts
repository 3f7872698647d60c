import { decodeFunctionResult, encodeFunctionData, parseAbi, type Hex } from 'viem';
import type { RpcPool } from '../chains/rpc/rpc-pool.ts';
import { TillError } from '../lib/errors.ts';
import type { PriceFeed } from '../../../shared/prices.ts';

const aggregatorAbi = parseAbi([
  'function decimals() view returns (uint8)',
  'function latestRoundData() view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)',
]);

/** A rate Till cannot stand behind: the feed is unreachable, stale, broken or off its peg. */
export class RateUnavailableError extends TillError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('RATE_UNAVAILABLE', message, options);
  }
}

const notAFeed = (where: string, cause: unknown) =>
  new RateUnavailableError(
    `${where} did not answer like a price feed (is the address right for this chain?). Fix chains[].priceFeeds in the config.`,
    { cause },
  );

export interface FeedReading {
  pair: string;
  chainId: number;
  address: string;
  /** The feed's answer: answer / 10^decimals USD per unit. */
  answer: bigint;
  decimals: number;
  /** Seconds since the epoch, as the feed reports it. */
  updatedAt: number;
}

/**
 * Reads a Chainlink AggregatorV3 (`latestRoundData`, `decimals`) through the chain's own RPC, in
 * one JSON-RPC batch at the latest block, and refuses an answer that is not positive or older
 * than the feed's heartbeat: a stale price would lock a wrong amount for the invoice's lifetime.
 */
export async function readFeed(
  pool: RpcPool,
  pair: string,
  feed: PriceFeed,
  nowMs: number,
  signal?: AbortSignal,
): Promise<FeedReading> {
  const where = `the Chainlink ${pair} feed (${feed.address}) on chain ${pool.chainId}`;
  const call = (functionName: 'decimals' | 'latestRoundData') => ({
    method: 'eth_call',
    params: [{ to: feed.address, data: encodeFunctionData({ abi: aggregatorAbi, functionName }) }, 'latest'],
  });
  let decimalsData: Hex;
  let roundData: Hex;
  try {
    [decimalsData, roundData] = (await pool.batch<Hex>([call('decimals'), call('latestRoundData')], { signal })) as [Hex, Hex];
  } catch (error) {
    // A revert is an answer: whatever sits at that address is not an aggregator.
    if (/revert/i.test((error as Error).message)) throw notAFeed(where, error);
    throw new RateUnavailableError(
      `Could not read ${where}: ${(error as Error).message}. Check the chain's RPC endpoints (Chains screen), then try again.`,
      { cause: error },
    );
  }
  let decimals: number;
  let answer: bigint;
  let updatedAt: bigint;
  try {
    decimals = decodeFunctionResult({ abi: aggregatorAbi, functionName: 'decimals', data: decimalsData });
    [, answer, , updatedAt] = decodeFunctionResult({ abi: aggregatorAbi, functionName: 'latestRoundData', data: roundData });
  } catch (error) {
    throw notAFeed(where, error);
  }
  if (answer <= 0n || updatedAt === 0n)
    throw new RateUnavailableError(`${where} has no valid answer (answer ${answer}). Try again later, or use another feed.`);
  const ageSeconds = Math.floor(nowMs / 1000) - Number(updatedAt);
  if (ageSeconds > feed.heartbeatSeconds)
    throw new RateUnavailableError(
      `${where} is stale: last updated ${ageSeconds} s ago, its heartbeat is ${feed.heartbeatSeconds} s. Nothing was created; try again later or charge a token amount instead.`,
    );
  return { pair, chainId: pool.chainId, address: feed.address, answer, decimals, updatedAt: Number(updatedAt) };
}
