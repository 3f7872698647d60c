import type { SendResult } from './send-webhook.ts';

/** A request that was taken back before it went out. */
export const NOT_SENT = 'not sent';
export type LaneOutcome = SendResult | typeof NOT_SENT;

/**
 * One lane per endpoint: at most `limit` requests of a lane are out at once, the rest wait in
 * the order they came. When one ends the next starts at once, where the requests are sent —
 * not after a round trip to the dispatcher and its next commit.
 *
 * A `410 Gone` stops its lane: what still waits comes back NOT_SENT (the dispatcher disables the
 * endpoint when it records the 410). So does what waits when its lane is withdrawn (the endpoint
 * was disabled) or aborted (Till is stopping; an abort also cancels what is out, which then ends
 * with its error).
 *
 * Requests are taken back by lane, never one by one: so a request needs no handle, listener or
 * controller of its own until it goes out — the dispatcher passes thousands a second through here.
 */
export function createSendLanes<Request>(post: (request: Request, controller: AbortController) => Promise<SendResult>) {
  interface Job {
    request: Request;
    submittedAt: number;
    done(outcome: LaneOutcome | Error): void;
  }
  interface Lane {
    limit: number;
    waiting: Job[];
    /** The controllers of the requests out. */
    out: Set<AbortController>;
  }
  const lanes = new Map<string, Lane>();

  function start(key: string, lane: Lane, job: Job): void {
    const controller = new AbortController();
    lane.out.add(controller);
    const waitedMs = Math.round(performance.now() - job.submittedAt);
    post(job.request, controller).then(
      (result) => {
        lane.out.delete(controller);
        if (result.httpStatus === 410) withdraw(key);
        else pump(key);
        job.done(waitedMs > 0 ? { ...result, waitedMs } : result);
      },
      (error: Error) => {
        lane.out.delete(controller);
        pump(key);
        job.done(error);
      },
    );
  }
  function pump(key: string): void {
    const lane = lanes.get(key);
    if (!lane) return;
    while (lane.out.size < lane.limit && lane.waiting.length > 0) start(key, lane, lane.waiting.shift()!);
    if (lane.out.size === 0 && lane.waiting.length === 0) lanes.delete(key);
  }
  /** What waits on the lane `key` (every lane when none is named) comes back NOT_SENT; with `abortOut`, what is out is aborted. */
  function takeBack(key: string | undefined, abortOut: boolean): void {
    for (const [laneKey, lane] of lanes) {
      if (key !== undefined && laneKey !== key) continue;
      const waiting = lane.waiting;
      lane.waiting = [];
      for (const job of waiting) job.done(NOT_SENT);
      if (abortOut) for (const controller of [...lane.out]) controller.abort();
      if (lane.out.size === 0) lanes.delete(laneKey);
    }
  }
  const withdraw = (key?: string) => takeBack(key, false);

  return {
    /** Queues a request on a lane; `done` gets its result, NOT_SENT, or the error of an aborted send. */
    submit(key: string, limit: number, request: Request, done: (outcome: LaneOutcome | Error) => void): void {
      let lane = lanes.get(key);
      if (!lane) lanes.set(key, (lane = { limit, waiting: [], out: new Set() }));
      lane.limit = limit;
      lane.waiting.push({ request, submittedAt: performance.now(), done });
      pump(key);
    },
    /** Takes back what waits on a lane (every lane when none is named); what is out goes on. */
    withdraw,
    /** Takes back what waits and cancels what is out, on a lane or (none named) on every lane. */
    abort: (key?: string) => takeBack(key, true),
    /** Requests out and waiting, for tests and status. */
    size(): { out: number; waiting: number } {
      let out = 0;
      let waiting = 0;
      for (const lane of lanes.values()) {
        out += lane.out.size;
        waiting += lane.waiting.length;
      }
      return { out, waiting };
    },
  };
}
