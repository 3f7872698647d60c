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

/** What a request came to: the endpoint's answer (or the network error as a result), NOT_SENT, or the error of a send cancelled mid-way or of a sender that stopped. */
export type SendDone = (outcome: LaneOutcome | Error) => void;

/**
 * Signs and posts webhooks, per lane. `submit` calls `done` once: with what the endpoint answered
 * (or the network error as a result, as sendWebhook reports it), with NOT_SENT when the request
 * was taken back before its turn (`withdraw`, `abort`, a 410 on its lane), or with an Error when
 * `abort` cancelled it mid-send or the sender itself stopped. Callbacks rather than a promise and
 * a signal per request: the dispatcher sends thousands a second, and takes them back only by lane.
 */
export interface WebhookSender {
  submit(lane: Lane, job: SendJob, done: SendDone): void;
  /** Takes back what waits on a lane (every lane when none is named); what is out goes on. */
  withdraw(key?: string): void;
  /** Takes back what waits and cancels what is out, on a lane or (none named) everywhere. */
  abort(key?: string): void;
  close(): Promise<void>;
}

export type SenderRequest = { type: 'send'; id: number; lane: Lane; job: SendJob } | { type: 'withdraw' | 'abort'; key?: string };
export type SenderReply = { id: number; outcome: LaneOutcome } | { id: number; error: string };

/**
 * One request on a lane of its own, as a promise that `signal` cancels: one-shot attempts (a
 * ping, a resend) and tests.
 */
export function sendOne(sender: WebhookSender, lane: Lane, job: SendJob, signal?: AbortSignal): Promise<LaneOutcome> {
  if (signal?.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const cancel = () => sender.abort(lane.key);
    signal?.addEventListener('abort', cancel, { once: true });
    sender.submit(lane, job, (outcome) => {
      signal?.removeEventListener('abort', cancel);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    });
  });
}

/** POSTs one job, signed. */
export function postJob(job: SendJob, controller: AbortController) {
  const headers = { ...job.headers, 'Till-Signature': signatureHeader(job.secrets, job.timestampSeconds, job.body) };
  return sendWebhook(job.url, job.body, headers, { controller, timeoutMs: job.timeoutMs });
}

/** In this thread: one-shot commands (a ping, a resend from the CLI), and where no worker file ships. */
export function createInlineSender(): WebhookSender {
  const lanes = createSendLanes(postJob);
  return {
    submit: (lane, job, done) => lanes.submit(lane.key, lane.limit, job, done),
    withdraw: (key) => lanes.withdraw(key),
    abort: (key) => lanes.abort(key),
    close: async () => lanes.abort(),
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
  const pending = new Map<number, SendDone>();
  const failAll = (error: Error) => {
    const waiters = [...pending.values()];
    pending.clear();
    for (const done of waiters) done(error);
  };
  const start = (): Worker => {
    // Named, so `top -H` and the benchmark can tell its CPU from the engine's.
    const started = new Worker(file, { name: 'till-webhooks' });
    // Sends keep the process alive through their callers; an idle worker must not.
    started.unref();
    started.on('message', (replies: SenderReply[]) => {
      for (const reply of replies) {
        const done = pending.get(reply.id);
        if (!done) continue;
        pending.delete(reply.id);
        done('outcome' in reply ? reply.outcome : new Error(reply.error));
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
    submit(lane, job, done) {
      const id = nextId++;
      pending.set(id, done);
      post({ type: 'send', id, lane, job });
    },
    withdraw(key) {
      // In order behind sends not yet posted; nothing to take back when no thread runs or is due.
      if (worker || outbox.length > 0) post({ type: 'withdraw', key });
    },
    abort(key) {
      if (worker || outbox.length > 0) post({ type: 'abort', key });
    },
    async close() {
      const stopping = worker;
      worker = undefined;
      await stopping?.terminate();
    },
  };
}

export { NOT_SENT };
