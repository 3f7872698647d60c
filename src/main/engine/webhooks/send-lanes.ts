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
 * was disabled, Till is stopping) or it is cancelled before its turn.
 */
export function createSendLanes<Request>(post: (request: Request, signal: AbortSignal) => Promise<SendResult>) {
  interface Job {
    request: Request;
    submittedAt: number;
    controller: AbortController;
    started: boolean;
    done(outcome: LaneOutcome | Error): void;
  }
  const lanes = new Map<string, { out: number; limit: number; waiting: Job[] }>();

  function start(key: string, job: Job): void {
    const lane = lanes.get(key)!;
    lane.out++;
    job.started = true;
    const waitedMs = Math.round(performance.now() - job.submittedAt);
    post(job.request, job.controller.signal).then(
      (result) => {
        lane.out--;
        if (result.httpStatus === 410) withdraw(key);
        else pump(key);
        job.done(waitedMs > 0 ? { ...result, waitedMs } : result);
      },
      (error: Error) => {
        lane.out--;
        pump(key);
        job.done(error);
      },
    );
  }
  function pump(key: string): void {
    const lane = lanes.get(key);
    if (!lane) return;
    while (lane.out < lane.limit && lane.waiting.length > 0) start(key, lane.waiting.shift()!);
    if (lane.out === 0 && lane.waiting.length === 0) lanes.delete(key);
  }
  function withdraw(key?: string): void {
    for (const [laneKey, lane] of lanes) {
      if (key !== undefined && laneKey !== key) continue;
      const waiting = lane.waiting;
      lane.waiting = [];
      for (const job of waiting) job.done(NOT_SENT);
      if (lane.out === 0) lanes.delete(laneKey);
    }
  }

  return {
    /** Queues a request on a lane; `done` gets its result, NOT_SENT, or the error of an aborted send. */
    submit(key: string, limit: number, request: Request, done: (outcome: LaneOutcome | Error) => void): { cancel(): void } {
      let lane = lanes.get(key);
      if (!lane) lanes.set(key, (lane = { out: 0, limit, waiting: [] }));
      lane.limit = limit;
      const job: Job = { request, submittedAt: performance.now(), controller: new AbortController(), started: false, done };
      lane.waiting.push(job);
      pump(key);
      return {
        cancel() {
          if (job.started) job.controller.abort();
          else {
            const index = lane.waiting.indexOf(job);
            if (index === -1) return;
            lane.waiting.splice(index, 1);
            job.done(NOT_SENT);
          }
        },
      };
    },
    withdraw,
    /** Requests out and waiting, for tests and status. */
    size(): { out: number; waiting: number } {
      let out = 0;
      let waiting = 0;
      for (const lane of lanes.values()) {
        out += lane.out;
        waiting += lane.waiting.length;
      }
      return { out, waiting };
    },
  };
}
