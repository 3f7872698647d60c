import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type Anvil } from '../../../../../test/fixtures/anvil.ts';
import { freePort, waitFor } from '../../../../../test/fixtures/ports.ts';
import { portOf, startTcpProxy, type TcpProxy } from '../../../../../test/fixtures/tcp-proxy.ts';
import { createJsonRpcClient } from './json-rpc-client.ts';
import { RpcCallError } from './rpc-call-error.ts';
import { createWsJsonRpcClient, type WsJsonRpcClient } from './ws-json-rpc-client.ts';

/*
 * Against a real anvil, which serves WebSocket on its HTTP port. Faults on the socket (answers
 * that stop coming, a cut mid-call) come from a byte-level TCP proxy (test/fixtures/tcp-proxy.ts)
 * rather than from restarting anvil: a restart cannot land between "request sent" and "answer
 * received" on purpose, and anvil answers far too fast for a race to be reliable. The proxy only
 * stalls or cuts the TCP stream; every frame is anvil's own.
 */

let anvil: Anvil;
let wsUrl: string;
let proxy: TcpProxy;
const clients: WsJsonRpcClient[] = [];

function client(url: string, options: { timeoutMs?: number; reconnectBaseMs?: number } = {}): WsJsonRpcClient {
  const created = createWsJsonRpcClient({ url, timeoutMs: options.timeoutMs ?? 5_000, ...options });
  clients.push(created);
  return created;
}

async function failure(promise: Promise<unknown>): Promise<RpcCallError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RpcCallError);
  return error as RpcCallError;
}

beforeAll(async () => {
  anvil = await startAnvil();
  wsUrl = anvil.rpcUrl.replace(/^http/, 'ws');
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await proxy?.close();
});
afterAll(async () => {
  await anvil?.stop();
});

