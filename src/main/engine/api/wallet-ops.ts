import type { KeystoreKind, WalletStatus } from '../../../shared/domain.ts';
import type { Store } from '../db/store.ts';
import type { Clock } from '../lib/clock.ts';
import { isoTime } from '../lib/clock.ts';
import { checksummedAddress } from '../lib/addresses.ts';
import { TillError } from '../lib/errors.ts';
import type { KeyVault } from '../vault/key-vault.ts';
import { WALLET_SECRET } from '../vault/key-vault.ts';
import { deriveAccountKeys } from '../wallet/hd-wallet.ts';
import { assertValidMnemonic, normalizeMnemonic } from '../wallet/mnemonic.ts';
import { encodeWalletSecret } from '../wallet/wallet-secret.ts';

export interface WalletOpsDeps {
  store: Store;
  clock: Clock;
  /**
   * Opens the configured keystore; asked only when a secret must be stored. `passphrase` is
   * the file keystore's passphrase when the caller (the onboarding screen) supplies it.
   */
  openVault(passphrase?: string): Promise<KeyVault>;
}

export function walletStatus(store: Store): WalletStatus {
  const wallet = store.wallet.get();
  return {
    exists: wallet !== undefined,
    fingerprint: wallet?.fingerprint ?? null,
    keystore: wallet?.keystore ?? null,
    treasury: store.settings.get('treasury'),
    nextIndex: wallet?.nextIndex ?? 0,
  };
}

/**
 * Stores a mnemonic in the vault and its public half (fingerprint, deposit xpub) in the
 * database; for a folder that has the wallet's row but not its words (a restore), stores the words. The vault is written first: a wallet row without its secret would take payments
 * into addresses nobody can sweep, while a secret without a row is simply overwritten next time.
 */
export async function saveWallet(
  deps: WalletOpsDeps,
  input: { mnemonic: string; bip39Passphrase?: string; keystorePassphrase?: string },
): Promise<WalletStatus> {
  const { store } = deps;
  const mnemonic = normalizeMnemonic(input.mnemonic);
  assertValidMnemonic(mnemonic);
  const passphrase = input.bip39Passphrase ?? '';
  const keys = deriveAccountKeys(mnemonic, passphrase);
  const existing = store.wallet.get();
  if (existing) {
    // A restored backup (or a new computer) has the wallet's row but not its words: the same
    // words put them back in this computer's keystore. Other words are another wallet.
    if (existing.fingerprint !== keys.fingerprint || existing.depositXpub !== keys.depositXpub)
      throw new TillError(
        'WALLET_EXISTS',
        `A wallet already exists in this data folder (${existing.fingerprint}), and these words are another one (${keys.fingerprint}). ` +
          'Till keeps one wallet per data folder; use another --data-dir for another wallet.',
      );
    const vault = await deps.openVault(input.keystorePassphrase);
    await vault.setSecret(WALLET_SECRET, encodeWalletSecret({ mnemonic, passphrase }));
    store.wallet.setKeystore(vault.kind);
    return walletStatus(store);
  }
  const vault = await deps.openVault(input.keystorePassphrase);
  await vault.setSecret(WALLET_SECRET, encodeWalletSecret({ mnemonic, passphrase }));
  store.write(() => {
    if (store.wallet.get()) throw new TillError('WALLET_EXISTS', 'A wallet was created meanwhile by another Till process.');
    store.wallet.insert({
      fingerprint: keys.fingerprint,
      depositXpub: keys.depositXpub,
      keystore: vault.kind satisfies KeystoreKind,
      createdAt: isoTime(deps.clock.now()),
      gasAddress: keys.gasAddress,
    });
  });
  return walletStatus(store);
}

export function setTreasury(store: Store, address: string): WalletStatus {
  store.settings.set('treasury', checksummedAddress(address, 'treasury address', 'TREASURY_INVALID'));
  return walletStatus(store);
}
