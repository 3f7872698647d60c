import { concatHex, decodeFunctionResult, encodeFunctionData, keccak256, numberToHex, type Hex } from 'viem';
import artifact from '../../../../resources/contracts/BalanceProbe.json' with { type: 'json' };
import type { RpcPool } from '../chains/rpc/rpc-pool.ts';
import { isStateUnavailable, RpcCallError } from '../chains/rpc/rpc-call-error.ts';
import { MULTICALL3_ADDRESS, multicall3Abi } from './balance-reconcile.ts';
import { toHex } from './rpc-types.ts';

/**
 * Where the probe's code is placed by the state override: an address nobody holds a key for, so
 * the override shadows no real account (and a node that ignores overrides answers "0x", not
 * someone else's code).
 */
const PROBE_ADDRESS = '0x00000000000000000000000000000000071110b3';
/**
 * Addresses per eth_call. A cold BALANCE costs 2,600 gas, so 2,000 stay near 5.5 M gas, far below
 * the eth_call gas caps providers set (geth's default is 50 M).
 */
export const ADDRESSES_PER_CALL = 2_000;

/**
 * How balances are read from an endpoint. `override`: BalanceProbe through eth_call's state
 * override (digests cost 32 bytes per group, whatever the group's size). `multicall`: Multicall3's
 * getEthBalance for each address (32 bytes per address and its ABI framing; digests are computed
 * here). An endpoint that refuses overrides is asked through Multicall3 from then on.
 */
export type ProbeMethod = 'override' | 'multicall';

/** A block by EIP-1898 hash (pinned: the answer is about that block or an error) or by number. */
export type BlockRef = { blockHash: string } | number;
const blockParam = (block: BlockRef) => (typeof block === 'number' ? toHex(block) : { blockHash: block.blockHash });

/**
 * Balances cannot be read this way from the endpoint: it has pruned the state of the block, or it
 * runs neither the state override nor Multicall3. The scanner reads block bodies instead.
 */
export class StateUnavailableError extends Error {}

/** keccak256 of the balances as 32-byte words, as BalanceProbe computes it for a group. */
export function digestOf(balances: bigint[]): Hex {
  return keccak256(balances.length === 0 ? '0x' : concatHex(balances.map((b) => numberToHex(b, { size: 32 }))));
}

function packed(groupSize: number, addresses: string[]): Hex {
  return `0x${groupSize.toString(16).padStart(64, '0')}${addresses.map((a) => a.slice(2).toLowerCase()).join('')}`;
}

function words(data: string): bigint[] {
  const hex = data.startsWith('0x') ? data.slice(2) : data;
  const out: bigint[] = [];
  for (let i = 0; i + 64 <= hex.length; i += 64) out.push(BigInt(`0x${hex.slice(i, i + 64)}`));
  return out;
}

function asStateError(error: unknown, block: BlockRef): never {
  const message = error instanceof Error ? error.message : String(error);
  if (isStateUnavailable(message))
    throw new StateUnavailableError(
      `the endpoint has no state for block ${typeof block === 'number' ? block : block.blockHash} (${message})`,
    );
  throw error;
}

