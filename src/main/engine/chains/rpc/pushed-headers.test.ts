import { describe, expect, it } from 'vitest';
import { createPushedHeaders, parseNewHead, type PushedHeader } from './pushed-headers.ts';

const hashOf = (n: number, fork = 0) => `0x${(fork * 1_000_000 + n).toString(16).padStart(64, '0')}`;

function header(n: number, fork = 0, parentFork = fork): PushedHeader {
  return parseNewHead({
    number: `0x${n.toString(16)}`,
    hash: hashOf(n, fork),
    parentHash: hashOf(n - 1, parentFork),
    timestamp: '0x1',
  })!;
}

describe('parseNewHead', () => {
  it('keeps number, lower-case hashes and timestamp, with no transaction list', () => {
    expect(
      parseNewHead({
        number: '0x0A',
        hash: `0x${'AB'.repeat(32)}`,
        parentHash: `0x${'CD'.repeat(32)}`,
        timestamp: '0x65',
        miner: '0x0',
        transactionsRoot: '0x0',
      }),
    ).toEqual({
      number: '0xa',
      hash: `0x${'ab'.repeat(32)}`,
      parentHash: `0x${'cd'.repeat(32)}`,
      timestamp: '0x65',
      transactions: [],
    });
  });

  it('a notification missing a field or carrying a malformed one is not a header', () => {
    const good = { number: '0x1', hash: hashOf(1), parentHash: hashOf(0), timestamp: '0x1' };
    expect(parseNewHead(good)).not.toBeNull();
    for (const bad of [
      null,
      '0x1',
      { ...good, number: 1 },
      { ...good, number: 'one' },
      { ...good, hash: '0x12' },
      { ...good, parentHash: undefined },
      { ...good, timestamp: null },
    ])
      expect(parseNewHead(bad)).toBeNull();
  });
});

describe('pushed headers of one endpoint', () => {
  it('keeps a linked run of heads by number', () => {
    const kept = createPushedHeaders();
    for (let n = 1; n <= 5; n++) kept.add(header(n));
    expect(kept.size).toBe(5);
    expect(kept.get(3)).toEqual(header(3));
    expect(kept.get(6)).toBeUndefined();
  });

  it('a same-height reorg replaces that height', () => {
    const kept = createPushedHeaders();
    for (let n = 1; n <= 5; n++) kept.add(header(n));
    kept.add(header(5, 1, 0));
    expect(kept.get(5)!.hash).toBe(hashOf(5, 1));
    expect(kept.get(4)!.hash).toBe(hashOf(4));
  });

  it('a new head that does not hang off the kept one below drops every kept height below it', () => {
    // A depth-3 reorg announced by its new head only (as geth does): 3 and 4 were replaced unseen.
    const kept = createPushedHeaders();
    for (let n = 1; n <= 5; n++) kept.add(header(n));
    kept.add(header(6, 1, 1));
    expect(kept.size).toBe(1);
    expect(kept.get(6)!.hash).toBe(hashOf(6, 1));
    for (let n = 1; n <= 5; n++) expect(kept.get(n)).toBeUndefined();
  });

  it('heights above a new lower head are gone with the fork it replaced', () => {
    const kept = createPushedHeaders();
    for (let n = 1; n <= 5; n++) kept.add(header(n));
    kept.add(header(4, 1, 0));
    expect(kept.get(5)).toBeUndefined();
    expect(kept.get(4)!.hash).toBe(hashOf(4, 1));
    expect(kept.get(3)!.hash).toBe(hashOf(3));
  });

  it('heights above a head the endpoint reports are dropped (a rollback is not notified)', () => {
    const kept = createPushedHeaders();
    for (let n = 1; n <= 5; n++) kept.add(header(n));
    kept.dropAbove(3);
    expect(kept.get(4)).toBeUndefined();
    expect(kept.get(5)).toBeUndefined();
    expect(kept.get(3)).toBeDefined();
    // The next block on the shortened chain hangs off 3 and joins the run.
    kept.add(header(4, 1, 0));
    expect(kept.size).toBe(4);
  });

  it('a skipped height starts the run again at the new head', () => {
    const kept = createPushedHeaders();
    kept.add(header(1));
    kept.add(header(3));
    expect(kept.get(1)).toBeUndefined();
    expect(kept.get(3)).toBeDefined();
  });

  it('is bounded to the newest heights', () => {
    const kept = createPushedHeaders(4);
    for (let n = 1; n <= 10; n++) kept.add(header(n));
    expect(kept.size).toBe(4);
    expect(kept.get(6)).toBeUndefined();
    expect(kept.get(7)).toBeDefined();
    expect(kept.get(10)).toBeDefined();
  });

  it('clear forgets everything', () => {
    const kept = createPushedHeaders();
    for (let n = 1; n <= 3; n++) kept.add(header(n));
    kept.clear();
    expect(kept.size).toBe(0);
    expect(kept.get(3)).toBeUndefined();
  });
});
