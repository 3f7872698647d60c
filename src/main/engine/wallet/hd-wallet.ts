import { ECDH } from 'node:crypto';
import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import { bytesToHex, publicKeyToAddress } from 'viem/utils';
import { TillError } from '../lib/errors.ts';
import { assertValidMnemonic } from './mnemonic.ts';

/**
 * BIP44 external chain of the first Ethereum account. Deposit address i is m/44'/60'/0'/0/i,
 * the same path MetaMask, Ledger Live and viem's `mnemonicToAccount` use, so the merchant can
 * recover every deposit in any standard wallet.
 */
export const DEPOSIT_CHAIN_PATH = "m/44'/60'/0'/0";
const DEPOSIT_CHAIN_DEPTH = 4;
export const MAX_ADDRESS_INDEX = 2 ** 31 - 1;
/**
 * The gas account: the first address of the second BIP44 account. It pays all sweep gas and is
 * never a deposit address; being a standard path, any wallet app shows it from the same words.
 * It is never delegated (EIP-7702): a delegated sender may keep only one pending transaction.
 */
export const GAS_ACCOUNT_PATH = "m/44'/60'/1'/0/0";

export interface AccountKeys {
  /** First 4 bytes of HASH160 of the master public key, 8 hex chars; identifies the wallet without revealing it. */
  fingerprint: string;
  /** Extended public key of m/44'/60'/0'/0. Enough to derive every deposit address, not to spend. */
  depositXpub: string;
  /** Address of the gas account (GAS_ACCOUNT_PATH). */
  gasAddress: `0x${string}`;
}

function seedFrom(mnemonic: string, bip39Passphrase: string): Uint8Array {
  return mnemonicToSeedSync(assertValidMnemonic(mnemonic), bip39Passphrase.normalize('NFKD'));
}

/**
 * The public material the engine keeps outside the vault.
 *
 * @example const { fingerprint, depositXpub } = deriveAccountKeys(mnemonic);
 */
export function deriveAccountKeys(mnemonic: string, bip39Passphrase = ''): AccountKeys {
  const seed = seedFrom(mnemonic, bip39Passphrase);
  const root = HDKey.fromMasterSeed(seed);
  const depositChain = root.derive(DEPOSIT_CHAIN_PATH);
  const gas = root.derive(GAS_ACCOUNT_PATH);
  try {
    return {
      fingerprint: root.fingerprint.toString(16).padStart(8, '0'),
      depositXpub: depositChain.publicExtendedKey,
      gasAddress: addressOfPublicKey(gas.publicKey!),
    };
  } finally {
    gas.wipePrivateData();
    depositChain.wipePrivateData();
    root.wipePrivateData();
    seed.fill(0);
  }
}

/** Ethereum hashes the 64-byte uncompressed point; OpenSSL decompresses it without another dependency. */
function addressOfPublicKey(compressed: Uint8Array): `0x${string}` {
  const uncompressed = ECDH.convertKey(compressed, 'secp256k1', undefined, undefined, 'uncompressed') as Buffer;
  return publicKeyToAddress(bytesToHex(uncompressed));
}

function assertAddressIndex(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index > MAX_ADDRESS_INDEX) {
    throw new TillError(
      'VALIDATION_FAILED',
      `Address index ${index} is out of range: it must be a whole number from 0 to ${MAX_ADDRESS_INDEX}.`,
    );
  }
}

export interface AddressDeriver {
  /** EIP-55 checksummed address of m/44'/60'/0'/0/index. */
  addressAt(index: number): `0x${string}`;
}

/**
 * Derives deposit addresses from the deposit xpub alone, so the running engine needs no private
 * key to hand out addresses.
 *
 * @example createAddressDeriver(depositXpub).addressAt(0) // '0x9858EfFD232B4033E47d90003D41EC34EcaEda94'
 */
export function createAddressDeriver(depositXpub: string): AddressDeriver {
  let parent: HDKey;
  try {
    parent = HDKey.fromExtendedKey(depositXpub);
  } catch (error) {
    throw new TillError('VALIDATION_FAILED', 'The deposit extended public key is not a valid xpub.', { cause: error });
  }
  if (parent.privateKey !== null) {
    parent.wipePrivateData();
    throw new TillError('VALIDATION_FAILED', 'Expected an extended public key (xpub) for deposit addresses, got a private one.');
  }
  if (parent.depth !== DEPOSIT_CHAIN_DEPTH) {
    throw new TillError(
      'VALIDATION_FAILED',
      `The deposit xpub must be the key of ${DEPOSIT_CHAIN_PATH} (depth ${DEPOSIT_CHAIN_DEPTH}), but it has depth ${parent.depth}.`,
    );
  }
  return {
    addressAt(index) {
      assertAddressIndex(index);
      const compressed = parent.deriveChild(index).publicKey;
      if (compressed === null) throw new Error('BIP32 child derivation produced no public key');
      return addressOfPublicKey(compressed);
    },
  };
}

/**
 * The private key of deposit address `index`, for checks that no key ever reached a file (the
 * sweeper signs through wallet/signer.ts). The caller owns the returned bytes and must wipe them.
 */
export function privateKeyAt(mnemonic: string, bip39Passphrase: string, index: number): Uint8Array {
  assertAddressIndex(index);
  const seed = seedFrom(mnemonic, bip39Passphrase);
  const root = HDKey.fromMasterSeed(seed);
  const node = root.derive(`${DEPOSIT_CHAIN_PATH}/${index}`);
  try {
    if (node.privateKey === null) throw new Error('BIP32 derivation from a seed produced no private key');
    return Uint8Array.from(node.privateKey);
  } finally {
    node.wipePrivateData();
    root.wipePrivateData();
    seed.fill(0);
  }
}
