// A real engine with its scanner loop, like test/fixtures/detection.ts, but with the chain's RPC
// URLs, start block, poll interval and confirmations chosen by the benchmark, and the chain paused
// from the start so invoices can be created before the scanner sees a block.
import pino from 'pino';
import { createEngine, type Engine } from '../../src/main/engine/engine.ts';
import { tempDataDir, TEST_MNEMONIC, TEST_PASSPHRASE } from '../../test/fixtures/engine.ts';
import { FIRST_DEPOSIT_INDEX } from '../../test/fixtures/detection-harness.ts';

export interface BenchChain {
  chainId: number;
  rpcUrls: string[];
  startBlock: number;
  pollIntervalMs: number;
  confirmations: number;
  tokens: { symbol: string; address: string; decimals: number }[];
  /** Default: the chain's own (auto). */
  nativeDetection?: 'auto' | 'balances' | 'blocks';
}

export interface BenchEngine {
  engine: Engine;
  chain: BenchChain;
  /** Last scanned block, or -1 before the first step. */
  cursor(): number;
  /** Polls the stored cursor every few ms until it reaches `block`; resolves with the time it did. */
  untilCursor(block: number, timeoutMs?: number): Promise<number>;
  /** Re-saves the chain with other RPC URLs (the supervisor picks them up on its next iteration). */
  setRpcUrls(urls: string[]): Promise<void>;
  /** Re-saves the chain with another native-coin detection setting. */
  setNativeDetection(mode: 'auto' | 'balances' | 'blocks'): Promise<void>;
  close(): Promise<void>;
}

export async function startBenchEngine(chain: BenchChain, options: { paused?: boolean } = {}): Promise<BenchEngine> {
  const data = tempDataDir('till-bench-scan-');
  const engine = await createEngine({
    dataDir: data.dir,
    host: 'browser',
    keystore: 'file',
    passphrase: async () => TEST_PASSPHRASE,
    logger: pino({ level: process.env.TILL_BENCH_LOG ?? 'silent' }),
  });
  await engine.invoke('wallet.import', { mnemonic: TEST_MNEMONIC });
  // The test mnemonic is anvil's: its first ten addresses are anvil's funded accounts, which the
  // benchmark sends from. A merchant's deposit addresses never spend on their own, so start past them.
  engine.store.db.prepare('UPDATE wallet SET next_index = ? WHERE id = 1').run(FIRST_DEPOSIT_INDEX);
  const save = (urls: string[]) =>
    engine.invoke('chains.save', {
      chainId: chain.chainId,
      name: 'Anvil',
      rpcUrls: urls,
      confirmations: chain.confirmations,
      pollIntervalMs: chain.pollIntervalMs,
      startBlock: chain.startBlock,
      tokens: chain.tokens,
      ...(chain.nativeDetection ? { nativeDetection: chain.nativeDetection } : {}),
    });
  await save(chain.rpcUrls);
  // The supervisor only looks at the chain list once a second: pausing now happens before its first step.
  if (options.paused) await engine.invoke('chains.pause', { chainId: chain.chainId });
  const cursor = () => engine.store.scanCursors.get(chain.chainId)?.blockNumber ?? -1;
  return {
    engine,
    chain,
    cursor,
    async untilCursor(block, timeoutMs = 300_000) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        if (cursor() >= block) return performance.now();
        if (performance.now() > deadline) throw new Error(`cursor stuck at ${cursor()}, waiting for ${block}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    async setRpcUrls(urls) {
      chain.rpcUrls = urls;
      await save(urls);
    },
    async setNativeDetection(mode) {
      chain.nativeDetection = mode;
      await save(chain.rpcUrls);
    },
    async close() {
      await engine.stop();
      data.cleanup();
    },
  };
}
