import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEventLog, getAddress, parseEther, parseGwei, type Abi, type Address, type Hash } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { startAnvil, type Anvil } from './fixtures/anvil.ts';
import {
  MULTICALL3_ADDRESS,
  anvilAccounts,
  artifacts,
  blockNumber,
  clients,
  deployForwarder,
  deployTestToken,
  forwardNative,
  forwardNativeMany,
  forwarderAbi,
  getBlock,
  installMulticall3,
  mine,
  mintToken,
  multicall3Abi,
  nativeBalance,
  reorg,
  revert,
  rollback,
  sendNative,
  setAutomine,
  snapshot,
  testTokenAbi,
  tokenBalance,
  transferToken,
} from './fixtures/chain-actions.ts';

// Fresh addresses with no history (not anvil accounts), so balances start at zero.
const fresh = (n: number): Address => getAddress(`0x${'00'.repeat(19)}${n.toString(16).padStart(2, '0')}`);
const PAYEE_A = fresh(0xa1);
const PAYEE_B = fresh(0xb2);
const PAYEE_C = fresh(0xc3);

let anvil: Anvil;
let accounts: Address[];

beforeAll(async () => {
  anvil = await startAnvil();
  accounts = await anvilAccounts(anvil);
});
afterAll(async () => {
  await anvil?.stop();
});

describe('compiled artifacts', () => {
  it('match the typed ABIs the fixture uses', () => {
    const sorted = (abi: Abi | readonly unknown[]) => (abi as readonly AbiItemLike[]).map(signature).sort();
    expect(sorted(artifacts.TestToken.abi)).toEqual(sorted(testTokenAbi));
    expect(sorted(artifacts.Forwarder.abi)).toEqual(sorted(forwarderAbi));
    expect(sorted(artifacts.Multicall3Lite.abi)).toEqual(sorted(multicall3Abi));
    for (const artifact of Object.values(artifacts)) {
      expect(artifact.generatedBy).toBe('scripts/compile-contracts.ts');
      expect(artifact.bytecode).toMatch(/^0x[0-9a-f]+$/);
      expect(artifact.deployedBytecode).toMatch(/^0x[0-9a-f]+$/);
    }
  });
});

describe('tokens', () => {
  it('deploys a 6-decimal token; mint + transfer emit Transfer logs to the right recipient', async () => {
    const token = await deployTestToken(anvil, { name: 'Test USD', symbol: 'TUSD', decimals: 6 });
    const { public: client } = clients(anvil);
    expect(await client.readContract({ address: token, abi: testTokenAbi, functionName: 'decimals' })).toBe(6);
    expect(await client.readContract({ address: token, abi: testTokenAbi, functionName: 'symbol' })).toBe('TUSD');

    const sender = accounts[3]!;
    const mintHash = await mintToken(anvil, token, sender, 5_000_000n);
    const mintLog = await onlyTransferLog(mintHash, token);
    expect(mintLog).toEqual({ from: '0x0000000000000000000000000000000000000000', to: sender, value: 5_000_000n });

    const hash = await transferToken(anvil, { token, from: sender, to: PAYEE_A, amount: 1_250_000n });
    expect(await onlyTransferLog(hash, token)).toEqual({ from: sender, to: PAYEE_A, value: 1_250_000n });
    expect(await tokenBalance(anvil, token, PAYEE_A)).toBe(1_250_000n);
    expect(await tokenBalance(anvil, token, sender)).toBe(3_750_000n);
  });

  it('transferToken mints the shortfall to the sender first', async () => {
    const token = await deployTestToken(anvil, { decimals: 18 });
    const hash = await transferToken(anvil, { token, from: accounts[4]!, to: PAYEE_B, amount: 7n });
    expect(await onlyTransferLog(hash, token)).toEqual({ from: accounts[4], to: PAYEE_B, value: 7n });
    expect(await tokenBalance(anvil, token, accounts[4]!)).toBe(0n);
  });
});

