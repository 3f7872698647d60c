import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEther, parseUnits, type Address } from 'viem';
import { english, generateMnemonic, mnemonicToAccount } from 'viem/accounts';
import type { SweepPage } from '../src/shared/sweeps.ts';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import { clients, mine, mintToken, nativeBalance, sendNative, tokenBalance } from './fixtures/chain-actions.ts';
import { tempDataDir } from './fixtures/engine.ts';
import { freshAddress, startSweepHarness, type SweepTokens } from './fixtures/sweep-harness.ts';
import { runTill } from './fixtures/till-serve.ts';

/**
 * The data folder is lost; the merchant has the recovery words. Into a fresh folder: import the
 * words, apply the config, `till recover`: every funded deposit address is found by walking the
 * indices (the ones the old store knew and ones it never saw) and swept to the treasury.
 */
describe('till recover from the recovery words alone (anvil, Prague)', () => {
  // Not the test mnemonic: its first addresses are anvil's own prefunded accounts.
  const words = generateMnemonic(english);
  const deposit = (index: number) => mnemonicToAccount(words, { addressIndex: index }).address;
  const gasAccount = mnemonicToAccount(words, { accountIndex: 1 }).address;
  const fresh = tempDataDir('till-recover-');
  const treasury = freshAddress();
  let anvil: Anvil;
  let tokens: SweepTokens;
  const known: Address[] = [];

  beforeAll(async () => {
    anvil = await startAnvil({ hardfork: 'prague' });
    // The old store: two invoices paid and confirmed, never swept (paused); then the folder is gone.
    const old = await startSweepHarness(anvil, { mnemonic: words, treasury, sweep: { paused: true } });
    tokens = old.tokens;
    for (const [token, amount] of [
      ['USDC', '5'],
      ['native', '0.1'],
    ] as const) {
      const invoice = await old.create(token, amount);
      await old.pay(invoice);
      await old.confirm(invoice);
      known.push(invoice.address as Address);
    }
    await old.close();
    rmSync(old.dataDir, { recursive: true, force: true });
    // Funds the old store never saw: index 3 before its first invoice (index 20), index 35 after.
    await sendNative(anvil, { to: deposit(3), value: parseEther('0.05') });
    await mintToken(anvil, tokens.usdc, deposit(35), parseUnits('7', 6));
    // Beyond 20 unused addresses in a row: not found with the default gap.
    await mintToken(anvil, tokens.usdc, deposit(60), parseUnits('1', 6));
    await anvil.rpc('anvil_setBalance', [gasAccount, `0x${parseEther('1').toString(16)}`]);

    const imported = await runTill(fresh.dir, ['wallet', 'import', '--keystore', 'file'], words);
    expect(imported.code, imported.stderr).toBe(0);
    const config = join(fresh.dir, 'till.json');
    writeFileSync(
      config,
      JSON.stringify({
        treasury,
        chains: [
          {
            chainId: anvil.chainId,
            name: 'Anvil',
            rpcUrls: [anvil.rpcUrl],
            confirmations: 2,
            pollIntervalMs: 250,
            startBlock: 0,
            sweep: { strategy: 'eip7702', maxFeeShare: '2%', maxAge: '6h', batchSize: 10, paused: false },
            tokens: [
              { symbol: 'USDC', address: tokens.usdc, decimals: 6 },
              { symbol: 'USDT', address: tokens.usdt, decimals: 6 },
            ],
          },
        ],
      }),
    );
    const applied = await runTill(fresh.dir, ['config', 'apply', config]);
    expect(applied.code, applied.stderr).toBe(0);
    // The config file's per-chain sweep settings are in the store.
    const gas = JSON.parse((await runTill(fresh.dir, ['gas', 'show', '--json'])).stdout) as {
      gasAccountAddress: string;
      chains: { settings: Record<string, unknown> }[];
    };
    expect(gas.gasAccountAddress).toBe(gasAccount);
    expect(gas.chains[0]!.settings).toMatchObject({
      strategy: 'eip7702',
      maxFeeShareBps: 200,
      maxAgeSeconds: 21_600,
      batchSize: 10,
      paused: false,
    });
  });
  afterAll(async () => {
    await anvil?.stop();
    fresh.cleanup();
  });

  it('without --yes and without a terminal: shows what it found and sends nothing', async () => {
    const refused = await runTill(fresh.dir, ['recover', '--chain-id', String(anvil.chainId)]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('CONFIRMATION_REQUIRED');
    expect(refused.stdout).toContain('Looked at 56 addresses (up to 20 unused in a row); 4 hold funds.');
    for (const address of [deposit(3), deposit(35), ...known]) expect(refused.stdout).toContain(address.toLowerCase());
    expect(refused.stdout).not.toContain(deposit(60).toLowerCase());
    expect(await nativeBalance(anvil, treasury)).toBe(0n);
    const sweeps = JSON.parse((await runTill(fresh.dir, ['sweeps', 'list', '--json'])).stdout) as SweepPage;
    expect(sweeps.items).toEqual([]);
  });

  it('with --yes: every funded deposit, seen by the old store or not, reaches the treasury', async () => {
    const miner = setInterval(() => void mine(anvil, 1).catch(() => undefined), 300);
    let run;
    try {
      run = await runTill(fresh.dir, ['recover', '--chain-id', String(anvil.chainId), '--yes']);
    } finally {
      clearInterval(miner);
    }
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toContain('Done.');

    const sweeps = (JSON.parse((await runTill(fresh.dir, ['sweeps', 'list', '--json'])).stdout) as SweepPage).items;
    expect(sweeps.every((s) => s.status === 'final' && s.trigger !== 'operator')).toBe(true);
    expect(sweeps.map((s) => s.kind).sort()).toEqual(['deploy', 'eip7702', 'native', 'native']);
    const { public: client } = clients(anvil);
    let fees = 0n;
    for (const sweep of sweeps.filter((s) => s.kind === 'native')) {
      const receipt = await client.getTransactionReceipt({ hash: sweep.txHash as `0x${string}` });
      fees += receipt.gasUsed * receipt.effectiveGasPrice;
    }
    expect(await tokenBalance(anvil, tokens.usdc, treasury)).toBe(parseUnits('12', 6));
    expect(await nativeBalance(anvil, treasury)).toBe(parseEther('0.15') - fees);
    for (const address of [deposit(3), deposit(35), ...known]) {
      expect(await nativeBalance(anvil, address)).toBe(0n);
      expect(await tokenBalance(anvil, tokens.usdc, address)).toBe(0n);
    }
    expect(await tokenBalance(anvil, tokens.usdc, deposit(60))).toBe(parseUnits('1', 6));

    // A wider gap finds the last one.
    const wider = await runTill(fresh.dir, ['recover', '--chain-id', String(anvil.chainId), '--gap', '30', '--no-wait', '--yes']);
    expect(wider.code, wider.stderr).toBe(0);
    expect(wider.stdout).toContain(deposit(60).toLowerCase());
  });
});
