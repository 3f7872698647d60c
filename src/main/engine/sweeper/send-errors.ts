/**
 * What a node's refusal of eth_sendRawTransaction means, by name. Each is handled on its own,
 * never retried blindly (see the tracker):
 * - `already_known`: the node has this very transaction: as good as accepted.
 * - `nonce_too_low`: a transaction with this nonce is mined — one of ours (look at the receipts of
 *   every signed version) or one Till did not sign.
 * - `replacement_underpriced`: the node holds another version with fees too close to this one.
 * - `fee_too_low`: the max fee is below the base fee (or the node's minimum): replace with higher fees.
 * - `insufficient_funds`: the sender cannot pay gas × max fee + value.
 * - `gas_limit`: the gas limit is too low or too high for the chain.
 * - `rejected`: anything else the node said about this transaction.
 * Messages are geth's, Erigon's, Nethermind's, Besu's, reth's and anvil's.
 */
export type SendRefusal =
  'already_known' | 'nonce_too_low' | 'replacement_underpriced' | 'fee_too_low' | 'insufficient_funds' | 'gas_limit' | 'rejected';

const PATTERNS: [SendRefusal, RegExp][] = [
  ['already_known', /already known|already imported|known transaction|alreadyknown|already in (?:the )?(?:tx)?pool/i],
  ['nonce_too_low', /nonce too low|nonce has already been used|oldnonce|nonce is too low|invalid nonce.*lower/i],
  [
    'replacement_underpriced',
    /replacement transaction underpriced|replacement fee too low|replaceunderpriced|could not replace existing tx/i,
  ],
  [
    'fee_too_low',
    /less than block base fee|fee cap less than|feecaptoolow|transaction underpriced|gas price too low|max fee per gas .* less than|underpriced|fee too low/i,
  ],
  ['insufficient_funds', /insufficient funds|insufficientfunds|not enough (?:funds|balance)|sender doesn't have enough/i],
  ['gas_limit', /intrinsic gas too low|gas limit reached|exceeds block gas limit|gas too low|gaslimit/i],
];

export function classifySendError(message: string): SendRefusal {
  for (const [kind, pattern] of PATTERNS) if (pattern.test(message)) return kind;
  return 'rejected';
}

/** When endpoints disagree, the refusal that says most about the transaction's fate wins. */
const WEIGHT: Record<SendRefusal, number> = {
  already_known: 0,
  nonce_too_low: 6,
  insufficient_funds: 5,
  replacement_underpriced: 4,
  fee_too_low: 3,
  gas_limit: 2,
  rejected: 1,
};

export function strongestRefusal(refusals: SendRefusal[]): SendRefusal | undefined {
  return refusals.reduce<SendRefusal | undefined>(
    (best, kind) => (best === undefined || WEIGHT[kind] > WEIGHT[best] ? kind : best),
    undefined,
  );
}