describe('native currency', () => {
  it('sendNative changes the recipient balance', async () => {
    const before = await nativeBalance(anvil, PAYEE_C);
    const hash = await sendNative(anvil, { to: PAYEE_C, value: parseEther('0.25') });
    expect(await nativeBalance(anvil, PAYEE_C)).toBe(before + parseEther('0.25'));
    const tx = await clients(anvil).public.getTransaction({ hash });
    expect(tx.to?.toLowerCase()).toBe(PAYEE_C.toLowerCase());
  });

  it('the forwarder pays the recipient internally: the top-level tx goes to the forwarder', async () => {
    const forwarder = await deployForwarder(anvil);
    const recipient = fresh(0xf1);
    const hash = await forwardNative(anvil, { forwarder, to: recipient, value: 123_456n });
    expect(await nativeBalance(anvil, recipient)).toBe(123_456n);
    expect(await nativeBalance(anvil, forwarder)).toBe(0n);
    const tx = await clients(anvil).public.getTransaction({ hash });
    expect(tx.to?.toLowerCase()).toBe(forwarder.toLowerCase());
    expect(tx.value).toBe(123_456n);
    // The payment to the recipient exists only as an internal call (visible in a call trace).
    const trace = await anvil.rpc<{ to: string; calls?: { type: string; to: string; value?: string }[] }>(
      'debug_traceTransaction',
      [hash, { tracer: 'callTracer' }],
    );
    expect(trace.to.toLowerCase()).toBe(forwarder.toLowerCase());
    expect(trace.calls).toEqual([expect.objectContaining({ type: 'CALL', to: recipient.toLowerCase(), value: '0x1e240' })]);

    const split = [
      { to: fresh(0xf2), value: 10n },
      { to: fresh(0xf3), value: 20n },
    ];
    await forwardNativeMany(anvil, { forwarder, payments: split });
    expect(await nativeBalance(anvil, fresh(0xf2))).toBe(10n);
    expect(await nativeBalance(anvil, fresh(0xf3))).toBe(20n);
  });
});

describe('Multicall3Lite at the canonical address', () => {
  it('answers viem multicall (aggregate3 + getEthBalance) and getBlockNumber', async () => {
    expect(await installMulticall3(anvil)).toBe(MULTICALL3_ADDRESS);
    const addresses = [fresh(0xd1), fresh(0xd2), fresh(0xd3)];
    for (const [index, address] of addresses.entries())
      await sendNative(anvil, { to: address, value: BigInt(index + 1) * 1000n });
    const { public: client } = clients(anvil);
    const balances = await client.multicall({
      multicallAddress: MULTICALL3_ADDRESS,
      allowFailure: false,
      contracts: addresses.map((address) => ({
        address: MULTICALL3_ADDRESS,
        abi: multicall3Abi,
        functionName: 'getEthBalance' as const,
        args: [address] as const,
      })),
    });
    expect(balances).toEqual([1000n, 2000n, 3000n]);
    const height = await client.readContract({ address: MULTICALL3_ADDRESS, abi: multicall3Abi, functionName: 'getBlockNumber' });
    expect(height).toBe(await blockNumber(anvil));
    const hash = await client.readContract({
      address: MULTICALL3_ADDRESS,
      abi: multicall3Abi,
      functionName: 'getBlockHash',
      args: [height - 1n],
    });
    expect(hash).toBe((await getBlock(anvil, height - 1n)).hash);
  });

  it('aggregate3 reports failures it is allowed to skip', async () => {
    await installMulticall3(anvil);
    const token = await deployTestToken(anvil);
    const { public: client } = clients(anvil);
    const results = await client.multicall({
      multicallAddress: MULTICALL3_ADDRESS,
      contracts: [
        { address: token, abi: testTokenAbi, functionName: 'decimals' },
        // transferFrom without allowance reverts.
        { address: token, abi: testTokenAbi, functionName: 'transferFrom', args: [accounts[1]!, PAYEE_A, 1n] },
      ],
    });
    expect(results[0]).toEqual({ status: 'success', result: 6 });
    expect(results[1]!.status).toBe('failure');
  });
});

