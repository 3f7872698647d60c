import { decodeFunctionResult, encodeFunctionData, parseAbi, type Hex } from 'viem';
import type { SweepChain } from './sweep-chain.ts';

/**
 * What a transaction signed now pays. EIP-1559 where blocks carry a base fee: the max fee is twice
 * the base fee plus the tip, so it stays valid through six full blocks of base-fee rises (12.5 %
 * each); legacy gas price elsewhere (maxFee = tip = gasPrice, as the type-0 wire form needs).
 */
export interface FeeQuote {
  type: 'eip1559' | 'legacy';
  baseFee: bigint | null;
  /** The next block's base fee as the node computes it (eth_feeHistory); null on legacy chains. */
  nextBaseFee: bigint | null;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  /** What a unit of gas is expected to cost when mined now (base fee + tip): the planner's price. */
  expectedGasPrice: bigint;
}

/** Used where a node has no eth_maxPriorityFeePerGas: enough on every chain Till has presets for. */
const FALLBACK_TIP = 1_000_000_000n;

export async function quoteFees(chain: SweepChain, head: number, signal?: AbortSignal): Promise<FeeQuote> {
  const block = await chain.latestBlock(head, signal);
  if (block.baseFeePerGas === null) {
    const gasPrice = await chain.gasPrice(signal);
    return {
      type: 'legacy',
      baseFee: null,
      nextBaseFee: null,
      maxFeePerGas: gasPrice,
      maxPriorityFeePerGas: gasPrice,
      expectedGasPrice: gasPrice,
    };
  }
  const [tip, next] = await Promise.all([chain.maxPriorityFee(signal), chain.nextBaseFee(signal)]);
  return {
    type: 'eip1559',
    baseFee: block.baseFeePerGas,
    // At most 12.5 % above the last one on a standard EIP-1559 chain, when the node does not say.
    nextBaseFee: next ?? (block.baseFeePerGas * 9n + 7n) / 8n,
    maxFeePerGas: block.baseFeePerGas * 2n + (tip ?? FALLBACK_TIP),
    maxPriorityFeePerGas: tip ?? FALLBACK_TIP,
    expectedGasPrice: block.baseFeePerGas + (tip ?? FALLBACK_TIP),
  };
}

/**
 * Fees for a native sweep, which spends the deposit's whole balance: the next block's base fee
 * plus the tip, as both the max fee and the tip. It then pays exactly gas × max fee wherever it
 * is mined (what the base fee leaves goes to the block producer as tip), so the treasury receives
 * the balance less exactly what the receipt says was paid and nothing is stranded on the address —
 * the alternative, a difference left behind as dust, costs the same and more than it is worth to
 * move. If the base fee rises past it, it waits and is replaced like any other transaction.
 */
export function exactFees(quote: FeeQuote): FeeQuote {
  if (quote.type === 'legacy' || quote.nextBaseFee === null) return quote;
  const maxFeePerGas = quote.nextBaseFee + quote.maxPriorityFeePerGas;
  return { ...quote, maxFeePerGas, maxPriorityFeePerGas: maxFeePerGas, expectedGasPrice: maxFeePerGas };
}

/**
 * Fees of a replacement: at least 10 % more than the transaction it replaces on both the max fee
 * and the tip (the txpool's replacement rule; +12.5 % so rounding never lands just under it), and
 * never below what a fresh transaction would pay now.
 */
export function bumpFees(previous: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }, now: FeeQuote) {
  const raise = (value: bigint) => (value * 1125n + 999n) / 1000n + 1n;
  const maxPriorityFeePerGas = max(raise(previous.maxPriorityFeePerGas), now.maxPriorityFeePerGas);
  const maxFeePerGas = max(raise(previous.maxFeePerGas), now.maxFeePerGas, maxPriorityFeePerGas);
  return { maxFeePerGas, maxPriorityFeePerGas };
}

const max = (...values: bigint[]): bigint => values.reduce((a, b) => (b > a ? b : a));

/** OP-stack's GasPriceOracle predeploy (Optimism, Base, …): the L1 data fee of a transaction. */
export const L1_FEE_ORACLE = '0x420000000000000000000000000000000000000F';
const oracleAbi = parseAbi(['function getL1Fee(bytes _data) view returns (uint256)']);

/**
 * The L1 data fee an OP-stack chain charges on top of gas for these transaction bytes, with a
 * 25 % margin (the L1 base fee moves between now and inclusion). 0 on chains without the oracle.
 */
export async function l1DataFee(chain: SweepChain, hasOracle: boolean, unsignedTx: Hex, signal?: AbortSignal): Promise<bigint> {
  if (!hasOracle) return 0n;
  const data = encodeFunctionData({ abi: oracleAbi, functionName: 'getL1Fee', args: [unsignedTx] });
  const answer = await chain.call({ to: L1_FEE_ORACLE, data }, 'latest', signal);
  const fee = decodeFunctionResult({ abi: oracleAbi, functionName: 'getL1Fee', data: answer });
  return (fee * 125n + 99n) / 100n;
}
