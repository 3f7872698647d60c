import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, hashAuthorization, hexToBytes, publicKeyToAddress } from 'viem/utils';
import { RpcCallError } from '../chains/rpc/rpc-call-error.ts';
import type { ChainCapabilities } from '../db/repositories/chain-capabilities-repo.ts';
import type { Store } from '../db/store.ts';
import { MULTICALL3_ADDRESS } from '../scanner/balance-reconcile.ts';
import { L1_FEE_ORACLE } from './fees.ts';
import type { SweepChain } from './sweep-chain.ts';

/** Capabilities are looked at again after this long (a chain may gain EIP-7702 in a hard fork). */
export const CAPABILITIES_TTL_MS = 24 * 3600_000;

/** EIP-7702's intrinsic cost of one authorization (PER_AUTH_BASE_COST). */
const AUTHORIZATION_BASE_COST = 12_500n;

const UNSUPPORTED = /7702|authori[sz]ation|not supported|unsupported|unknown field|transaction type|invalid type|tx type/i;

/**
 * Does the chain take type-4 transactions? Asked, not assumed: a throwaway key (never funded,
 * never used again) authorizes a delegation, and eth_estimateGas of a transaction carrying it must
 * charge for the authorization. A node that ignores the list (21,000) or refuses the fields does
 * not support EIP-7702; an answer that says neither leaves the question open (null).
 */
export async function detectEip7702(chain: SweepChain, signal?: AbortSignal): Promise<boolean | null> {
  const key = secp256k1.utils.randomSecretKey();
  const authority = publicKeyToAddress(bytesToHex(secp256k1.getPublicKey(key, false)));
  const delegate = MULTICALL3_ADDRESS;
  const signature = secp256k1.sign(
    hexToBytes(hashAuthorization({ contractAddress: delegate, chainId: chain.chainId, nonce: 0 })),
    key,
    {
      prehash: false,
      format: 'recovered',
    },
  );
  key.fill(0);
  try {
    const gas = await chain.estimateGas(
      {
        from: authority,
        to: authority,
        authorizationList: [
          {
            address: delegate,
            chainId: chain.chainId,
            nonce: 0,
            yParity: signature[0]!,
            r: bytesToHex(signature.subarray(1, 33)),
            s: bytesToHex(signature.subarray(33, 65)),
          },
        ],
      },
      signal,
    );
    return gas >= 21_000n + AUTHORIZATION_BASE_COST;
  } catch (error) {
    // The node's own answer about the request (not an endpoint being down) that names the feature.
    if (error instanceof RpcCallError && error.kind !== 'retryable' && UNSUPPORTED.test(error.message)) return false;
    return null;
  }
}

async function hasCode(chain: SweepChain, address: string, head: number, signal?: AbortSignal): Promise<boolean | null> {
  try {
    const code = await chain.code(address, head, signal);
    return code !== '0x' && code !== '';
  } catch {
    return null;
  }
}

/** What the sweeper needs to know about a chain, detected on the chain itself. */
export async function detectCapabilities(
  chain: SweepChain,
  head: number,
  at: string,
  signal?: AbortSignal,
): Promise<ChainCapabilities> {
  const [eip7702, l1FeeOracle, multicall3] = await Promise.all([
    detectEip7702(chain, signal),
    hasCode(chain, L1_FEE_ORACLE, head, signal),
    hasCode(chain, MULTICALL3_ADDRESS, head, signal),
  ]);
  return { eip7702, l1FeeOracle, multicall3, checkedAt: at };
}

/**
 * The chain's capabilities as stored, detected again when they are older than a day or left a
 * question open; an inconclusive new answer keeps what was known before.
 */
export async function capabilitiesOrDetect(
  store: Store,
  chain: SweepChain,
  head: number,
  at: string,
  signal?: AbortSignal,
): Promise<ChainCapabilities> {
  const known = store.chainCapabilities.get(chain.chainId);
  const fresh = known && Date.parse(at) - Date.parse(known.checkedAt) < CAPABILITIES_TTL_MS;
  if (known && fresh && known.eip7702 !== null && known.multicall3 !== null) return known;
  const detected = await detectCapabilities(chain, head, at, signal);
  const merged: ChainCapabilities = {
    eip7702: detected.eip7702 ?? known?.eip7702 ?? null,
    l1FeeOracle: detected.l1FeeOracle ?? known?.l1FeeOracle ?? null,
    multicall3: detected.multicall3 ?? known?.multicall3 ?? null,
    checkedAt: at,
  };
  store.chainCapabilities.save(chain.chainId, merged);
  return merged;
}
