import artifact from '../../../../resources/contracts/BlockHashes.json' with { type: 'json' };
import type { RpcPool } from '../chains/rpc/rpc-pool.ts';
import { isStateUnavailable, RpcCallError } from '../chains/rpc/rpc-call-error.ts';

/** Where BlockHashes' code is placed by the state override: an address nobody holds a key for. */
const HELPER_ADDRESS = '0x00000000000000000000000000000000b10c4a54';
/** Block numbers per eth_call: a history lookup costs about 2,300 gas, so 2,000 stay near 5 M. */
const NUMBERS_PER_CALL = 2_000;
/** Answers that do not anchor before an endpoint is no longer asked (one may be a reorg racing the call). */
const MISSES_TO_GIVE_UP = 2;
const ZERO_HASH = `0x${'0'.repeat(64)}`;

/**
 * Hashes of past blocks as the chain ending at a block already read sees them, in one eth_call:
 * BlockHashes run through the state override at that block (pinned by its hash, EIP-1898), which
 * answers from BLOCKHASH (the 256 newest) and the EIP-2935 history contract (the 8,191 newest,
 * since Prague). A catch-up checks the blocks holding payments against them instead of reading
 * each one's header: for a step with 100 such blocks that is 1 call instead of 100.
 *
 * The answer is used only when it anchors: its hash of the block below `last` must be
 * `last.parentHash`. That holds on every chain whose BLOCKHASH means the chain's own blocks, and
 * fails where it does not (Arbitrum's block.number is L1's) or where the node ignores the
 * override; such an endpoint is not asked again, and its headers are read as before.
 */
export function createAncestorHashes(rpc: RpcPool) {
  const refused = new Set<string>();
  const misses = new Map<string, number>();
  const miss = (endpoint: string) => {
    const count = (misses.get(endpoint) ?? 0) + 1;
    misses.set(endpoint, count);
    if (count >= MISSES_TO_GIVE_UP) refused.add(endpoint);
  };

  return {
    /** Whether `endpoint` may answer this way (it has not shown that it cannot). */
    usable: (endpoint: string): boolean => !refused.has(endpoint),

    /**
     * Lower-case hashes of `numbers` (each below `last`) on the chain `last` ends, or null when the
     * endpoint cannot say (the caller reads headers then). A block out of reach is left out.
     */
    async read(
      numbers: number[],
      last: { number: string; hash: string; parentHash: string },
      endpoint: string,
      signal: AbortSignal,
    ): Promise<Map<number, string> | null> {
      if (refused.has(endpoint)) return null;
      const top = Number(BigInt(last.number));
      if (top < 1) return null;
      const asked = [...new Set([...numbers, top - 1])].filter((n) => n >= 0 && n < top).sort((a, b) => a - b);
      const calls = [];
      for (let i = 0; i < asked.length; i += NUMBERS_PER_CALL) {
        const data = `0x${asked
          .slice(i, i + NUMBERS_PER_CALL)
          .map((n) => n.toString(16).padStart(16, '0'))
          .join('')}`;
        calls.push({
          method: 'eth_call',
          params: [
            { to: HELPER_ADDRESS, data },
            { blockHash: last.hash },
            { [HELPER_ADDRESS]: { code: artifact.deployedBytecode } },
          ],
        });
      }
      let answers: string[];
      try {
        answers = await rpc.batch<string>(calls, { endpoint, atLeastBlock: top, signal });
      } catch (error) {
        if (signal.aborted) throw error;
        // No state for `last` (a pruned node deep in a catch-up) says nothing about the method.
        if (
          error instanceof RpcCallError &&
          !isStateUnavailable(error.message) &&
          (error.kind === 'unsupported' || error.kind === 'fatal')
        )
          refused.add(endpoint);
        return null;
      }
      const hashes = new Map<number, string>();
      for (const [k, answer] of answers.entries()) {
        const slice = asked.slice(k * NUMBERS_PER_CALL, (k + 1) * NUMBERS_PER_CALL);
        // A node that ignores the override runs an empty account and answers "0x".
        if (typeof answer !== 'string' || answer.length !== 2 + 64 * slice.length) {
          refused.add(endpoint);
          return null;
        }
        for (const [j, n] of slice.entries()) {
          const hash = `0x${answer.slice(2 + 64 * j, 2 + 64 * (j + 1))}`.toLowerCase();
          if (hash !== ZERO_HASH) hashes.set(n, hash);
        }
      }
      if (hashes.get(top - 1) !== last.parentHash.toLowerCase()) {
        miss(endpoint);
        return null;
      }
      misses.delete(endpoint);
      if (!numbers.includes(top - 1)) hashes.delete(top - 1);
      return hashes;
    },
  };
}
export type AncestorHashes = ReturnType<typeof createAncestorHashes>;
