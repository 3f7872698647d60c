import { NATIVE, type SweepToken } from '../db/repositories/sweep-deposits-repo.ts';
import type { InvoiceRecord } from '../db/repositories/invoices-repo.ts';
import type { Store } from '../db/store.ts';
import { isoTime, type Clock } from '../lib/clock.ts';
import type { SweepChain } from './sweep-chain.ts';

interface Candidate {
  address: string;
  derivationIndex: number;
  invoice: InvoiceRecord | null;
  /** Reason and since of a row the store already has (a recovered deposit, dust). */
  known?: { reason: string; since: string; held: boolean };
}

/** Why a balance on a deposit is swept, in the merchant's words. */
function reasonFor(invoice: InvoiceRecord | null, token: SweepToken, known?: string): string {
  if (!invoice) return known ?? 'found by a recovery scan';
  const own = (invoice.tokenAddress?.toLowerCase() ?? NATIVE) === token;
  if (!own) return token === NATIVE ? 'native coin left on a token invoice’s address' : 'a token the invoice did not ask for';
  if (invoice.status === 'expired') return 'an expired invoice’s partial payment';
  if (invoice.status === 'invalid') return 'an invoice marked invalid';
  if (invoice.manual) return 'invoice marked paid';
  if (invoice.exceptionStatus === 'paid_late') return 'invoice paid late';
  return 'invoice paid';
}

/**
 * Reads what sits on the deposit addresses the sweeper may empty and records it in
 * `sweep_deposits` (pinned to one block; an older read never overwrites a newer one): the
 * addresses of confirmed invoices, of expired or invalid ones that received something, every
 * address the store already knows a balance on (recovered, dust), and `also` (just swept). Each
 * is read for the native coin and every token of the chain, so wrong tokens are swept too.
 * Returns how many balances it read.
 */
export async function refreshDepositBalances(
  deps: { store: Store; chain: SweepChain; clock: Clock; multicall3: boolean; signal?: AbortSignal },
  head: number,
  also: Set<string> = new Set(),
): Promise<number> {
  const { store, chain, clock } = deps;
  const chainId = chain.chainId;
  const now = isoTime(clock.now());
  const candidates = new Map<string, Candidate>();
  for (const invoice of store.invoices.sweepable(chainId, now)) {
    const address = invoice.address.toLowerCase();
    candidates.set(address, { address, derivationIndex: invoice.derivationIndex, invoice });
  }
  for (const row of store.sweepDeposits.all(chainId)) {
    if (row.balance === 0n && !also.has(row.address)) continue;
    const existing = candidates.get(row.address);
    if (existing) existing.known ??= { reason: row.reason, since: row.since, held: row.held };
    else
      candidates.set(row.address, {
        address: row.address,
        derivationIndex: row.derivationIndex,
        invoice: row.invoiceId ? (store.invoices.get(row.invoiceId) ?? null) : null,
        known: { reason: row.reason, since: row.since, held: row.held },
      });
  }
  if (candidates.size === 0) return 0;
  const chainRecord = store.chains.get(chainId);
  const tokens: SweepToken[] = [NATIVE, ...new Set((chainRecord?.tokens ?? []).map((token) => token.address.toLowerCase()))];
  for (const candidate of candidates.values()) {
    const own = candidate.invoice?.tokenAddress?.toLowerCase();
    if (own && !tokens.includes(own)) tokens.push(own);
  }
  const list = [...candidates.values()];
  const balances = await chain.balances(
    list.map((c) => c.address),
    tokens,
    head,
    { multicall3: deps.multicall3, signal: deps.signal },
  );
  store.write(() => {
    for (const candidate of list) {
      for (const token of tokens) {
        const balance = balances.get(candidate.address)?.get(token) ?? 0n;
        const row = store.sweepDeposits.get(chainId, candidate.address, token);
        if (balance === 0n && !row) continue;
        const own = candidate.invoice && (candidate.invoice.tokenAddress?.toLowerCase() ?? NATIVE) === token;
        store.sweepDeposits.record(
          {
            chainId,
            address: candidate.address,
            token,
            derivationIndex: candidate.derivationIndex,
            invoiceId: candidate.invoice?.id ?? null,
            reason: row?.reason && !candidate.invoice ? row.reason : reasonFor(candidate.invoice, token, candidate.known?.reason),
            balance,
            balanceBlock: head,
            // The age rule counts from when the invoice was paid, or from when Till first saw the
            // funds (again, after the address was emptied).
            since: row
              ? row.balance === 0n && balance > 0n
                ? now
                : row.since
              : own
                ? (candidate.invoice!.confirmedAt ?? now)
                : now,
            held: row?.held ?? false,
          },
          now,
        );
      }
    }
  });
  return list.length * tokens.length;
}
