import { describe, expect, it } from 'vitest';
import { parseLogRangeError, type LogRangeRefusal } from './log-range-errors.ts';

type Case = [provider: string, error: { code?: number; message: string; data?: unknown }, expected: LogRangeRefusal | null];

const cases: Case[] = [
  [
    'Alchemy (suggested range)',
    {
      code: -32602,
      message:
        'Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response. Based on your parameters, this block range should work: [0x112a880, 0x112a8c2]',
    },
    { limit: 0x112a8c2 - 0x112a880 + 1, cause: 'results' },
  ],
  [
    'Alchemy (block cap only)',
    { code: -32600, message: 'You can make eth_getLogs requests with up to a 2K block range. Please reduce your range.' },
    { limit: 2_000, cause: 'blocks' },
  ],
  [
    'Infura',
    { code: -32005, message: 'query returned more than 10000 results. Try with this block range [0x30CE171, 0x30CE1B0].' },
    { limit: 0x30ce1b0 - 0x30ce171 + 1, cause: 'results' },
  ],
  [
    'Infura (no suggestion)',
    { code: -32005, message: 'query returned more than 10000 results' },
    { limit: null, cause: 'results' },
  ],
  ['QuickNode', { code: -32614, message: 'eth_getLogs is limited to a 10,000 range' }, { limit: 10_000, cause: 'blocks' }],
  ['Ankr', { code: -32600, message: 'block range is too wide' }, { limit: 3_000, cause: 'blocks' }],
  [
    'Cloudflare',
    { code: -32047, message: "Invalid eth_getLogs request. 'fromBlock'-'toBlock' range too large. Max range: 3500" },
    { limit: 3_500, cause: 'blocks' },
  ],
  ['Erigon / generic', { code: -32000, message: 'exceed maximum block range: 5000' }, { limit: 5_000, cause: 'blocks' }],
  ['Chainstack', { code: -32000, message: 'Block range limit exceeded.' }, { limit: null, cause: 'blocks' }],
  [
    'Merkle-style',
    { code: -32602, message: 'eth_getLogs range is too large, max is 1k blocks' },
    { limit: 1_000, cause: 'blocks' },
  ],
  [
    'LlamaRPC',
    { code: -32602, message: 'query exceeds max results 20000, retry with the range 24383075-24383096' },
    { limit: 22, cause: 'results' },
  ],
  [
    'Thirdweb (range limit in data)',
    { code: -32602, message: 'invalid params', data: 'range 20000 is bigger than range limit 2000' },
    { limit: 2_000, cause: 'blocks' },
  ],
  [
    'Thirdweb (suggested range in data)',
    {
      code: -32602,
      message: 'invalid params',
      data: 'Query returned more than 10000 results. Try with this block range [0x800000, 0x800054].',
    },
    { limit: 0x55, cause: 'results' },
  ],
  [
    'Thirdweb (maximum blocks)',
    { code: -32602, message: 'Maximum allowed number of requested blocks is 1000' },
    { limit: 1_000, cause: 'blocks' },
  ],
  [
    'BlastAPI paid plan',
    { code: -32602, message: 'eth_getLogs block range exceeds the range allowed for your plan (5000 > 500)' },
    { limit: 500, cause: 'blocks' },
  ],
  [
    'Coinbase',
    { code: -32000, message: 'block range too large, please limit the query to at most 1000 blocks' },
    { limit: 1_000, cause: 'blocks' },
  ],
  [
    'PublicNode',
    {
      code: -32701,
      message:
        'Please specify an address in your request or, to remove restrictions, order a dedicated full node here: https://www.allnodes.com/; maximum block range: 50000',
    },
    { limit: 50_000, cause: 'blocks' },
  ],
  ['Base', { code: -32000, message: 'block range too large' }, { limit: 2_000, cause: 'blocks' }],
  [
    'Avalanche',
    { code: -32000, message: 'requested too many blocks from 0 to 16777216, maximum is set to 2048' },
    { limit: 2_048, cause: 'blocks' },
  ],
  ['BlockPI', { code: -32000, message: 'eth_getLogs is limited to 5000 block range' }, { limit: 5_000, cause: 'blocks' }],
  ['Moonriver', { code: -32603, message: 'block range is too wide (maximum 1024)' }, { limit: 1_024, cause: 'blocks' }],
  ['Hyperliquid', { code: -32000, message: 'query exceeds max block range 1000' }, { limit: 1_000, cause: 'blocks' }],
  ['Arbitrum', { code: -32000, message: 'logs matched by query exceeds limit of 10000' }, { limit: null, cause: 'results' }],
  ['Optimism', { code: -32000, message: 'Block range is too large' }, { limit: null, cause: 'blocks' }],
  ['1RPC', { code: -32000, message: 'response size should not greater than 10000000 bytes' }, { limit: null, cause: 'results' }],
  ['not a range error: header not found', { code: -32000, message: 'header not found' }, null],
  ['not a range error: invalid params', { code: -32602, message: 'invalid argument 0: hex string without 0x prefix' }, null],
  ['not a range error: rate limit', { code: -32005, message: 'daily request count exceeded, request rate limited' }, null],
];

describe('parseLogRangeError', () => {
  it.each(cases)('reads %s', (_provider, error, expected) => {
    expect(parseLogRangeError(error)).toEqual(expected);
  });
});
