import { Worker } from 'node:worker_threads';
import { findWorkerFile } from '../lib/worker-file.ts';
import { sendWebhook } from './send-webhook.ts';
import { createSendLanes, NOT_SENT, type LaneOutcome } from './send-lanes.ts';
import { signatureHeader } from './webhook-signature.ts';

/** One webhook request; its `Till-Signature` is made where it is sent (off the dispatcher's thread). */
export interface SendJob {
  url: string;
  body: string;
  /** Every header but the signature. */
  headers: Record<string, string>;
  /** Newest first; one `v1=` each. */
  secrets: string[];
  timestampSeconds: number;
  timeoutMs?: number;
}

/** Requests of one lane (an endpoint) go out at most `limit` at a time, in the order sent. */
export interface Lane {
  key: string;
  limit: number;
}

/**
 * Signs and posts webhooks, per lane. `send` resolves with what the endpoint answered (or the
 * network error as a result, as sendWebhook reports it), or NOT_SENT when the request was taken
 * back before its turn (`withdraw`, a 410 on its lane, its signal); it rejects only when its
 * signal aborted it mid-send or the sender itself stopped.
 */
export interface WebhookSender {
  send(lane: Lane, job: SendJob, signal?: AbortSignal): Promise<LaneOutcome>;
  /** Takes back what waits on a lane (every lane when none is named). */
  withdraw(key?: string): void;
  close(): Promise<void>;
}

export type SenderRequest =
  { type: 'send'; id: number; lane: Lane; job: SendJob } | { type: 'cancel'; id: number } | { type: 'withdraw'; key?: string };
export type SenderReply = { id: number; outcome: LaneOutcome } | { id: number; error: string };

/** POSTs one job, signed. */
export function postJob(job: SendJob, signal: AbortSignal) {
  const headers = { ...job.headers, 'Till-Signature': signatureHeader(job.secrets, job.timestampSeconds, job.body) };
  return sendWebhook(job.url, job.body, headers, { signal, timeoutMs: job.timeoutMs });
}

/** In this thread: one-shot commands (a ping, a resend from the CLI), and where no worker file ships. */
export function createInlineSender(): WebhookSender {
  const lanes = createSendLanes(postJob);
  return {
    send(lane, job, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason as Error);
      return new Promise((resolve, reject) => {
        const handle = lanes.submit(lane.key, lane.limit, job, (outcome) => {
          signal?.removeEventListener('abort', handle.cancel);
          if (outcome instanceof Error) reject(outcome);
          else resolve(outcome);
        });
        signal?.addEventListener('abort', handle.cancel, { once: true });
      });
    },
    withdraw: (key) => lanes.withdraw(key),
    close: async () => lanes.withdraw(),
  };
}

/**
 * The dispatcher's sender: on a worker thread when the worker's code is at hand (till serve and
 * tests run the sources; the Electron build ships it as out/main/send-worker.js), else inline.
 * Why a worker, and what it bought: docs/BENCHMARKS.md (bench:webhooks).
 */
export function createWebhookSender(): WebhookSender {
  const file = findWorkerFile(import.meta.url, 'send-worker');
  return file ? createWorkerSender(file) : createInlineSender();
}

export class SenderStoppedError extends Error {
  constructor(reason: string) {
    super(`the webhook sender stopped: ${reason}`);
    this.name = 'SenderStoppedError';
  }
}

/**
 * The worker starts on first use, and again after it died; what it had then (out or waiting)
 * ends with a SenderStoppedError, which the dispatcher records as an interrupted attempt and
 * sends again at once.
 */
function createWorkerSender(file: string): WebhookSender {
  let worker: Worker | undefined;
  let nextId = 0;
  const pending = new Map<number, { resolve(outcome: LaneOutcome): void; reject(error: Error): void }>();
  const failAll = (error: Error) => {
    const waiters = [...pending.values()];
    pending.clear();
    for (const waiter of waiters) waiter.reject(error);
  };
  const start = (): Worker => {
    const started = new Worker(file);
    // Sends keep the process alive through their callers; an idle worker must not.
    started.unref();
    started.on('message', (replies: SenderReply[]) => {
      for (const reply of replies) {
        const waiter = pending.get(reply.id);
        if (!waiter) continue;
        pending.delete(reply.id);
        if ('outcome' in reply) waiter.resolve(reply.outcome);
        else waiter.reject(new Error(reply.error));
      }
    });
    const stopped = (reason: string) => {
      if (worker === started) worker = undefined;
      failAll(new SenderStoppedError(reason));
    };
    started.on('error', (error) => stopped(error.message));
    started.on('exit', (code) => stopped(`its thread exited with code ${code}`));
    return started;
  };
  // Requests go out in one message per turn of the event loop (a look claims several at once).
  let outbox: SenderRequest[] = [];
  const flush = () => {
    const batch = outbox;
    outbox = [];
    (worker ??= start()).postMessage(batch);
  };
  const post = (message: SenderRequest) => {
    if (outbox.push(message) === 1) queueMicrotask(flush);
  };
  return {
    send(lane, job, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason as Error);
      const id = nextId++;
      // The worker answers a cancel too: NOT_SENT when the job was still waiting, else the
      // aborted send's error.
      const cancel = () => post({ type: 'cancel', id });
      return new Promise<LaneOutcome>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        signal?.addEventListener('abort', cancel, { once: true });
        post({ type: 'send', id, lane, job });
      }).finally(() => signal?.removeEventListener('abort', cancel));
    },
    withdraw(key) {
      // In order behind sends not yet posted; nothing to take back when no thread runs or is due.
      if (worker || outbox.length > 0) post({ type: 'withdraw', key });
    },
    async close() {
      const stopping = worker;
      worker = undefined;
      await stopping?.terminate();
    },
  };
}

export { NOT_SENT };