describe('chain control', () => {
  it('mine, automine off/on, snapshot/revert', async () => {
    const start = await blockNumber(anvil);
    expect(await mine(anvil, 3)).toBe(start + 3n);

    const id = await snapshot(anvil);
    await setAutomine(anvil, false);
    try {
      const hash = await sendNative(anvil, { to: fresh(0xe1), value: 5n });
      // Deploying without automine returns the address the contract will have once mined.
      const token = await deployTestToken(anvil);
      expect(await clients(anvil).public.getCode({ address: token })).toBeUndefined();
      expect(await blockNumber(anvil)).toBe(start + 3n);
      expect(await nativeBalance(anvil, fresh(0xe1))).toBe(0n);
      await mine(anvil);
      const receipt = await clients(anvil).public.getTransactionReceipt({ hash });
      expect(receipt.blockNumber).toBe(start + 4n);
      expect(await clients(anvil).public.readContract({ address: token, abi: testTokenAbi, functionName: 'decimals' })).toBe(6);
    } finally {
      await setAutomine(anvil, true);
    }
    expect(await nativeBalance(anvil, fresh(0xe1))).toBe(5n);
    expect(await revert(anvil, id)).toBe(true);
    expect(await blockNumber(anvil)).toBe(start + 3n);
    expect(await nativeBalance(anvil, fresh(0xe1))).toBe(0n);
  });

  it('anvil_reorg depth 2 replaces both blocks, drops their txs and includes the listed ones', async () => {
    const payee = fresh(0x71);
    const dropped1 = await sendNative(anvil, { to: payee, value: 1n });
    const dropped2 = await sendNative(anvil, { from: accounts[1], to: payee, value: 2n });
    const head = await blockNumber(anvil);
    const oldTop = await getBlock(anvil, head);
    const oldBelow = await getBlock(anvil, head - 1n);
    const untouched = await getBlock(anvil, head - 2n);
    expect(oldBelow.transactions).toEqual([dropped1]);
    expect(oldTop.transactions).toEqual([dropped2]);

    const result = await reorg(anvil, 2, [
      { tx: { from: accounts[2]!, to: payee, value: 30n }, blockOffset: 1 },
      { tx: { from: accounts[2]!, to: payee, value: 40n }, blockOffset: 1 },
      { tx: { from: accounts[5]!, to: payee, value: 50n } },
    ]);
    expect(result.fromBlock).toBe(head - 1n);
    expect(result.toBlock).toBe(head);
    // The height stays; both hashes change; the block below the reorg is untouched.
    expect(await blockNumber(anvil)).toBe(head);
    const newBelow = await getBlock(anvil, head - 1n);
    const newTop = await getBlock(anvil, head);
    expect(newBelow.hash).not.toBe(oldBelow.hash);
    expect(newTop.hash).not.toBe(oldTop.hash);
    expect(newBelow.parentHash).toBe(untouched.hash);
    expect(newTop.parentHash).toBe(newBelow.hash);
    expect((await getBlock(anvil, head - 2n)).hash).toBe(untouched.hash);

    // The listed txs land where asked, in list order per block.
    expect(newBelow.transactions).toEqual([result.txHashes[2]]);
    expect(newTop.transactions).toEqual([result.txHashes[0], result.txHashes[1]]);
    const receipt = await clients(anvil).public.getTransactionReceipt({ hash: result.txHashes[0]! });
    expect(receipt.blockHash).toBe(newTop.hash);
    expect(await nativeBalance(anvil, payee)).toBe(120n);

    // The replaced blocks' txs are gone: not re-included, not back in the pool.
    for (const hash of [dropped1, dropped2]) expect(await findTx(hash)).toBeNull();
    expect(await anvil.rpc('txpool_content')).toEqual({ pending: {}, queued: {} });
  });

  it('anvil_reorg accepts a signed raw tx', async () => {
    // anvil's default mnemonic; index 6 is accounts[6].
    const signer = mnemonicToAccount('test test test test test test test test test test test junk', { addressIndex: 6 });
    expect(signer.address).toBe(accounts[6]);
    const raw = await signer.signTransaction({
      chainId: anvil.chainId,
      nonce: await clients(anvil).public.getTransactionCount({ address: signer.address }),
      to: fresh(0x72),
      value: 9n,
      gas: 21_000n,
      maxFeePerGas: parseGwei('100'),
      maxPriorityFeePerGas: 1n,
    });
    const head = await blockNumber(anvil);
    const { txHashes } = await reorg(anvil, 1, [{ tx: raw }]);
    expect((await getBlock(anvil, head)).transactions).toEqual(txHashes);
    expect(await nativeBalance(anvil, fresh(0x72))).toBe(9n);
  });

  it('anvil_rollback removes blocks; their txs are dropped, not returned to the pool', async () => {
    await mine(anvil, 2);
    const head = await blockNumber(anvil);
    const hash = await sendNative(anvil, { to: fresh(0x81), value: 8n });
    expect(await blockNumber(anvil)).toBe(head + 1n);
    expect(await rollback(anvil, 2)).toBe(head - 1n);
    expect(await blockNumber(anvil)).toBe(head - 1n);
    expect(await findTx(hash)).toBeNull();
    expect(await anvil.rpc('txpool_content')).toEqual({ pending: {}, queued: {} });
    expect(await nativeBalance(anvil, fresh(0x81))).toBe(0n);
    // The next block reuses the removed height with new contents.
    await mine(anvil);
    expect((await getBlock(anvil, head)).transactions).toEqual([]);
  });

  it('txs still pending in the pool survive anvil_rollback (automine off)', async () => {
    await mine(anvil);
    await setAutomine(anvil, false);
    try {
      const head = await blockNumber(anvil);
      const hash = await sendNative(anvil, { to: fresh(0x82), value: 3n });
      await rollback(anvil, 1);
      expect(await blockNumber(anvil)).toBe(head - 1n);
      await mine(anvil);
      const receipt = await clients(anvil).public.getTransactionReceipt({ hash });
      expect(receipt.blockNumber).toBe(head);
    } finally {
      await setAutomine(anvil, true);
    }
  });

  it('rejects depths beyond the chain and offsets beyond the depth', async () => {
    const head = await blockNumber(anvil);
    await expect(reorg(anvil, Number(head) + 1)).rejects.toThrow(/must not exceed current chain height/);
    await expect(rollback(anvil, Number(head) + 1)).rejects.toThrow(/must not exceed current chain height/);
    await expect(reorg(anvil, 1, [{ tx: { from: accounts[0]!, to: PAYEE_A }, blockOffset: 1 }])).rejects.toThrow(/blockOffset 1/);
    expect(await blockNumber(anvil)).toBe(head);
  });
});

