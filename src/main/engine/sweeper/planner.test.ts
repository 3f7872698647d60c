import { describe, expect, it } from 'vitest';
import { DEFAULT_GAS_MODEL, formatBps, planSweeps, shareBps, type PlannerDeposit, type PlannerInput } from './planner.ts';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-12-04T12:00:00Z');
const USDC = '0x833589fcd6edb6e08f4c7c32d4f71b54bda02913';
const GWEI = 1_000_000_000n;

const deposit = (
  index: number,
  token: string,
  amount: bigint,
  ageHours = 0,
  extra: Partial<PlannerDeposit> = {},
): PlannerDeposit => ({
  address: `0x${index.toString(16).padStart(40, '0')}`,
  derivationIndex: index,
  token,
  amount,
  since: NOW - ageHours * HOUR,
  invoiceId: `inv_${index}`,
  reason: 'invoice',
  delegated: false,
  ...extra,
});

const input = (overrides: Partial<PlannerInput>): PlannerInput => ({
  erc20Strategy: 'eip7702',
  deposits: [],
  fees: { gasPrice: 1n * GWEI, l1FeePerTx: 0n },
  settings: { maxFeeShareBps: 100, maxAgeSeconds: 86_400, batchSize: 20, minAmounts: {} },
  gas: DEFAULT_GAS_MODEL,
  now: NOW,
  valueInNative: () => null,
  ...overrides,
});

