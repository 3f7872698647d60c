import { decodeFunctionResult, encodeFunctionData, parseAbi } from 'viem';
import type { Store } from '../db/store.ts';
import type { RpcPool } from '../chains/rpc/rpc-pool.ts';
import { isoTime, type Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { toHex } from './rpc-types.ts';

/** Deployed at this address on every chain Till has presets for (and many more). */
export const MULTICALL3_ADDRESS: `0x${string}` = '0xcA11bde05977b3631167028862bE2a173976CA11';
/** Multicall3's aggregate3 and getEthBalance (balance-probe.ts reads balances through it too). */
export const multicall3Abi = parseAbi([
  'struct Call3 { address target; bool allowFailure; bytes callData; }',
  'struct Result { bool success; bytes returnData; }',
  'function aggregate3(Call3[] calls) payable returns (Result[] returnData)',
  'function getEthBalance(address addr) view returns (uint256 balance)',
]);

/**
 * Native coin sent by a contract (an "internal transfer") is not a top-level transaction, so
 * block bodies never show it. Comparing each open native invoice's balance (one Multicall3 call
 * for up to 500 addresses) with the payments Till recorded finds it; Till then raises an alert
 * with the amount instead of silently missing the payment. It cannot tell who sent it or when,
 * so it does not count it: the merchant decides (mark paid).
 */
export async function reconcileNativeBalances(
  deps: { store: Store; clock: Clock; rpc: RpcPool; chainId: number },
  block: number,
  signal: AbortSignal,
): Promise<number> {
  const { store, rpc, chainId } = deps;
  const rows = store.invoices.watchedAddresses(chainId, isoTime(deps.clock.now())).filter((row) => row.tokenAddress === null);
  if (rows.length === 0) return 0;
  const code = await rpc.request<string>('eth_getCode', [MULTICALL3_ADDRESS, toHex(block)], { atLeastBlock: block, signal });
  if (!code || code === '0x') return 0;
  let raised = 0;
  for (let i = 0; i < rows.length; i += 500) {
    const slice = rows.slice(i, i + 500);
    const data = encodeFunctionData({
      abi: multicall3Abi,
      functionName: 'aggregate3',
      args: [
        slice.map((row) => ({
          target: MULTICALL3_ADDRESS,
          allowFailure: true,
          callData: encodeFunctionData({
            abi: multicall3Abi,
            functionName: 'getEthBalance',
            args: [row.address as `0x${string}`],
          }),
        })),
      ],
    });
    const answer = await rpc.request<`0x${string}`>('eth_call', [{ to: MULTICALL3_ADDRESS, data }, toHex(block)], {
      atLeastBlock: block,
      signal,
    });
    const results = decodeFunctionResult({ abi: multicall3Abi, functionName: 'aggregate3', data: answer });
    const at = isoTime(deps.clock.now());
    store.write(() => {
      results.forEach((result, index) => {
        if (!result.success) return;
        const balance = decodeFunctionResult({ abi: multicall3Abi, functionName: 'getEthBalance', data: result.returnData });
        const row = slice[index]!;
        const recorded = store.payments
          .listForInvoice(row.invoiceId)
          .filter((payment) => payment.status !== 'orphaned' && payment.tokenAddress === null && payment.blockNumber <= block)
          .reduce((sum, payment) => sum + payment.amount, 0n);
        if (balance > recorded) {
          const invoice = store.invoices.get(row.invoiceId)!;
          const extra = balance - recorded;
          const written = store.alerts.raise(
            {
              id: newId('alr'),
              type: 'internal_transfer',
              severity: 'warning',
              chainId,
              invoiceId: row.invoiceId,
              message: `The deposit address of invoice ${row.invoiceId} holds ${extra} wei more ${invoice.tokenSymbol} than the payments Till saw: received by an internal transfer (a contract sent it).`,
              remedy:
                'Check the address on a block explorer ("internal transactions"). If it is the customer’s payment, mark the invoice paid with that as the reason.',
              details: { balance: balance.toString(), recorded: recorded.toString(), extra: extra.toString(), block },
              dedupeKey: `internal:${row.invoiceId}:${balance}`,
            },
            at,
          );
          if (written) raised++;
        }
      });
    });
  }
  return raised;
}
