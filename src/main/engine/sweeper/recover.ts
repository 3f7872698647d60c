import { formatAmount } from '../../../shared/amounts.ts';
import type { RecoveredDeposit } from '../../../shared/sweeps.ts';
import { NATIVE, type SweepToken } from '../db/repositories/sweep-deposits-repo.ts';
import type { Store } from '../db/store.ts';
import { isoTime, type Clock } from '../lib/clock.ts';
import { TillError } from '../lib/errors.ts';
import { createAddressDeriver, MAX_ADDRESS_INDEX } from '../wallet/hd-wallet.ts';
import { capabilitiesOrDetect } from './capabilities.ts';
import { delegateOf } from './sweeper-contract.ts';
import type { SweepChain } from './sweep-chain.ts';
import { tokenInfo } from './sweep-views.ts';

export const DEFAULT_RECOVERY_GAP = 20;

/**
 * Finds every funded deposit address from the wallet's words alone (after the data folder was
 * lost, say): walks m/44'/60'/0'/0/i from 0 until `gap` addresses in a row were never used (no
 * transaction sent, no delegation, no balance, no invoice in this store), reading the native coin
 * and every token of the chain on each. What holds something is recorded for the sweeper, held
 * until the merchant confirms (recover.sweep). Needs only the xpub: no key is touched here.
 */
export async function scanForDeposits(
  deps: { store: Store; chain: SweepChain; clock: Clock; signal?: AbortSignal },
  gap: number,
): Promise<{ scanned: number; found: RecoveredDeposit[] }> {
  const { store, chain, clock } = deps;
  const wallet = store.wallet.get();
  if (!wallet)
    throw new TillError('WALLET_MISSING', 'No wallet is set up yet: import the recovery words first (till wallet import).');
  const chainRecord = store.chains.get(chain.chainId)!;
  const deriver = createAddressDeriver(wallet.depositXpub);
  const head = await chain.head(deps.signal);
  const caps = await capabilitiesOrDetect(store, chain, head, isoTime(clock.now()), deps.signal);
  const tokens: SweepToken[] = [NATIVE, ...chainRecord.tokens.map((t) => t.address.toLowerCase())];
  const found: RecoveredDeposit[] = [];
  let unused = 0;
  let index = 0;
  let scanned = 0;
  while (unused < gap && index <= MAX_ADDRESS_INDEX) {
    const batch = Array.from({ length: Math.min(Math.max(gap, 20), 200) }, (_, i) => index + i).filter(
      (i) => i <= MAX_ADDRESS_INDEX,
    );
    const addresses = batch.map((i) => deriver.addressAt(i).toLowerCase());
    const [accounts, balances] = await Promise.all([
      chain.accounts(addresses, head, deps.signal),
      chain.balances(addresses, tokens, head, { multicall3: caps.multicall3 === true, signal: deps.signal }),
    ]);
    for (let j = 0; j < batch.length && unused < gap; j++) {
      const address = addresses[j]!;
      scanned++;
      const held = tokens
        .map((token) => ({ token, amount: balances.get(address)?.get(token) ?? 0n }))
        .filter((balance) => balance.amount > 0n);
      const account = accounts[j]!;
      const known = store.invoices.byAddress(chain.chainId, address) !== undefined;
      const used = held.length > 0 || account.nonce > 0 || account.code !== '0x' || known;
      unused = used ? 0 : unused + 1;
      if (held.length === 0) continue;
      found.push({
        derivationIndex: batch[j]!,
        address,
        nonce: account.nonce,
        delegated: delegateOf(account.code) !== null,
        balances: held.map(({ token, amount }) => {
          const info = tokenInfo(chainRecord, token);
          return { token: info.address, symbol: info.symbol, amount: formatAmount(amount, info.decimals) };
        }),
      });
      record(store, chain.chainId, batch[j]!, address, held, head, isoTime(clock.now()));
    }
    index += batch.length;
  }
  return { scanned, found };
}

function record(
  store: Store,
  chainId: number,
  derivationIndex: number,
  address: string,
  held: { token: SweepToken; amount: bigint }[],
  block: number,
  now: string,
): void {
  const invoice = store.invoices.byAddress(chainId, address);
  store.write(() => {
    for (const { token, amount } of held) {
      const row = store.sweepDeposits.get(chainId, address, token);
      store.sweepDeposits.record(
        {
          chainId,
          address,
          token,
          derivationIndex,
          invoiceId: invoice?.id ?? null,
          reason: row?.reason ?? 'found by a recovery scan',
          balance: amount,
          balanceBlock: block,
          since: row?.since ?? now,
          // A deposit the store already sweeps on its own stays as it is; a found one waits for the merchant.
          held: row ? row.held : true,
        },
        now,
      );
    }
  });
}
