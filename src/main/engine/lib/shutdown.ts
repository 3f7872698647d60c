/**
 * One AbortController that every loop listens to, plus cleanup callbacks run in reverse order,
 * so stopping the engine stops everything it started, exactly once.
 */
export function createShutdown() {
  const controller = new AbortController();
  const cleanups: (() => void | Promise<void>)[] = [];
  const running = new Set<Promise<unknown>>();
  let stopping: Promise<void> | undefined;
  return {
    signal: controller.signal,
    onStop(cleanup: () => void | Promise<void>): void {
      cleanups.push(cleanup);
    },
    /** Tracks a loop's promise so stop() waits for it to finish its current iteration. */
    track(loop: Promise<unknown>): void {
      running.add(loop);
      void loop.finally(() => running.delete(loop));
    },
    stop(): Promise<void> {
      stopping ??= (async () => {
        controller.abort();
        await Promise.allSettled([...running]);
        for (const cleanup of cleanups.reverse()) await cleanup();
      })();
      return stopping;
    },
  };
}
export type Shutdown = ReturnType<typeof createShutdown>;

/** Resolves after `ms`, or at once when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
