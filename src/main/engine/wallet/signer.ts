import { secp256k1 } from '@noble/curves/secp256k1.js';
import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import { getAddress, keccak256, serializeTransaction, type TransactionSerializable } from 'viem';
import { bytesToHex, hashAuthorization, hexToBytes, publicKeyToAddress } from 'viem/utils';
import { TillError } from '../lib/errors.ts';
import { DEPOSIT_CHAIN_PATH, GAS_ACCOUNT_PATH, MAX_ADDRESS_INDEX } from './hd-wallet.ts';
import { assertValidMnemonic } from './mnemonic.ts';
import type { WalletSecret } from './wallet-secret.ts';

export type SigningAccount = { kind: 'gas' } | { kind: 'deposit'; index: number };

export interface SignedTransaction {
  raw: `0x${string}`;
  hash: `0x${string}`;
}

export interface SignedAuthorization {
  address: `0x${string}`;
  chainId: number;
  nonce: number;
  yParity: 0 | 1;
  r: `0x${string}`;
  s: `0x${string}`;
}

export interface Signer {
  /** EIP-55 address of an account, derived from the words (used to check the store agrees). */
  addressOf(account: SigningAccount): `0x${string}`;
  signTransaction(account: SigningAccount, tx: TransactionSerializable): SignedTransaction;
  /** An EIP-7702 authorization of deposit `index` for `contract`: chainId explicit (never 0, so it is valid on this chain only). */
  signAuthorization(
    index: number,
    authorization: { contract: `0x${string}`; chainId: number; nonce: number },
  ): SignedAuthorization;
  /** Wipes the seed's key material; the signer refuses to sign afterwards. */
  close(): void;
}

/**
 * Keys derived from the vault's words for one signing step. The root key lives only until
 * `close()`; each private key only for the one signature it makes, then its bytes are wiped.
 * Signing goes through noble's secp256k1 directly with byte arrays, so no key is ever a
 * JavaScript string (strings cannot be wiped).
 *
 * @example
 * const signer = openSigner(secret);
 * try { signer.signTransaction({ kind: 'gas' }, tx) } finally { signer.close() }
 */
export function openSigner(secret: WalletSecret): Signer {
  const seed = mnemonicToSeedSync(assertValidMnemonic(secret.mnemonic), secret.passphrase.normalize('NFKD'));
  let root: HDKey | undefined = HDKey.fromMasterSeed(seed);
  seed.fill(0);

  function withKey<T>(account: SigningAccount, use: (key: Uint8Array) => T): T {
    if (!root) throw new Error('the signer is closed');
    if (
      account.kind === 'deposit' &&
      (!Number.isInteger(account.index) || account.index < 0 || account.index > MAX_ADDRESS_INDEX)
    )
      throw new TillError('VALIDATION_FAILED', `Deposit index ${account.index} is out of range.`);
    const node = root.derive(account.kind === 'gas' ? GAS_ACCOUNT_PATH : `${DEPOSIT_CHAIN_PATH}/${account.index}`);
    const key = node.privateKey;
    if (!key) throw new Error('BIP32 derivation produced no private key');
    try {
      return use(key);
    } finally {
      node.wipePrivateData();
    }
  }

  function sign(hash: `0x${string}`, key: Uint8Array): { r: `0x${string}`; s: `0x${string}`; yParity: 0 | 1 } {
    // 'recovered': recovery bit, then r and s (32 bytes each); low-S as Ethereum requires.
    const signature = secp256k1.sign(hexToBytes(hash), key, { prehash: false, format: 'recovered', lowS: true });
    return {
      yParity: signature[0] as 0 | 1,
      r: bytesToHex(signature.subarray(1, 33)),
      s: bytesToHex(signature.subarray(33, 65)),
    };
  }

  return {
    addressOf(account) {
      return withKey(account, (key) => getAddress(publicKeyToAddress(bytesToHex(secp256k1.getPublicKey(key, false)))));
    },
    signTransaction(account, tx) {
      return withKey(account, (key) => {
        const signature = sign(keccak256(serializeTransaction(tx)), key);
        const raw = serializeTransaction(tx, signature) as `0x${string}`;
        return { raw, hash: keccak256(raw) };
      });
    },
    signAuthorization(index, { contract, chainId, nonce }) {
      if (!Number.isInteger(chainId) || chainId <= 0)
        throw new Error('an authorization names its chain: chainId 0 is valid on every chain');
      return withKey({ kind: 'deposit', index }, (key) => ({
        address: contract,
        chainId,
        nonce,
        ...sign(hashAuthorization({ contractAddress: contract, chainId, nonce }), key),
      }));
    },
    close() {
      root?.wipePrivateData();
      root = undefined;
    },
  };
}
