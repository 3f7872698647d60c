// Chain history for the catch-up benchmark: `blocks` blocks from the current head on, where every
// `every`-th block carries one ERC-20 transfer and one native transfer to deposit addresses, and
// the blocks between are empty (anvil_mine). Automine is off while sending, so each traffic block
// costs three HTTP requests (a batch of two eth_sendTransaction, evm_mine, anvil_mine).
import { encodeFunctionData, parseAbi } from 'viem';
import { hex, rpc, rpcBatch, type RpcCall } from './json-rpc.ts';

const erc20 = parseAbi(['function transfer(address to, uint256 amount) returns (bool)']);

/** eth_sendTransaction calls paying one token and one native deposit address (either may be missing), from `from` at `nonce` on. */
function paymentCalls(
  plan: Pick<TrafficPlan, 'token' | 'tokenAmount' | 'nativeAmount'>,
  from: string,
  nonce: number,
  tokenTo: string | undefined,
  nativeTo: string | undefined,
): RpcCall[] {
  const calls: RpcCall[] = [];
  if (tokenTo)
    calls.push({
      method: 'eth_sendTransaction',
      params: [
        {
          from,
          to: plan.token,
          gas: hex(100_000),
          nonce: hex(nonce++),
          data: encodeFunctionData({ abi: erc20, functionName: 'transfer', args: [tokenTo as `0x${string}`, plan.tokenAmount] }),
        },
      ],
    });
  if (nativeTo)
    calls.push({
      method: 'eth_sendTransaction',
      params: [{ from, to: nativeTo, gas: hex(21_000), nonce: hex(nonce), value: hex(plan.nativeAmount) }],
    });
  return calls;
}

export interface TrafficPlan {
  url: string;
  from: string;
  token: string;
  /** Deposit addresses of token invoices / native invoices, each paid at most once. */
  tokenTargets: string[];
  nativeTargets: string[];
  blocks: number;
  every: number;
  tokenAmount: bigint;
  nativeAmount: bigint;
}

export interface Traffic {
  firstBlock: number;
  lastBlock: number;
  tokenTransfers: number;
  nativeTransfers: number;
}

export async function generateTraffic(plan: TrafficPlan): Promise<Traffic> {
  const { url, from } = plan;
  await rpc(url, 'evm_setAutomine', [false]);
  let nonce = Number(BigInt(await rpc<string>(url, 'eth_getTransactionCount', [from, 'pending'])));
  const firstBlock = Number(BigInt(await rpc<string>(url, 'eth_blockNumber'))) + 1;
  const groups = Math.ceil(plan.blocks / plan.every);
  let tokenTransfers = 0;
  let nativeTransfers = 0;
  let mined = 0;
  for (let g = 0; g < groups; g++) {
    const tokenTo = plan.tokenTargets[g];
    const nativeTo = plan.nativeTargets[g];
    const calls = paymentCalls(plan, from, nonce, tokenTo, nativeTo);
    nonce += calls.length;
    if (tokenTo) tokenTransfers++;
    if (nativeTo) nativeTransfers++;
    if (calls.length > 0) await rpcBatch(url, calls);
    await rpc(url, 'evm_mine');
    mined++;
    const empty = Math.min(plan.every - 1, plan.blocks - mined);
    if (empty > 0) await rpc(url, 'anvil_mine', [hex(empty)]);
    mined += empty;
  }
  await rpc(url, 'evm_setAutomine', [true]);
  const lastBlock = Number(BigInt(await rpc<string>(url, 'eth_blockNumber')));
  if (lastBlock !== firstBlock + plan.blocks - 1)
    throw new Error(`traffic: expected head ${firstBlock + plan.blocks - 1}, got ${lastBlock}`);
  return { firstBlock, lastBlock, tokenTransfers, nativeTransfers };
}

/** Deterministic shuffle (mulberry32), so every run pays the same invoices. */
export function shuffled<T>(items: T[], seed = 42): T[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export interface BusyPlan extends Omit<TrafficPlan, 'from'> {
  /** Pays the deposit addresses. */
  payer: string;
  /** Sends the unrelated transactions (its own nonces, so the payer's stay simple). */
  sender: string;
  /** Unrelated native transfers per block, to addresses no invoice has. */
  background: number;
  /** Called after each block is mined (the live phase paces itself here). */
  afterBlock?: (block: number) => Promise<void>;
}

/**
 * A busy chain: every block carries `background` unrelated native transfers (as on Base or BNB
 * Chain, where a merchant's payments are a tiny share of the traffic), and every `every`-th block
 * one ERC-20 and one native payment to deposit addresses.
 */
export async function generateBusyTraffic(plan: BusyPlan): Promise<Traffic> {
  const { url } = plan;
  await rpc(url, 'evm_setAutomine', [false]);
  let payerNonce = Number(BigInt(await rpc<string>(url, 'eth_getTransactionCount', [plan.payer, 'pending'])));
  let senderNonce = Number(BigInt(await rpc<string>(url, 'eth_getTransactionCount', [plan.sender, 'pending'])));
  const firstBlock = Number(BigInt(await rpc<string>(url, 'eth_blockNumber'))) + 1;
  let tokenTransfers = 0;
  let nativeTransfers = 0;
  let unrelated = 0;
  for (let b = 0; b < plan.blocks; b++) {
    const calls: RpcCall[] = [];
    for (let i = 0; i < plan.background; i++) {
      const to = `0x${(0xb000000000n + BigInt(unrelated++)).toString(16).padStart(40, '0')}`;
      calls.push({
        method: 'eth_sendTransaction',
        params: [{ from: plan.sender, to, gas: hex(21_000), nonce: hex(senderNonce++), value: hex(1) }],
      });
    }
    if (b % plan.every === 0) {
      const g = b / plan.every;
      const tokenTo = plan.tokenTargets[g];
      const nativeTo = plan.nativeTargets[g];
      const payments = paymentCalls(plan, plan.payer, payerNonce, tokenTo, nativeTo);
      payerNonce += payments.length;
      calls.push(...payments);
      if (tokenTo) tokenTransfers++;
      if (nativeTo) nativeTransfers++;
    }
    await rpcBatch(url, calls);
    await rpc(url, 'evm_mine');
    await plan.afterBlock?.(firstBlock + b);
  }
  await rpc(url, 'evm_setAutomine', [true]);
  const lastBlock = Number(BigInt(await rpc<string>(url, 'eth_blockNumber')));
  if (lastBlock !== firstBlock + plan.blocks - 1)
    throw new Error(`traffic: expected head ${firstBlock + plan.blocks - 1}, got ${lastBlock}`);
  return { firstBlock, lastBlock, tokenTransfers, nativeTransfers };
}
