import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type Anvil } from '../../../../../test/fixtures/anvil.ts';
import { startRpcProxy, type RpcProxy } from '../../../../../test/fixtures/rpc-proxy.ts';
import { freePort } from '../../../../../test/fixtures/ports.ts';
import { testRpcUrl } from './test-rpc-url.ts';

let anvil: Anvil;
let otherChain: Anvil;
let proxy: RpcProxy;

beforeAll(async () => {
  [anvil, otherChain] = await Promise.all([startAnvil(), startAnvil({ chainId: 137 })]);
  await anvil.rpc('anvil_mine', ['0x7d0']);
  proxy = await startRpcProxy(anvil.rpcUrl);
});
afterAll(async () => {
  await proxy?.close();
  await Promise.all([anvil?.stop(), otherChain?.stop()]);
});

describe('testRpcUrl', () => {
  it('accepts a good URL', async () => {
    const report = await testRpcUrl(anvil.rpcUrl, 31337);
    expect(report).toMatchObject({ ok: true, chainId: 31337, head: 2000, logRangeAccepted: 1_000, problems: [] });
    expect(report.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('names a URL that serves another chain', async () => {
    const report = await testRpcUrl(otherChain.rpcUrl, 31337);
    expect(report.ok).toBe(false);
    expect(report.chainId).toBe(137);
    expect(report.problems).toEqual(['this URL serves chain 137, not 31337']);
  });

  it('reports a refused log range and the span that works', async () => {
    proxy.faults.maxLogRange = { blocks: 500, message: 'exceed maximum block range: 500', code: -32000 };
    const report = await testRpcUrl(proxy.url, 31337);
    expect(report).toMatchObject({ ok: true, logRangeAccepted: 500 });
    expect(report.problems).toEqual(['eth_getLogs refused a 1,000-block range: eth_getLogs: exceed maximum block range: 500']);
  });

  it('accepts a good ws:// URL, newHeads included', async () => {
    const report = await testRpcUrl(anvil.rpcUrl.replace(/^http/, 'ws'), 31337);
    expect(report).toMatchObject({ ok: true, chainId: 31337, head: 2000, logRangeAccepted: 1_000, problems: [] });
  });

  it('explains a ws:// URL that cannot be opened', async () => {
    const report = await testRpcUrl(`ws://127.0.0.1:${await freePort()}`, 31337, { timeoutMs: 2_000 });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      'Could not read the chain id: eth_chainId: could not open the WebSocket (the host is unreachable or refused it, or the provider rejected the handshake, e.g. for a wrong API key)',
    ]);
  });

  it('explains an unreachable URL', async () => {
    proxy.faults = { status: 401 };
    const report = await testRpcUrl(proxy.url, 31337);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      'Could not read the chain id: eth_chainId: HTTP 401: the provider refused the request; check the API key',
    ]);
  });
});