describe('planSweeps', () => {
  it('native: sweeps when the fee is within the share, waits when it is not, never moves dust', () => {
    const fee = 21_000n * GWEI;
    const plan = planSweeps(
      input({
        deposits: [
          deposit(1, 'native', fee * 200n), // 0.5 %
          deposit(2, 'native', fee * 50n), // 2 %
          deposit(3, 'native', fee - 1n, 48), // costs more than it holds, however old
        ],
      }),
    );
    expect(plan.ready.map((b) => [b.items[0]!.derivationIndex, b.kind, b.trigger, b.feeShareBps])).toEqual([
      [1, 'native', 'fee', 50],
    ]);
    expect(plan.waiting.map((b) => [b.items[0]!.derivationIndex, b.feeShareBps])).toEqual([
      [2, 200],
      [3, 10_001],
    ]);
    expect(plan.waiting[0]!.waitingReason).toContain('2% of the value (your limit is 1%)');
    expect(plan.waiting[1]!.waitingReason).toContain('cost more than it is worth');
  });

  it('the age rule sends what waited long enough, even when the share is above the limit', () => {
    const fee = 21_000n * GWEI;
    const plan = planSweeps(input({ deposits: [deposit(1, 'native', fee * 50n, 25), deposit(2, 'native', fee * 50n, 23)] }));
    expect(plan.ready.map((b) => [b.items[0]!.derivationIndex, b.trigger])).toEqual([[1, 'age']]);
    expect(plan.waiting[0]!.waitingReason).toMatch(/24 h old \(in about 1 h\)/);
  });

  it('ERC-20 by EIP-7702: batches per token, oldest first, of at most batchSize; first sweeps cost more', () => {
    const deposits = Array.from({ length: 45 }, (_, i) => deposit(i, USDC, 1_000_000n, 45 - i, { delegated: i >= 40 }));
    const plan = planSweeps(input({ deposits, force: 'operator' }));
    expect(plan.ready.map((b) => [b.kind, b.items.length, b.trigger])).toEqual([
      ['eip7702', 20, 'operator'],
      ['eip7702', 20, 'operator'],
      ['eip7702', 5, 'operator'],
    ]);
    expect(plan.ready[0]!.items.map((d) => d.derivationIndex)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(plan.ready[0]!.value).toBe(20_000_000n);
    const { batchBase, batchFirst, batchLater } = DEFAULT_GAS_MODEL;
    expect(plan.ready[0]!.estimatedGas).toBe(batchBase + 20 * batchFirst);
    expect(plan.ready[2]!.estimatedGas).toBe(batchBase + 5 * batchLater);
    expect(plan.ready[2]!.estimatedFee).toBe(BigInt(batchBase + 5 * batchLater) * GWEI);
  });

  it('a token without a price goes at its minimum or its age, and says how to sweep sooner', () => {
    const base = { deposits: [deposit(1, USDC, 30_000_000n, 2), deposit(2, USDC, 5_000_000n, 1)] };
    const none = planSweeps(input(base));
    expect(none.ready).toEqual([]);
    expect(none.waiting[0]!.feeShareBps).toBeNull();
    expect(none.waiting[0]!.waitingReason).toContain('Set a minimum amount');
    const withMinimum = planSweeps(
      input({
        ...base,
        settings: { maxFeeShareBps: 100, maxAgeSeconds: 86_400, batchSize: 20, minAmounts: { [USDC]: 25_000_000n } },
      }),
    );
    expect(withMinimum.ready.map((b) => [b.trigger, b.value])).toEqual([['minimum', 35_000_000n]]);
  });

  it('a token with a price is valued in the native coin for the fee rule', () => {
    // 1 USDC (6 decimals) = 0.0005 ETH; a batch of 20 × 10 USDC = 0.1 ETH; fee ≈ 0.000606 ETH at 1 gwei.
    const valueInNative = (_token: string, amount: bigint) => (amount * 500_000_000_000_000n) / 1_000_000n;
    const deposits = Array.from({ length: 20 }, (_, i) => deposit(i, USDC, 10_000_000n));
    const plan = planSweeps(input({ deposits, valueInNative }));
    expect(plan.ready).toHaveLength(1);
    expect(plan.ready[0]!.trigger).toBe('fee');
    expect(plan.ready[0]!.valueInNative).toBe(100_000_000_000_000_000n);
    expect(plan.ready[0]!.feeShareBps).toBe(shareBps(plan.ready[0]!.estimatedFee, 100_000_000_000_000_000n));
  });

  it('ERC-20 by top-up: one sweep per deposit, with two transactions’ worth of gas', () => {
    const plan = planSweeps(input({ erc20Strategy: 'topup', deposits: [deposit(1, USDC, 1n, 30), deposit(2, USDC, 1n, 30)] }));
    expect(plan.ready.map((b) => [b.kind, b.items.length, b.estimatedGas])).toEqual([
      ['topup', 1, DEFAULT_GAS_MODEL.topup],
      ['topup', 1, DEFAULT_GAS_MODEL.topup],
    ]);
  });

  it('native coin on an address in an EIP-7702 batch is left to the batch (its sweep moves both)', () => {
    const plan = planSweeps(
      input({
        deposits: [deposit(1, USDC, 5n, 30), deposit(1, 'native', 10n ** 18n, 30), deposit(2, 'native', 10n ** 18n, 30)],
        force: 'operator',
      }),
    );
    expect(plan.ready.map((b) => [b.kind, b.items.map((d) => d.derivationIndex)])).toEqual([
      ['native', [2]],
      ['eip7702', [1]],
    ]);
  });

  it('adds the L1 data fee of OP-stack chains to every transaction', () => {
    const plan = planSweeps(
      input({ deposits: [deposit(1, 'native', 10n ** 18n)], fees: { gasPrice: GWEI, l1FeePerTx: 12345n } }),
    );
    expect(plan.ready[0]!.estimatedFee).toBe(21_000n * GWEI + 12345n);
  });

  it('plans 10,000 deposits', () => {
    const deposits = Array.from({ length: 10_000 }, (_, i) => deposit(i, i % 2 ? USDC : 'native', 10n ** 17n, i % 48));
    const plan = planSweeps(input({ deposits }));
    expect(plan.ready.length + plan.waiting.length).toBe(5_000 + 250);
  });
});

describe('shareBps / formatBps', () => {
  it('rounds a share up and prints it as a percentage', () => {
    expect(shareBps(1n, 3n)).toBe(3334);
    expect(shareBps(0n, 5n)).toBe(0);
    expect(shareBps(5n, 0n)).toBe(10_000);
    expect([0, 1, 50, 100, 150, 1234, 10_000].map(formatBps)).toEqual(['0%', '0.01%', '0.5%', '1%', '1.5%', '12.34%', '100%']);
  });
});
