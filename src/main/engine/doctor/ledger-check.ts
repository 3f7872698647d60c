import { formatAmount } from '../../../shared/amounts.ts';
import type { LedgerDifference } from '../../../shared/doctor.ts';
import { NATIVE, type SweepToken } from '../db/repositories/sweep-deposits-repo.ts';
import type { Store } from '../db/store.ts';
import type { SweepChain } from '../sweeper/sweep-chain.ts';

type Key = `${string}|${string}`;
const key = (address: string, token: string): Key => `${address.toLowerCase()}|${token.toLowerCase()}`;

export interface LedgerResult {
  compared: number;
  /** Native coin not compared on these addresses: gas top-ups sent them coin Till does not book. */
  skippedNative: number;
  differences: LedgerDifference[];
}

/**
 * Ledger reconciliation against the chain: on every invoice address of the chain, for the native
 * coin and each token, the balance at `block` (the block Till has scanned to, so every payment up
 * to it should be recorded) must equal the payments recorded there, less what sweeps mined by
 * then moved out and, for the native coin, the fees the address itself paid.
 */
export async function reconcileLedger(
  deps: { store: Store; chain: SweepChain; multicall3: boolean; signal?: AbortSignal },
  chainId: number,
  block: number,
): Promise<LedgerResult> {
  const { db } = deps.store;
  const chain = deps.store.chains.get(chainId);
  const expected = new Map<Key, bigint>();
  const add = (address: string, token: string, amount: bigint) =>
    expected.set(key(address, token), (expected.get(key(address, token)) ?? 0n) + amount);

  const invoices = db
    .prepare<[number], { id: string; address: string }>('SELECT id, address FROM invoices WHERE chain_id = ?')
    .all(chainId);
  if (invoices.length === 0) return { compared: 0, skippedNative: 0, differences: [] };
  const invoiceOf = new Map(invoices.map((invoice) => [invoice.address.toLowerCase(), invoice.id]));
  // Shown as the store spells it (EIP-55), as everywhere else in Till.
  const spelled = new Map(invoices.map((invoice) => [invoice.address.toLowerCase(), invoice.address]));
  const tokens = new Set<SweepToken>([NATIVE, ...(chain?.tokens ?? []).map((token) => token.address.toLowerCase())]);

  for (const row of db
    .prepare<[number, number], { to: string; token: string | null; amount: string }>(
      `SELECT to_address AS "to", token_address AS token, amount FROM payments
       WHERE chain_id = ? AND status <> 'orphaned' AND block_number <= ?`,
    )
    .all(chainId, block)) {
    const token = row.token?.toLowerCase() ?? NATIVE;
    tokens.add(token);
    add(row.to, token, BigInt(row.amount));
  }
  for (const row of db
    .prepare<[number, number], { address: string; token: string; amount: string }>(
      `SELECT it.address, it.token, coalesce(it.swept, it.amount) AS amount FROM sweep_items it JOIN sweeps s ON s.id = it.sweep_id
       WHERE s.chain_id = ? AND s.status IN ('mined', 'final') AND s.block_number <= ?`,
    )
    .all(chainId, block))
    add(row.address, row.token, -BigInt(row.amount));
  for (const row of db
    .prepare<[number, number], { from: string; fee: string }>(
      `SELECT from_address AS "from", fee FROM sweep_txs
       WHERE chain_id = ? AND role IN ('native', 'transfer') AND status IN ('mined', 'final') AND block_number <= ? AND fee IS NOT NULL`,
    )
    .all(chainId, block))
    add(row.from, NATIVE, -BigInt(row.fee));
  const toppedUp = new Set(
    db
      .prepare<[number], { address: string }>(
        `SELECT DISTINCT it.address FROM sweep_items it JOIN sweeps s ON s.id = it.sweep_id WHERE s.chain_id = ? AND s.kind = 'topup'`,
      )
      .all(chainId)
      .map((row) => row.address.toLowerCase()),
  );

  const addresses = [...invoiceOf.keys()];
  const actual = await deps.chain.balances(addresses, [...tokens], block, { multicall3: deps.multicall3, signal: deps.signal });
  const decimalsOf = (token: string): number | null =>
    token === NATIVE
      ? (chain?.nativeDecimals ?? 18)
      : (chain?.tokens.find((candidate) => candidate.address.toLowerCase() === token)?.decimals ?? null);
  const symbolOf = (token: string): string =>
    token === NATIVE
      ? (chain?.nativeSymbol ?? 'ETH')
      : (chain?.tokens.find((candidate) => candidate.address.toLowerCase() === token)?.symbol ?? token);
  const differences: LedgerDifference[] = [];
  let compared = 0;
  let skippedNative = 0;
  for (const address of addresses) {
    for (const token of tokens) {
      if (token === NATIVE && toppedUp.has(address)) {
        skippedNative++;
        continue;
      }
      compared++;
      const want = expected.get(key(address, token)) ?? 0n;
      const have = actual.get(address)?.get(token) ?? 0n;
      if (want === have) continue;
      const decimals = decimalsOf(token);
      const show = (value: bigint) =>
        decimals === null ? value.toString() : formatAmount(value < 0n ? -value : value, decimals);
      const invoiceId = invoiceOf.get(address) ?? null;
      differences.push({
        chainId,
        address: spelled.get(address) ?? address,
        token: symbolOf(token),
        invoiceId,
        expected: `${want < 0n ? '-' : ''}${show(want)}`,
        actual: show(have),
        kind: have > want ? 'more' : 'less',
        remedy:
          have > want
            ? `More arrived than Till recorded: a payment it missed (made while scanning was paused past the invoice’s window, or before a rescan’s start), a transfer from a contract, or a token it does not know. Run till invoices recheck ${invoiceId} to record it; if it is the customer’s payment, mark the invoice paid. Recorded funds are swept to the treasury; till recover --chain-id ${chainId} sweeps whatever is left.`
            : `Less is there than recorded payments minus sweeps: funds left this address in a transaction Till did not sign, so its key (from your recovery words) was used elsewhere. Look the address up on a block explorer, and use the words only in this Till.`,
      });
    }
  }
  return { compared, skippedNative, differences };
}
