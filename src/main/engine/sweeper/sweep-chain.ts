import { decodeFunctionResult, encodeFunctionData, parseAbi, type Hex } from 'viem';
import type { RpcPool } from '../chains/rpc/rpc-pool.ts';
import { asHeader, blockCall, headerMethod } from '../chains/rpc/header-method.ts';
import { MULTICALL3_ADDRESS } from '../scanner/balance-reconcile.ts';
import { toHex } from '../scanner/rpc-types.ts';
import { NATIVE, type SweepToken } from '../db/repositories/sweep-deposits-repo.ts';

const balanceAbi = parseAbi([
  'struct Call3 { address target; bool allowFailure; bytes callData; }',
  'struct Result { bool success; bytes returnData; }',
  'function aggregate3(Call3[] calls) payable returns (Result[] returnData)',
  'function getEthBalance(address addr) view returns (uint256 balance)',
  'function balanceOf(address owner) view returns (uint256)',
]);

export interface RpcReceipt {
  transactionHash: string;
  blockNumber: string;
  blockHash: string;
  status: string;
  gasUsed: string;
  effectiveGasPrice?: string;
  /** OP-stack chains: the L1 data fee paid on top of gas. */
  l1Fee?: string;
  contractAddress?: string | null;
  logs: { address: string; topics: string[]; data: string }[];
}

export interface CallRequest {
  from?: string;
  to?: string | null;
  data?: Hex;
  value?: bigint;
  authorizationList?: { address: string; chainId: number; nonce: number; yParity: number; r: string; s: string }[];
}

const quantity = (value: bigint | number): string => `0x${value.toString(16)}`;

function rpcCall(request: CallRequest): Record<string, unknown> {
  return {
    ...(request.from ? { from: request.from } : {}),
    ...(request.to ? { to: request.to } : {}),
    ...(request.data ? { data: request.data } : {}),
    ...(request.value !== undefined ? { value: quantity(request.value) } : {}),
    ...(request.authorizationList?.length
      ? {
          authorizationList: request.authorizationList.map((a) => ({
            address: a.address,
            chainId: quantity(a.chainId),
            nonce: quantity(a.nonce),
            yParity: quantity(a.yParity),
            r: a.r,
            s: a.s,
          })),
        }
      : {}),
  };
}

/**
 * The chain as the sweeper reads and writes it, over the chain's RPC pool (failover, breaker,
 * heads). Reads that decide what to sign ask an endpoint that has reached `atLeast`, so a lagging
 * node cannot make a spent balance look unspent.
 */
