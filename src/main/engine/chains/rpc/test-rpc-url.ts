import { hexToNumber, isHex, numberToHex } from 'viem';
import type { RpcTestResult } from '../../../../shared/domain.ts';
import { createJsonRpcClient, type JsonRpcClient } from './json-rpc-client.ts';
import { RpcCallError } from './rpc-call-error.ts';

export type RpcUrlReport = RpcTestResult;

const PROBE_RANGE = 1_000;
/** A filter no contract matches, so the probe tests the span, not the provider's result cap. */
const NOWHERE = '0x000000000000000000000000000000000000dEaD';

/**
 * Checks an RPC URL before a merchant saves it: chain id, head, latency, how wide an
 * `eth_getLogs` span it accepts and, for a ws:// or wss:// URL, whether it offers `newHeads`.
 *
 * @example
 * const report = await testRpcUrl('https://polygon-rpc.com', 137);
 * if (!report.ok) showProblems(report.problems);
 */
export async function testRpcUrl(
  url: string,
  expectedChainId: number,
  options: { timeoutMs?: number; fetch?: typeof fetch } = {},
): Promise<RpcUrlReport> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const client = createJsonRpcClient({ url, timeoutMs, fetch: options.fetch });
  try {
    return await probe(client, expectedChainId, timeoutMs);
  } finally {
    client.close?.();
  }
}

async function probe(client: JsonRpcClient, expectedChainId: number, timeoutMs: number): Promise<RpcUrlReport> {
  const report: RpcUrlReport = { ok: false, chainId: null, head: null, latencyMs: null, logRangeAccepted: null, problems: [] };
  const say = (error: unknown) => (error instanceof Error ? error.message : String(error));

  try {
    const started = performance.now();
    const chainId = await client.call('eth_chainId', [], {});
    report.latencyMs = Math.round(performance.now() - started);
    if (!isHex(chainId)) throw new Error(`eth_chainId answered ${JSON.stringify(chainId)}, not a chain id`);
    report.chainId = hexToNumber(chainId);
  } catch (error) {
    report.problems.push(`Could not read the chain id: ${say(error)}`);
    return report;
  }
  if (report.chainId !== expectedChainId) report.problems.push(`this URL serves chain ${report.chainId}, not ${expectedChainId}`);

  try {
    const head = await client.call('eth_blockNumber', [], {});
    if (!isHex(head)) throw new Error(`eth_blockNumber answered ${JSON.stringify(head)}`);
    report.head = hexToNumber(head);
  } catch (error) {
    report.problems.push(`Could not read the latest block: ${say(error)}`);
    return report;
  }

  let span = Math.min(PROBE_RANGE, report.head + 1);
  let refused = false;
  for (let tries = 0; tries < 6 && span >= 1; tries++) {
    const fromBlock = report.head - span + 1;
    try {
      await client.call(
        'eth_getLogs',
        [{ address: NOWHERE, fromBlock: numberToHex(fromBlock), toBlock: numberToHex(report.head) }],
        {},
      );
      report.logRangeAccepted = span;
      break;
    } catch (error) {
      const refusal = error instanceof RpcCallError && error.kind === 'range' ? error.refusal : undefined;
      refused = true;
      report.problems.push(`eth_getLogs refused a ${span.toLocaleString('en-US')}-block range: ${say(error)}`);
      if (!refusal) break;
      span = refusal.limit !== null && refusal.limit < span ? refusal.limit : Math.floor(span / 2);
    }
  }
  if (refused && report.logRangeAccepted !== null && report.logRangeAccepted < 100)
    report.problems.push(`eth_getLogs accepts only ${report.logRangeAccepted} blocks at a time; scanning will be slow`);
  const headsProblem = client.subscribe ? await newHeadsProblem(client, timeoutMs) : null;
  if (headsProblem) report.problems.push(headsProblem);

  report.ok = report.chainId === expectedChainId && report.head !== null && report.logRangeAccepted !== null;
  return report;
}

/** A warning when a WebSocket endpoint will not push new heads (Till then polls it), else null. */
function newHeadsProblem(client: JsonRpcClient, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (problem: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      subscription.unsubscribe();
      resolve(problem && `no newHeads subscription (${problem}); Till will poll this endpoint for new blocks instead`);
    };
    const timer = setTimeout(() => finish(`eth_subscribe: no answer within ${Math.round(timeoutMs / 100) / 10} s`), timeoutMs);
    const subscription = client.subscribe!(['newHeads'], {
      onNotification: () => undefined,
      onStateChange: (state) => {
        if (state !== 'connecting') finish(state === 'live' ? null : (subscription.lastError ?? state));
      },
    });
  });
}
