import { getAddress } from 'viem';
import type { KeystoreKind, WalletStatus } from '../../../shared/domain.ts';
import type { Store } from '../db/store.ts';
import type { Clock } from '../lib/clock.ts';
import { isoTime } from '../lib/clock.ts';
import { TillError } from '../lib/errors.ts';
import type { KeyVault } from '../vault/key-vault.ts';
import { WALLET_SECRET } from '../vault/key-vault.ts';
import { deriveAccountKeys } from '../wallet/hd-wallet.ts';
import { assertValidMnemonic, normalizeMnemonic } from '../wallet/mnemonic.ts';
import { encodeWalletSecret } from '../wallet/wallet-secret.ts';

export interface WalletOpsDeps {
  store: Store;
  clock: Clock;
  /** Opens the configured keystore; asked only when a secret must be stored. */
  openVault(): Promise<KeyVault>;
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
 * database. The vault is written first: a wallet row without its secret would take payments
 * into addresses nobody can sweep, while a secret without a row is simply overwritten next time.
 */
export async function saveWallet(
  deps: WalletOpsDeps,
  input: { mnemonic: string; bip39Passphrase?: string },
): Promise<WalletStatus> {
  const { store } = deps;
  if (store.wallet.get()) {
    throw new TillError(
      'WALLET_EXISTS',
      'A wallet already exists in this data folder. Till keeps one wallet per data folder; use another --data-dir for another wallet.',
    );
  }
  const mnemonic = normalizeMnemonic(input.mnemonic);
  assertValidMnemonic(mnemonic);
  const passphrase = input.bip39Passphrase ?? '';
  const keys = deriveAccountKeys(mnemonic, passphrase);
  const vault = await deps.openVault();
  await vault.setSecret(WALLET_SECRET, encodeWalletSecret({ mnemonic, passphrase }));
  store.write(() => {
    if (store.wallet.get()) throw new TillError('WALLET_EXISTS', 'A wallet was created meanwhile by another Till process.');
    store.wallet.insert({
      fingerprint: keys.fingerprint,
      depositXpub: keys.depositXpub,
      keystore: vault.kind satisfies KeystoreKind,
      createdAt: isoTime(deps.clock.now()),
    });
  });
  return walletStatus(store);
}

export function setTreasury(store: Store, address: string): WalletStatus {
  let checksummed: string;
  try {
    checksummed = getAddress(address);
  } catch {
    // A mixed-case address whose EIP-55 checksum fails is most likely a typo: refuse it.
    throw new TillError(
      'TREASURY_INVALID',
      'The treasury address has a wrong EIP-55 checksum (mixed upper/lower case). Copy it again from your wallet.',
    );
  }
  store.settings.set('treasury', checksummed);
  return walletStatus(store);
}