export function createSweepChain(pool: RpcPool) {
  const at = (atLeast: number | undefined, signal?: AbortSignal) => ({ atLeastBlock: atLeast, signal });
  /**
   * Block `n`'s header. The sweeper looks at the head on every pass (fees), and on a busy chain
   * `eth_getBlockByNumber(n, false)` lists every transaction hash: where the endpoint the pool
   * would ask first serves a header alone (eth_getHeaderByNumber, ots_getBlockDetails), it is
   * asked that way; if that fails, the block is read with failover as before.
   */
  async function header<T>(n: number, signal?: AbortSignal): Promise<T | null> {
    const endpoint = pool.endpointsAt(n)[0];
    const method = endpoint ? await headerMethod(pool, endpoint, n, signal) : 'eth_getBlockByNumber';
    if (method !== 'eth_getBlockByNumber') {
      const call = blockCall(n, false, method);
      const found = await pool
        .request<unknown>(call.method, call.params, { ...at(n, signal), endpoint })
        .then((answer) => asHeader<T & { hash?: unknown }>(method, answer))
        .catch((error: unknown) => {
          if (signal?.aborted) throw error;
          return null;
        });
      if (found) return found;
    }
    return pool.request<T | null>('eth_getBlockByNumber', [toHex(n), false], at(n, signal));
  }
  return {
    pool,
    chainId: pool.chainId,
    head: (signal?: AbortSignal) => pool.refreshHeads({ signal }),
    async latestBlock(
      atLeast: number,
      signal?: AbortSignal,
    ): Promise<{ number: number; hash: string; baseFeePerGas: bigint | null }> {
      const block = await header<{ number: string; hash: string; baseFeePerGas?: string }>(atLeast, signal);
      if (!block) throw new Error(`no block ${atLeast}`);
      return {
        number: Number(BigInt(block.number)),
        hash: block.hash.toLowerCase(),
        baseFeePerGas: block.baseFeePerGas ? BigInt(block.baseFeePerGas) : null,
      };
    },
    async blockHash(number: number, signal?: AbortSignal): Promise<string | null> {
      const block = await header<{ hash: string }>(number, signal);
      return block ? block.hash.toLowerCase() : null;
    },
    async balance(address: string, block: number, signal?: AbortSignal): Promise<bigint> {
      return BigInt(await pool.request<string>('eth_getBalance', [address, toHex(block)], at(block, signal)));
    },
    async code(address: string, block: number, signal?: AbortSignal): Promise<string> {
      return (await pool.request<string>('eth_getCode', [address, toHex(block)], at(block, signal))) ?? '0x';
    },
    /** Transactions mined from `address` up to `block` (its next nonce there). */
    async nonce(address: string, block: number | 'pending', signal?: AbortSignal): Promise<number> {
      const tag = block === 'pending' ? 'pending' : toHex(block);
      return Number(
        BigInt(
          await pool.request<string>(
            'eth_getTransactionCount',
            [address, tag],
            at(block === 'pending' ? undefined : block, signal),
          ),
        ),
      );
    },
    /** Codes and nonces of many addresses at one block, in one batch per 100. */
    async accounts(addresses: string[], block: number, signal?: AbortSignal): Promise<{ code: string; nonce: number }[]> {
      const out: { code: string; nonce: number }[] = [];
      for (let i = 0; i < addresses.length; i += 100) {
        const slice = addresses.slice(i, i + 100);
        const answers = await pool.batch<string>(
          slice.flatMap((address) => [
            { method: 'eth_getCode', params: [address, toHex(block)] },
            { method: 'eth_getTransactionCount', params: [address, toHex(block)] },
          ]),
          at(block, signal),
        );
        for (let j = 0; j < slice.length; j++)
          out.push({ code: answers[2 * j] ?? '0x', nonce: Number(BigInt(answers[2 * j + 1]!)) });
      }
      return out;
    },
    async receipt(hash: string, signal?: AbortSignal): Promise<RpcReceipt | null> {
      return pool.request<RpcReceipt | null>('eth_getTransactionReceipt', [hash], { signal });
    },
    async estimateGas(request: CallRequest, signal?: AbortSignal): Promise<bigint> {
      return BigInt(await pool.request<string>('eth_estimateGas', [rpcCall(request)], { signal }));
    },
    async call(request: CallRequest, block: number | 'latest', signal?: AbortSignal): Promise<Hex> {
      return pool.request<Hex>('eth_call', [rpcCall(request), block === 'latest' ? 'latest' : toHex(block)], {
        atLeastBlock: block === 'latest' ? undefined : block,
        signal,
      });
    },
    async maxPriorityFee(signal?: AbortSignal): Promise<bigint | null> {
      try {
        return BigInt(await pool.request<string>('eth_maxPriorityFeePerGas', [], { signal }));
      } catch {
        return null;
      }
    },
    /** The base fee of the block after the latest, as the node computes it (the last entry of eth_feeHistory). */
    async nextBaseFee(signal?: AbortSignal): Promise<bigint | null> {
      try {
        const history = await pool.request<{ baseFeePerGas?: string[] }>('eth_feeHistory', ['0x1', 'latest', []], { signal });
        const next = history.baseFeePerGas?.at(-1);
        return next ? BigInt(next) : null;
      } catch {
        return null;
      }
    },
    async gasPrice(signal?: AbortSignal): Promise<bigint> {
      return BigInt(await pool.request<string>('eth_gasPrice', [], { signal }));
    },
    /**
     * Balances of `tokens` (and 'native') for many addresses at one block: Multicall3 where the
     * chain has it (one eth_call per 500 balances), else a batch of plain calls.
     */
    async balances(
      addresses: string[],
      tokens: SweepToken[],
      block: number,
      options: { multicall3: boolean; signal?: AbortSignal },
    ): Promise<Map<string, Map<SweepToken, bigint>>> {
      const pairs = addresses.flatMap((address) => tokens.map((token) => ({ address: address.toLowerCase(), token })));
      const out = new Map<string, Map<SweepToken, bigint>>();
      const put = (address: string, token: SweepToken, value: bigint) => {
        let row = out.get(address);
        if (!row) out.set(address, (row = new Map()));
        row.set(token, value);
      };
      const callOf = (pair: { address: string; token: SweepToken }) =>
        pair.token === NATIVE
          ? {
              target: MULTICALL3_ADDRESS,
              data: encodeFunctionData({ abi: balanceAbi, functionName: 'getEthBalance', args: [pair.address as Hex] }),
            }
          : {
              target: pair.token as Hex,
              data: encodeFunctionData({ abi: balanceAbi, functionName: 'balanceOf', args: [pair.address as Hex] }),
            };
      if (options.multicall3) {
        for (let i = 0; i < pairs.length; i += 500) {
          const slice = pairs.slice(i, i + 500);
          const data = encodeFunctionData({
            abi: balanceAbi,
            functionName: 'aggregate3',
            args: [slice.map((pair) => ({ target: callOf(pair).target, allowFailure: true, callData: callOf(pair).data }))],
          });
          const answer = await pool.request<Hex>(
            'eth_call',
            [{ to: MULTICALL3_ADDRESS, data }, toHex(block)],
            at(block, options.signal),
          );
          const results = decodeFunctionResult({ abi: balanceAbi, functionName: 'aggregate3', data: answer });
          results.forEach((result, index) => {
            // A token that is not a contract (or reverts) holds nothing Till could move.
            const value = result.success && result.returnData.length >= 66 ? BigInt(result.returnData.slice(0, 66)) : 0n;
            put(slice[index]!.address, slice[index]!.token, value);
          });
        }
        return out;
      }
      for (let i = 0; i < pairs.length; i += 100) {
        const slice = pairs.slice(i, i + 100);
        const answers = await pool.batch<string>(
          slice.map((pair) =>
            pair.token === NATIVE
              ? { method: 'eth_getBalance', params: [pair.address, toHex(block)] }
              : { method: 'eth_call', params: [{ to: pair.token, data: callOf(pair).data }, toHex(block)] },
          ),
          at(block, options.signal),
        );
        answers.forEach((answer, index) => {
          const value = typeof answer === 'string' && answer.length >= 3 ? BigInt(answer.slice(0, 66)) : 0n;
          put(slice[index]!.address, slice[index]!.token, value);
        });
      }
      return out;
    },
  };
}
export type SweepChain = ReturnType<typeof createSweepChain>;