export function createBalanceProbe(rpc: RpcPool) {
  const methods = new Map<string, ProbeMethod>();

  async function overrideCall(
    groupSize: number,
    addresses: string[],
    block: BlockRef,
    options: { endpoint: string; signal: AbortSignal },
  ): Promise<string[]> {
    const calls = [];
    for (let i = 0; i < addresses.length; i += ADDRESSES_PER_CALL)
      calls.push({
        method: 'eth_call',
        params: [
          { to: PROBE_ADDRESS, data: packed(groupSize, addresses.slice(i, i + ADDRESSES_PER_CALL)) },
          blockParam(block),
          { [PROBE_ADDRESS]: { code: artifact.deployedBytecode } },
        ],
      });
    return rpc.batch<string>(calls, { endpoint: options.endpoint, signal: options.signal });
  }

  async function multicallBalances(
    addresses: string[],
    block: BlockRef,
    options: { endpoint: string; signal: AbortSignal },
  ): Promise<bigint[]> {
    const calls = [];
    for (let i = 0; i < addresses.length; i += ADDRESSES_PER_CALL) {
      const data = encodeFunctionData({
        abi: multicall3Abi,
        functionName: 'aggregate3',
        args: [
          addresses.slice(i, i + ADDRESSES_PER_CALL).map((address) => ({
            target: MULTICALL3_ADDRESS,
            allowFailure: false,
            callData: encodeFunctionData({
              abi: multicall3Abi,
              functionName: 'getEthBalance',
              args: [address as `0x${string}`],
            }),
          })),
        ],
      });
      calls.push({ method: 'eth_call', params: [{ to: MULTICALL3_ADDRESS, data }, blockParam(block)] });
    }
    const answers = await rpc
      .batch<Hex>(calls, { endpoint: options.endpoint, signal: options.signal })
      .catch((error: unknown) => {
        if (
          error instanceof RpcCallError &&
          (error.kind === 'fatal' || error.kind === 'unsupported') &&
          !isStateUnavailable(error.message)
        )
          throw new StateUnavailableError(`the endpoint ignores state overrides and Multicall3 failed (${error.message})`);
        throw error;
      });
    if (answers.some((answer) => answer === '0x'))
      throw new StateUnavailableError('the endpoint ignores state overrides and Multicall3 is not deployed on this chain');
    return answers.flatMap((answer) =>
      decodeFunctionResult({ abi: multicall3Abi, functionName: 'aggregate3', data: answer }).map((result) =>
        BigInt(result.returnData),
      ),
    );
  }

  /** Which method this endpoint takes: tried once with the override, remembered. */
  async function methodOf(endpoint: string, block: BlockRef, signal: AbortSignal): Promise<ProbeMethod> {
    const known = methods.get(endpoint);
    if (known) return known;
    const zero = '0x0000000000000000000000000000000000000000';
    try {
      const [answer] = await overrideCall(0, [zero], block, { endpoint, signal });
      // A node that ignores the override runs an empty account: "0x" instead of one word.
      methods.set(endpoint, answer && answer.length === 66 ? 'override' : 'multicall');
    } catch (error) {
      if (error instanceof RpcCallError && isStateUnavailable(error.message)) asStateError(error, block);
      if (!(error instanceof RpcCallError) || (error.kind !== 'fatal' && error.kind !== 'unsupported')) throw error;
      methods.set(endpoint, 'multicall');
    }
    return methods.get(endpoint)!;
  }

  return {
    /** The method last used with `endpoint`, for the chain health screen. */
    methodFor: (endpoint: string): ProbeMethod | undefined => methods.get(endpoint),

    /** Balances of `addresses` at `block`, in order. */
    async balances(addresses: string[], block: BlockRef, options: { endpoint: string; signal: AbortSignal }): Promise<bigint[]> {
      if (addresses.length === 0) return [];
      try {
        if ((await methodOf(options.endpoint, block, options.signal)) === 'multicall')
          return await multicallBalances(addresses, block, options);
        return (await overrideCall(0, addresses, block, options)).flatMap(words);
      } catch (error) {
        return asStateError(error, block);
      }
    },

    /**
     * One digest per group of `groupSize` addresses (see digestOf), groups never spanning two
     * calls: `groupSize` must divide ADDRESSES_PER_CALL.
     */
    async digests(
      addresses: string[],
      groupSize: number,
      block: BlockRef,
      options: { endpoint: string; signal: AbortSignal },
    ): Promise<Hex[]> {
      if (addresses.length === 0) return [];
      if (ADDRESSES_PER_CALL % groupSize !== 0) throw new Error(`group size ${groupSize} must divide ${ADDRESSES_PER_CALL}`);
      try {
        if ((await methodOf(options.endpoint, block, options.signal)) === 'multicall') {
          const all = await multicallBalances(addresses, block, options);
          const out: Hex[] = [];
          for (let i = 0; i < all.length; i += groupSize) out.push(digestOf(all.slice(i, i + groupSize)));
          return out;
        }
        return (await overrideCall(groupSize, addresses, block, options)).flatMap((answer) =>
          words(answer).map((word) => numberToHex(word, { size: 32 })),
        );
      } catch (error) {
        return asStateError(error, block);
      }
    },
  };
}
export type BalanceProbe = ReturnType<typeof createBalanceProbe>;
