import { describe, expect, it } from 'vitest';
import { runLimited } from './run-limited.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('runLimited', () => {
  it('runs every task in order, never more than the limit at once', async () => {
    let inFlight = 0;
    let most = 0;
    const started: number[] = [];
    const tasks = Array.from({ length: 10 }, (_, i) => async () => {
      started.push(i);
      most = Math.max(most, ++inFlight);
      for (let k = 0; k < (i % 3) + 1; k++) await tick();
      inFlight--;
    });
    await runLimited(tasks, 3, new AbortController().signal);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(most).toBe(3);
  });

  it('the first failure aborts the tasks in flight, starts no more, and is thrown once they have settled', async () => {
    const settled: string[] = [];
    const failure = new Error('batch 1 failed');
    const slow = (name: string) => async (signal: AbortSignal) => {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      await tick();
      settled.push(name);
      throw signal.reason;
    };
    const started: string[] = [];
    const tasks = [
      slow('a'),
      async () => {
        await tick();
        throw failure;
      },
      slow('c'),
      async () => void started.push('d'),
    ];
    await expect(runLimited(tasks, 3, new AbortController().signal)).rejects.toBe(failure);
    expect(settled.sort()).toEqual(['a', 'c']);
    expect(started).toEqual([]);
  });

  it('a caller that aborts stops it with its reason', async () => {
    const caller = new AbortController();
    const reason = new Error('shutting down');
    const tasks = Array.from({ length: 5 }, () => async (signal: AbortSignal) => {
      caller.abort(reason);
      signal.throwIfAborted();
    });
    await expect(runLimited(tasks, 2, caller.signal)).rejects.toBe(reason);
  });
});
