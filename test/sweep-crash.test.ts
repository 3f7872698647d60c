import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEther, parseUnits, type Address } from 'viem';
import { english, generateMnemonic, mnemonicToAccount } from 'viem/accounts';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { clients, mine, mintToken, nativeBalance, sendNative, setAutomine, tokenBalance } from './fixtures/chain-actions.ts';
import { tempDataDir } from './fixtures/engine.ts';
import { waitFor } from './fixtures/ports.ts';
import { startRpcGate, type RpcGate } from './fixtures/rpc-gate.ts';
import { deploySweepTokens, freshAddress, type SweepTokens } from './fixtures/sweep-harness.ts';
import { runTill, startTillServe, type TillServe } from './fixtures/till-serve.ts';

interface TxRow {
  id: string;
  sweep_id: string;
  from_address: string;
  nonce: number;
  status: string;
  mined_hash: string | null;
}

/**
 * `till serve` killed with SIGKILL at each step of a sweep — after signing (the raw transaction
 * stored, not yet sent), after broadcast (in the node's pool, not mined), after mining (before the
 * confirmation depth) — and started again: every deposit is swept exactly once, with the very
 * transaction signed before the crash (never re-signed with a new nonce), and the gas account's
 * nonces have no gap.
 */
describe('kill -9 of till serve while it sweeps (anvil, Prague)', () => {
  const data = tempDataDir('till-sweep-crash-');
  // Not the test mnemonic: its first deposit addresses are anvil's own prefunded accounts.
  const words = generateMnemonic(english);
  const GAS_ACCOUNT = mnemonicToAccount(words, { accountIndex: 1 }).address;
  const treasury = freshAddress();
  let anvil: Anvil;
  let gate: RpcGate;
  let tokens: SweepTokens;
  let serve: TillServe;
  let key = '';
  let config = '';
  /** While set, the gate holds every eth_sendRawTransaction unanswered (Till waits inside its broadcast). */
  let holdSends = false;
  let heldSends = 0;
  const paid: { id: string; address: Address; token: 'native' | 'USDC'; amount: bigint }[] = [];

  const db = () => new BetterSqlite3(join(data.dir, 'till.db'), { readonly: true });
  const txs = (): TxRow[] => {
    const conn = db();
    try {
      return conn.prepare('SELECT * FROM sweep_txs ORDER BY from_address, nonce').all() as TxRow[];
    } finally {
      conn.close();
    }
  };
  const attempts = (): { tx_id: string; hash: string; sends: number }[] => {
    const conn = db();
    try {
      return conn.prepare('SELECT tx_id, hash, sends FROM sweep_tx_attempts ORDER BY tx_id, attempt').all() as {
        tx_id: string;
        hash: string;
        sends: number;
      }[];
    } finally {
      conn.close();
    }
  };
  const api = async (path: string, body?: unknown) => {
    const response = await fetch(`${serve.url}/api/v1${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    return (await response.json()) as { id: string; address: Address; status: string };
  };

  /** Creates and pays invoices; mines (automine on or off) until each is confirmed. */
  async function payAndConfirm(orders: { token: 'native' | 'USDC'; amount: string }[]): Promise<void> {
    for (const order of orders) {
      const invoice = await api('/invoices', { chainId: anvil.chainId, token: order.token, amount: order.amount });
      const amount = order.token === 'native' ? parseEther(order.amount) : parseUnits(order.amount, 6);
      if (order.token === 'native') await sendNative(anvil, { to: invoice.address, value: amount });
      else await mintToken(anvil, tokens.usdc, invoice.address, amount);
      paid.push({ id: invoice.id, address: invoice.address, token: order.token, amount });
    }
    for (const { id } of paid.slice(-orders.length))
      await waitFor(async () => {
        if ((await api(`/invoices/${id}`)).status === 'confirmed') return true;
        await mine(anvil, 1);
        return undefined;
      }, `invoice ${id} confirmed`);
  }

  async function restart(): Promise<void> {
    serve = await startTillServe(data.dir, ['--config', config]);
  }

  /** Mines until every invoice paid so far is settled. */
  async function untilAllSettled(): Promise<void> {
    await waitFor(
      async () => {
        for (const { id } of paid) {
          if ((await api(`/invoices/${id}`)).status !== 'settled') {
            await mine(anvil, 1);
            return undefined;
          }
        }
        return true;
      },
      'every invoice settled',
      60_000,
    );
  }

  beforeAll(async () => {
    anvil = await startAnvil({ hardfork: 'prague' });
    tokens = await deploySweepTokens(anvil);
    gate = await startRpcGate(anvil.rpcUrl);
    gate.onRequest = (methods) => {
      if (holdSends && methods.includes('eth_sendRawTransaction')) {
        heldSends++;
        return 'hold';
      }
    };
    await anvil.rpc('anvil_setBalance', [GAS_ACCOUNT, `0x${parseEther('10').toString(16)}`]);
    expect((await runTill(data.dir, ['wallet', 'import', '--keystore', 'file'], words)).code).toBe(0);
    key = (await runTill(data.dir, ['apikey', 'create', '--name', 'shop'])).stdout.trim();
    config = join(data.dir, 'till.json');
    const head = Number(BigInt(await anvil.rpc<string>('eth_blockNumber')));
    writeFileSync(
      config,
      JSON.stringify({
        treasury,
        chains: [
          {
            chainId: anvil.chainId,
            name: 'Anvil',
            rpcUrls: [gate.url],
            confirmations: 2,
            pollIntervalMs: 200,
            startBlock: head + 1,
            tokens: [{ symbol: 'USDC', address: tokens.usdc, decimals: 6 }],
            // Every deposit goes as soon as it is confirmed (Till has no USDC price on anvil).
            sweep: { minAmounts: { USDC: '1' } },
          },
        ],
      }),
    );
    await restart();
  });
  afterAll(async () => {
    await serve?.stop('SIGKILL');
    await gate?.close();
    await anvil?.stop();
    data.cleanup();
  });

  it('after signing, before broadcast: the stored transactions are sent after the restart, not signed again', async () => {
    holdSends = true;
    await payAndConfirm([
      { token: 'native', amount: '0.2' },
      { token: 'USDC', amount: '3' },
    ]);
    // The native sweep and the sweeper contract's deployment are signed and stored; Till waits in the send.
    await waitFor(() => (heldSends > 0 && txs().length >= 2 ? true : undefined), 'sweeps signed and being sent');
    await serve.stop('SIGKILL');
    const before = attempts();
    expect(before.every((a) => a.sends === 0)).toBe(true);
    holdSends = false;
    await restart();
    await untilAllSettled();
    // The same signed bytes went out: one version of each transaction, and the one mined.
    const after = attempts();
    for (const attempt of before) expect(after.find((a) => a.tx_id === attempt.tx_id)!.hash).toBe(attempt.hash);
    for (const tx of txs().filter((t) => before.some((a) => a.tx_id === t.id)))
      expect(tx.mined_hash).toBe(before.find((a) => a.tx_id === tx.id)!.hash);
  });

  it('after broadcast, before mining: the pooled transactions are mined after the restart, nothing signed twice', async () => {
    await setAutomine(anvil, false);
    await payAndConfirm([
      { token: 'USDC', amount: '4' },
      { token: 'USDC', amount: '5' },
      { token: 'native', amount: '0.25' },
    ]);
    // No more blocks: what Till sends now waits in anvil's pool.
    const known = new Set(txs().map((t) => t.id));
    await waitFor(() => {
      const fresh = txs().filter((t) => !known.has(t.id));
      const sent = attempts().filter((a) => fresh.some((t) => t.id === a.tx_id) && a.sends > 0);
      return fresh.length >= 2 && sent.length === fresh.length ? true : undefined;
    }, 'the new sweeps sent');
    // (One may have been mined by a block the invoices' confirmations needed; at least one waits.)
    const pool = await anvil.rpc<{ pending: Record<string, unknown> }>('txpool_content');
    expect(Object.keys(pool.pending).length).toBeGreaterThanOrEqual(1);
    await serve.stop('SIGKILL');
    const before = attempts();
    await restart();
    await setAutomine(anvil, true);
    await untilAllSettled();
    const after = attempts();
    for (const attempt of before) expect(after.some((a) => a.hash === attempt.hash)).toBe(true);
    expect(after.length).toBe(before.length);
  });

  it('after mining, before the confirmation depth: final after the restart, settled once', async () => {
    const known = new Set(txs().map((t) => t.sweep_id));
    await payAndConfirm([
      { token: 'USDC', amount: '6' },
      { token: 'native', amount: '0.3' },
    ]);
    // Automine puts each sweep in a block of its own; no block comes after the last one.
    await waitFor(() => {
      const conn = db();
      try {
        const fresh = (conn.prepare('SELECT id, status FROM sweeps').all() as { id: string; status: string }[]).filter(
          (s) => !known.has(s.id),
        );
        return fresh.length >= 2 && fresh.every((s) => s.status !== 'pending') && fresh.some((s) => s.status === 'mined')
          ? true
          : undefined;
      } finally {
        conn.close();
      }
    }, 'the new sweeps mined');
    await serve.stop('SIGKILL');
    await restart();
    await untilAllSettled();
  });

  it('in the end: each deposit swept exactly once, the exact sums in the treasury, no gap in the gas account’s nonces', async () => {
    const conn = db();
    try {
      for (const deposit of paid) {
        const final = conn
          .prepare(
            "SELECT COUNT(*) FROM sweep_items i JOIN sweeps s ON s.id = i.sweep_id WHERE i.address = ? AND s.status = 'final'",
          )
          .pluck()
          .get(deposit.address.toLowerCase());
        expect(final, deposit.address).toBe(1);
        const settled = conn
          .prepare("SELECT COUNT(*) FROM events WHERE invoice_id = ? AND type = 'invoice.settled'")
          .pluck()
          .get(deposit.id);
        expect(settled, deposit.id).toBe(1);
        expect(await tokenBalance(anvil, tokens.usdc, deposit.address)).toBe(0n);
        expect(await nativeBalance(anvil, deposit.address)).toBe(0n);
      }
    } finally {
      conn.close();
    }
    const usdc = paid.filter((p) => p.token === 'USDC').reduce((sum, p) => sum + p.amount, 0n);
    expect(await tokenBalance(anvil, tokens.usdc, treasury)).toBe(usdc);
    const { public: client } = clients(anvil);
    let native = paid.filter((p) => p.token === 'native').reduce((sum, p) => sum + p.amount, 0n);
    for (const tx of txs().filter((t) => t.from_address !== GAS_ACCOUNT.toLowerCase())) {
      const receipt = await client.getTransactionReceipt({ hash: tx.mined_hash as `0x${string}` });
      native -= receipt.gasUsed * receipt.effectiveGasPrice;
    }
    expect(await nativeBalance(anvil, treasury)).toBe(native);

    const gasNonces = txs()
      .filter((t) => t.from_address === GAS_ACCOUNT.toLowerCase())
      .map((t) => t.nonce);
    expect(gasNonces).toEqual(gasNonces.map((_, i) => i));
    expect(await client.getTransactionCount({ address: GAS_ACCOUNT })).toBe(gasNonces.length);
    expect(txs().every((t) => t.status === 'final')).toBe(true);
  });
});
