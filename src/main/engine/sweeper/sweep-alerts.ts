import { formatAmount } from '../../../shared/amounts.ts';
import type { Store } from '../db/store.ts';
import { newId } from '../lib/ids.ts';

/**
 * The sweeper's alerts, each with what to do. Repeats of one condition collapse into one open
 * alert (dedupe keys); acknowledging it lets the same condition raise a fresh one later.
 */
export function createSweepAlerts(store: Store, chainId: number, now: () => string) {
  const chain = () => store.chains.get(chainId);
  const native = (wei: bigint) => `${formatAmount(wei, chain()?.nativeDecimals ?? 18)} ${chain()?.nativeSymbol ?? 'ETH'}`;
  const raise = (alert: Omit<Parameters<Store['alerts']['raise']>[0], 'id' | 'chainId'>) =>
    store.alerts.raise({ id: newId('alr'), chainId, ...alert }, now());
  return {
    treasuryMissing: () =>
      raise({
        type: 'treasury_missing',
        severity: 'warning',
        invoiceId: null,
        message: 'Till cannot sweep: no treasury address is set, so received funds stay on their deposit addresses.',
        remedy:
          'Set the treasury address (your own wallet, where swept funds go) in Settings → Wallet or with treasury: in the config file.',
        details: null,
        dedupeKey: 'treasury_missing',
      }),
    vaultLocked: (reason: string) =>
      raise({
        type: 'vault_locked',
        severity: 'warning',
        invoiceId: null,
        message: `Sweeping is paused: the keystore is locked (${reason}). Payments are still detected.`,
        remedy:
          'Unlock the keystore on the Sweeps screen (or start till serve with TILL_PASSPHRASE set); sweeping resumes by itself.',
        details: null,
        dedupeKey: 'vault_locked',
      }),
    gasAccountEmpty: (gasAddress: string, needed: bigint, balance: bigint) =>
      raise({
        type: 'gas_account_empty',
        severity: 'critical',
        invoiceId: null,
        message: `The gas account ${gasAddress} on ${chain()?.name ?? `chain ${chainId}`} holds ${native(balance)}, but the next sweep needs ${native(needed)}.`,
        remedy: `Send at least ${native(needed - balance)} to the gas account (the Sweeps screen has its QR code); sweeps continue by themselves once it arrives.`,
        details: { gasAddress, needed: needed.toString(), balance: balance.toString() },
        dedupeKey: `gas_empty:${chainId}`,
      }),
    gasAccountLow: (gasAddress: string, balance: bigint, sweepsAffordable: number) =>
      raise({
        type: 'gas_account_low',
        severity: 'warning',
        invoiceId: null,
        message: `The gas account ${gasAddress} on ${chain()?.name ?? `chain ${chainId}`} holds ${native(balance)}: enough for about ${sweepsAffordable} more sweep${sweepsAffordable === 1 ? '' : 's'} at today’s fees.`,
        remedy: 'Top up the gas account from the Sweeps screen (its QR code) before it runs out.',
        details: { gasAddress, balance: balance.toString(), sweepsAffordable },
        dedupeKey: `gas_low:${chainId}`,
      }),
    stuck: (sweepId: string, hash: string, detail: string) =>
      raise({
        type: 'sweep_stuck',
        severity: 'warning',
        invoiceId: null,
        message: `Sweep ${sweepId} is not getting mined (transaction ${hash}): ${detail}`,
        remedy:
          'Till keeps re-sending it and raises its fees within the ceiling. Check the chain’s RPC endpoints; press Bump on the Sweeps screen (or till sweeps bump) to raise the fees now.',
        details: { sweepId, hash },
        dedupeKey: `stuck:${sweepId}`,
      }),
    reverted: (sweepId: string, hash: string, reason: string) =>
      raise({
        type: 'sweep_reverted',
        severity: 'critical',
        invoiceId: null,
        message: `Sweep ${sweepId} reverted on chain (transaction ${hash}): ${reason}. Nothing moved; its gas was spent.`,
        remedy:
          'Its deposits are not swept again automatically. Check the token and the treasury address, then press Retry on the Sweeps screen (or till sweeps run).',
        details: { sweepId, hash, reason },
        dedupeKey: `reverted:${sweepId}`,
      }),
    unsweepable: (address: string, invoiceId: string | null, reason: string) =>
      raise({
        type: 'sweep_reverted',
        severity: 'warning',
        invoiceId,
        message: `Deposit ${address} was left out of a sweep: moving its funds would revert (${reason}).`,
        remedy:
          'The token may block this address or the treasury. Check the token on a block explorer; press Retry on the Sweeps screen once it is solved.',
        details: { address, reason },
        dedupeKey: `unsweepable:${chainId}:${address}`,
      }),
    feeCeiling: (sweepId: string, hash: string, ceiling: bigint) =>
      raise({
        type: 'sweep_fee_ceiling',
        severity: 'warning',
        invoiceId: null,
        message: `Sweep ${sweepId} (transaction ${hash}) is still not mined and its fee has reached the ceiling of ${formatAmount(ceiling, 9)} gwei per gas.`,
        remedy:
          'Fees on the chain are far above what the sweep was planned for. Wait for them to fall, or press Bump to raise it once past the ceiling.',
        details: { sweepId, hash, ceiling: ceiling.toString() },
        dedupeKey: `ceiling:${sweepId}`,
      }),
    nonceConflict: (address: string, nonce: number, sweepId: string) =>
      raise({
        type: 'sweep_nonce_conflict',
        severity: 'critical',
        invoiceId: null,
        message: `Nonce ${nonce} of ${address} was used by a transaction Till did not sign, so sweep ${sweepId} was dropped.`,
        remedy:
          'Something else signs with this account (the same recovery words in another wallet or another Till). Use it only from this Till; the dropped sweep’s deposits are planned again.',
        details: { address, nonce, sweepId },
        dedupeKey: `nonce:${address}:${nonce}`,
      }),
  };
}
export type SweepAlerts = ReturnType<typeof createSweepAlerts>;
