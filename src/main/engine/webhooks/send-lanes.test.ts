import { describe, expect, it } from 'vitest';
import { createSendLanes, NOT_SENT, type LaneOutcome } from './send-lanes.ts';
import type { SendResult } from './send-webhook.ts';

// The lanes' logic on its own, with a `post` the test answers by hand (the real one is fetch;
// webhook-sender.test.ts runs these lanes on the worker against a real HTTP server).
function harness() {
  const out: { name: string; signal: AbortSignal; answer(status: number): void; fail(error: Error): void }[] = [];
  const lanes = createSendLanes<string>(
    (name, { signal }) =>
      new Promise<SendResult>((resolve, reject) => {
        out.push({
          name,
          signal,
          answer: (status) => resolve({ httpStatus: status, responseBody: '', error: null, durationMs: 1 }),
          fail: reject,
        });
        signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      }),
  );
  const outcomes = new Map<string, LaneOutcome | Error>();
  const submit = (key: string, limit: number, name: string) =>
    lanes.submit(key, limit, name, (outcome) => outcomes.set(name, outcome));
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  const answer = async (name: string, status = 204) => {
    out.find((request) => request.name === name)!.answer(status);
    await settle();
  };
  return { lanes, out, outcomes, submit, answer, settle, started: () => out.map((request) => request.name) };
}

describe('send lanes', () => {
  it('lets `limit` requests of a lane out at once, starts the next in order as each ends, and keeps lanes apart', async () => {
    const { submit, answer, started, outcomes, lanes } = harness();
    for (const name of ['a1', 'a2', 'a3', 'a4']) submit('a', 2, name);
    submit('b', 1, 'b1');
    expect(started()).toEqual(['a1', 'a2', 'b1']);
    expect(lanes.size()).toEqual({ out: 3, waiting: 2 });
    await answer('a2');
    expect(started()).toEqual(['a1', 'a2', 'b1', 'a3']);
    expect(outcomes.get('a2')).toMatchObject({ httpStatus: 204 });
    await answer('a1');
    await answer('a3');
    await answer('a4');
    await answer('b1');
    expect(started()).toEqual(['a1', 'a2', 'b1', 'a3', 'a4']);
    expect(lanes.size()).toEqual({ out: 0, waiting: 0 });
  });

  it('says how long a request waited for its turn', async () => {
    const { submit, answer, outcomes } = harness();
    submit('a', 1, 'first');
    submit('a', 1, 'second');
    await new Promise((resolve) => setTimeout(resolve, 30));
    await answer('first');
    await answer('second');
    expect((outcomes.get('first') as SendResult).waitedMs).toBeUndefined();
    expect((outcomes.get('second') as SendResult).waitedMs).toBeGreaterThanOrEqual(25);
  });

  it('a 410 stops its lane: what waits comes back not sent; other lanes go on, and so does the lane for what comes later', async () => {
    const { submit, answer, started, outcomes } = harness();
    for (const name of ['a1', 'a2', 'a3']) submit('a', 1, name);
    submit('b', 1, 'b1');
    submit('b', 1, 'b2');
    await answer('a1', 410);
    expect(outcomes.get('a1')).toMatchObject({ httpStatus: 410 });
    expect(outcomes.get('a2')).toBe(NOT_SENT);
    expect(outcomes.get('a3')).toBe(NOT_SENT);
    await answer('b1', 500);
    expect(started()).toEqual(['a1', 'b1', 'b2']);
    submit('a', 1, 'a4');
    expect(started()).toContain('a4');
  });

  it('withdraw takes back what waits (on one lane, or all) and leaves what is out alone', async () => {
    const { submit, answer, outcomes, lanes } = harness();
    for (const name of ['a1', 'a2']) submit('a', 1, name);
    for (const name of ['b1', 'b2']) submit('b', 1, name);
    lanes.withdraw('a');
    expect(outcomes.get('a2')).toBe(NOT_SENT);
    expect(outcomes.has('b2')).toBe(false);
    lanes.withdraw();
    expect(outcomes.get('b2')).toBe(NOT_SENT);
    await answer('a1');
    await answer('b1');
    expect(outcomes.get('a1')).toMatchObject({ httpStatus: 204 });
    expect(lanes.size()).toEqual({ out: 0, waiting: 0 });
  });

  it('abort: what waits on the lane comes back not sent; what is out is aborted and ends with its error; other lanes go on', async () => {
    const { submit, out, outcomes, settle, lanes } = harness();
    submit('a', 1, 'a1');
    submit('a', 1, 'a2');
    submit('b', 1, 'b1');
    lanes.abort('a');
    expect(outcomes.get('a2')).toBe(NOT_SENT);
    expect(out.find((request) => request.name === 'a1')!.signal.aborted).toBe(true);
    expect(out.find((request) => request.name === 'b1')!.signal.aborted).toBe(false);
    await settle();
    expect(outcomes.get('a1')).toBeInstanceOf(Error);
    lanes.abort();
    expect(out.find((request) => request.name === 'b1')!.signal.aborted).toBe(true);
    await settle();
    expect(outcomes.get('b1')).toBeInstanceOf(Error);
    expect(lanes.size()).toEqual({ out: 0, waiting: 0 });
  });
});