describe('createWsJsonRpcClient', () => {
  it('createJsonRpcClient picks it for ws:// URLs', () => {
    const ws = createJsonRpcClient({ url: wsUrl, timeoutMs: 1_000 });
    const http = createJsonRpcClient({ url: anvil.rpcUrl, timeoutMs: 1_000 });
    expect(typeof ws.subscribe).toBe('function');
    expect(http.subscribe).toBeUndefined();
    ws.close?.();
  });

  it('answers calls and batches over one connection, per-item errors classified as over HTTP', async () => {
    proxy = await startTcpProxy(portOf(anvil.rpcUrl));
    const ws = client(proxy.wsUrl);
    const [chainId, head] = await Promise.all([ws.call('eth_chainId', [], {}), ws.call('eth_blockNumber', [], {})]);
    expect(chainId).toBe('0x7a69');
    expect(head).toMatch(/^0x[0-9a-f]+$/);
    const badItem = { method: 'eth_getBalance', params: ['0xnot-an-address', 'latest'] };
    const batch = await ws.callBatch(
      [{ method: 'eth_chainId', params: [] }, badItem, { method: 'eth_getBlockByNumber', params: ['0x0', false] }],
      {},
    );
    expect(batch[0]).toEqual({ ok: true, result: '0x7a69' });
    expect(batch[2]).toMatchObject({ ok: true, result: { number: '0x0' } });
    const overHttp = await createJsonRpcClient({ url: anvil.rpcUrl, timeoutMs: 5_000 }).callBatch([badItem], {});
    expect(batch[1]!.ok).toBe(false);
    expect(overHttp[0]!.ok).toBe(false);
    const [wsError, httpError] = [batch[1], overHttp[0]].map((item) => (item as { error: RpcCallError }).error);
    // anvil words the message differently per transport; the code and so the kind are the same.
    expect(wsError).toMatchObject({ kind: httpError!.kind, rpcCode: httpError!.rpcCode });
    expect(wsError!.kind).toBe('fatal');
    expect(await ws.callBatch([], {})).toEqual([]);
    expect(proxy.accepted()).toBe(1);
  });

  it('a call without an answer times out as retryable, and the silent socket is replaced', async () => {
    proxy = await startTcpProxy(portOf(anvil.rpcUrl));
    const ws = client(proxy.wsUrl);
    await ws.call('eth_chainId', [], {});
    proxy.stallAnswers();
    const error = await failure(ws.call('eth_blockNumber', [], { timeoutMs: 300 }));
    expect(error.kind).toBe('retryable');
    expect(error.message).toMatchInlineSnapshot(`"eth_blockNumber: no answer within 300 ms"`);
    proxy.resume();
    expect(await ws.call('eth_chainId', [], {})).toBe('0x7a69');
    expect(proxy.accepted()).toBe(2);
  });

  it('the socket dropping mid-call fails the call as retryable; the next call reconnects', async () => {
    proxy = await startTcpProxy(portOf(anvil.rpcUrl));
    const ws = client(proxy.wsUrl);
    await ws.call('eth_chainId', [], {});
    proxy.stallAnswers();
    const sentBefore = proxy.forwarded();
    const pending = ws.callBatch(
      [
        { method: 'eth_blockNumber', params: [] },
        { method: 'eth_chainId', params: [] },
      ],
      { timeoutMs: 20_000 },
    );
    // The request has reached anvil (and its answer waits in the proxy) before the cut.
    await waitFor(() => proxy.forwarded() > sentBefore, 'the batch to leave the client', 5_000);
    proxy.dropAll();
    const error = await failure(pending);
    expect(error.kind).toBe('retryable');
    expect(error.message).toMatchInlineSnapshot(
      `"batch of 2 (eth_blockNumber, eth_chainId): the connection closed (code 1006) before the answer came"`,
    );
    proxy.resume();
    expect(await ws.call('eth_chainId', [], {})).toBe('0x7a69');
    expect(proxy.accepted()).toBe(2);
  });

  it('an abort signal rejects with its reason, before and during a call', async () => {
    proxy = await startTcpProxy(portOf(anvil.rpcUrl));
    const ws = client(proxy.wsUrl);
    const reason = new Error('stopping');
    await expect(ws.call('eth_chainId', [], { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    await ws.call('eth_chainId', [], {});
    proxy.stallAnswers();
    const controller = new AbortController();
    const pending = ws.call('eth_blockNumber', [], { signal: controller.signal });
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('an endpoint that cannot be reached fails as retryable with what to check', async () => {
    const ws = client(`ws://127.0.0.1:${await freePort()}`);
    const error = await failure(ws.call('eth_chainId', [], {}));
    expect(error.kind).toBe('retryable');
    expect(error.message).toMatchInlineSnapshot(
      `"eth_chainId: could not open the WebSocket (the host is unreachable or refused it, or the provider rejected the handshake, e.g. for a wrong API key)"`,
    );
  });

  it('a newHeads subscription delivers each block and is made again after the socket drops', async () => {
    proxy = await startTcpProxy(portOf(anvil.rpcUrl));
    const ws = client(proxy.wsUrl, { reconnectBaseMs: 50 });
    const heads: number[] = [];
    const states: string[] = [];
    const subscription = ws.subscribe(['newHeads'], {
      onNotification: (header) => heads.push(Number((header as { number: string }).number)),
      onStateChange: (state) => states.push(state),
    });
    await waitFor(() => subscription.state === 'live', 'the subscription to be live', 5_000);
    const first = Number(await anvil.rpc<string>('evm_mine').then(() => anvil.rpc<string>('eth_blockNumber')));
    await waitFor(() => heads.includes(first), `block ${first} to be notified`, 5_000);

    proxy.dropAll();
    await waitFor(() => states.length > 1 && subscription.state === 'live', 'the subscription to be made again', 10_000);
    expect(states).toEqual(['live', 'reconnecting', 'connecting', 'live']);
    expect(proxy.accepted()).toBe(2);
    await anvil.rpc('evm_mine');
    await waitFor(() => heads.includes(first + 1), `block ${first + 1} to be notified after the reconnect`, 5_000);

    // What the pool does with a subscription that went silent: it is made again on the same socket.
    subscription.resubscribe();
    await waitFor(() => states.length > 4 && subscription.state === 'live', 'the subscription to be made again', 5_000);
    await anvil.rpc('evm_mine');
    await waitFor(() => heads.includes(first + 2), `block ${first + 2} to be notified after resubscribing`, 5_000);
    expect(proxy.accepted()).toBe(2);
    subscription.unsubscribe();
  });

  it('close fails calls in flight and refuses new ones', async () => {
    proxy = await startTcpProxy(portOf(anvil.rpcUrl));
    const ws = client(proxy.wsUrl);
    await ws.call('eth_chainId', [], {});
    proxy.stallAnswers();
    const pending = ws.call('eth_blockNumber', [], {});
    ws.close();
    expect((await failure(pending)).message).toBe('eth_blockNumber: the connection was closed');
    expect((await failure(ws.call('eth_chainId', [], {}))).kind).toBe('retryable');
  });
});
