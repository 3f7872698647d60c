// anvil for the benchmark: test/fixtures/anvil.ts plus extra command-line flags. The catch-up
// chain runs with `--hardfork cancun --prune-history`: with anvil 1.7.1's default hardfork
// (prague) and full state history, mining a block costs time proportional to the chain's length
// (10,000 blocks took ~80 s to generate instead of ~2 s). Blocks, receipts and logs are kept
// either way; only historical state (eth_call at old blocks) is dropped, which nothing here uses.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Anvil } from '../../test/fixtures/anvil.ts';
import { freePort, waitFor } from '../../test/fixtures/ports.ts';

const ANVIL = fileURLToPath(new URL('../../node_modules/.bin/anvil', import.meta.url));

export async function startBenchAnvil(options: { chainId: number; blockTime?: number; args?: string[] }): Promise<Anvil> {
  const port = await freePort();
  const args = ['--host', '127.0.0.1', '--port', String(port), '--chain-id', String(options.chainId), '--silent'];
  if (options.blockTime) args.push('--block-time', String(options.blockTime));
  args.push(...(options.args ?? []));
  // With full history anvil persists each block's state to disk once memory holds enough of them
  // (about 20 MiB a block on the busy chain, 28 GiB a run) and leaves it behind on exit: keep it
  // in a folder of the bench's own, removed when anvil stops.
  const cache = mkdtempSync(join(tmpdir(), 'till-bench-anvil-'));
  args.push('--cache-path', cache);
  const removeCache = () => rmSync(cache, { recursive: true, force: true });
  process.once('exit', removeCache);
  const child: ChildProcess = spawn(ANVIL, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const rpcUrl = `http://127.0.0.1:${port}`;
  let id = 0;
  const rpc = async <T>(method: string, params: unknown[] = []): Promise<T> => {
    const response = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
    });
    const body = (await response.json()) as { result?: T; error?: { message: string } };
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result as T;
  };
  try {
    await waitFor(() => child.exitCode === null && rpc<string>('eth_chainId'), `anvil on port ${port}`);
  } catch (error) {
    child.kill('SIGKILL');
    removeCache();
    throw new Error(`anvil did not start: ${String(error)}\n${stderr}`);
  }
  return {
    rpcUrl,
    chainId: options.chainId,
    rpc,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      removeCache();
    },
  };
}
