import { encodeDeployData, encodeFunctionData, getContractAddress, padHex, parseAbi, type Hex } from 'viem';
import artifact from '../../../../resources/contracts/TillSweeper.json' with { type: 'json' };

/**
 * TillSweeper (resources/contracts/TillSweeper.sol): the stateless EIP-7702 delegate of Till's
 * deposit addresses. Its treasury is an immutable, so one deployment serves one chain and treasury.
 */
export const sweeperAbi = parseAbi([
  'constructor(address treasury_)',
  'function treasury() view returns (address)',
  'function sweep(address[] tokens)',
  'function sweepBatch(address token, address[] deposits)',
  'error TransferFailed(address token)',
  'error TreasuryIsZero()',
]);

/** The code an EIP-7702 delegated account holds: 0xef0100 ‖ delegate address. */
const DELEGATION_PREFIX = '0xef0100';

export function delegationDesignator(contract: string): Hex {
  return `${DELEGATION_PREFIX}${contract.slice(2).toLowerCase()}`;
}

/** Where an account's code delegates to, or null when it is not a delegation (no code, or a contract). */
export function delegateOf(code: string | null | undefined): string | null {
  if (!code || code.length !== 2 + 23 * 2 || !code.toLowerCase().startsWith(DELEGATION_PREFIX)) return null;
  return `0x${code.slice(8).toLowerCase()}`;
}

export function sweeperDeployData(treasury: `0x${string}`): Hex {
  return encodeDeployData({ abi: sweeperAbi, bytecode: artifact.bytecode as Hex, args: [treasury] });
}

/** CREATE address of the sweeper deployed by the gas account at `nonce`. */
export function sweeperAddressFor(deployer: `0x${string}`, nonce: number): `0x${string}` {
  return getContractAddress({ from: deployer, nonce: BigInt(nonce) }).toLowerCase() as `0x${string}`;
}

/**
 * The runtime code a deployment for `treasury` must have: the compiled runtime with the treasury
 * written into each immutable's place. Compared byte for byte before anything delegates to it.
 */
export function expectedSweeperCode(treasury: `0x${string}`): Hex {
  const code = (artifact.deployedBytecode as string).slice(2);
  const word = padHex(treasury.toLowerCase() as Hex, { size: 32 }).slice(2);
  let out = '';
  let at = 0;
  for (const range of artifact.immutableRanges) {
    out += code.slice(at * 2, range.start * 2) + word;
    at = range.start + range.length;
  }
  return `0x${out + code.slice(at * 2)}`;
}

export function sweepBatchData(token: `0x${string}`, deposits: `0x${string}`[]): Hex {
  return encodeFunctionData({ abi: sweeperAbi, functionName: 'sweepBatch', args: [token, deposits] });
}

/** `sweep(tokens)` as called on a delegated deposit (the batch calls it on each). */
export function sweepTokensData(tokens: `0x${string}`[]): Hex {
  return encodeFunctionData({ abi: sweeperAbi, functionName: 'sweep', args: [tokens] });
}

export const isDelegationTo = (code: string | null | undefined, contract: string): boolean =>
  delegateOf(code) === contract.toLowerCase();