async function onlyTransferLog(hash: Hash, token: Address) {
  const receipt = await clients(anvil).public.getTransactionReceipt({ hash });
  const logs = receipt.logs.filter((log) => log.address.toLowerCase() === token.toLowerCase());
  expect(logs).toHaveLength(1);
  const { eventName, args } = decodeEventLog({ abi: testTokenAbi, ...logs[0]! });
  expect(eventName).toBe('Transfer');
  return args;
}

interface AbiParamLike {
  type: string;
  name?: string;
  indexed?: boolean;
  components?: readonly AbiParamLike[];
}
interface AbiItemLike {
  type: string;
  name?: string;
  stateMutability?: string;
  inputs?: readonly AbiParamLike[];
  outputs?: readonly AbiParamLike[];
}

/** A full, order-independent signature (types, tuple components, names, indexed, mutability, outputs). */
function signature(item: AbiItemLike): string {
  const param = (p: AbiParamLike): string => {
    const type = p.components ? `(${p.components.map(param).join(',')})${p.type.slice('tuple'.length)}` : p.type;
    return [type, p.indexed ? 'indexed' : '', p.name ?? ''].filter(Boolean).join(' ');
  };
  const outputs = item.outputs?.length ? ` returns (${item.outputs.map(param).join(',')})` : '';
  return `${item.type} ${item.name ?? ''}(${(item.inputs ?? []).map(param).join(',')}) ${item.stateMutability ?? ''}${outputs}`;
}

async function findTx(hash: Hash): Promise<unknown> {
  return anvil.rpc('eth_getTransactionByHash', [hash]);
}
