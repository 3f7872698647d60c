/** A unit of a scan step's reads; it must stop soon after `signal` aborts. */
export type ScanTask = (signal: AbortSignal) => Promise<void>;

/**
 * Runs `tasks` in order with at most `limit` in flight. The first failure aborts the signal the
 * other tasks were given and is thrown once every started task has settled, so no read of a
 * failed step is still running (or still writing into the step's maps) when the caller retries.
 *
 * @example
 * await runLimited([readLogs, readBlocks0to49, readBlocks50to99], 3, signal);
 */
export async function runLimited(tasks: ScanTask[], limit: number, signal: AbortSignal): Promise<void> {
  if (tasks.length === 0) return;
  const controller = new AbortController();
  const combined = AbortSignal.any([signal, controller.signal]);
  let next = 0;
  let failed = false;
  let failure: unknown;
  async function worker(): Promise<void> {
    while (!failed && next < tasks.length) {
      const task = tasks[next++]!;
      try {
        combined.throwIfAborted();
        await task(combined);
      } catch (error) {
        if (!failed) {
          failed = true;
          failure = error;
          controller.abort(error);
        }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  if (failed) throw failure;
}
