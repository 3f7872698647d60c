import { Worker } from 'node:worker_threads';
import { findWorkerFile } from '../lib/worker-file.ts';
import { createAddressDeriver } from './hd-wallet.ts';

export interface BatchDeriver {
  /** Addresses of indices [from, to) of the deposit chain behind `xpub`. */
  derive(xpub: string, from: number, to: number): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Derives on a worker thread when the worker's code is at hand (till serve and tests run the
 * sources; the Electron build ships it as out/main/derivation-worker.js), else on the calling
 * thread in small slices that yield between them.
 */
export function createBatchDeriver(): BatchDeriver {
  const workerFile = findWorkerFile(import.meta.url, 'derivation-worker');
  if (workerFile) return createWorkerDeriver(workerFile);
  return createInlineDeriver();
}

/** The worker starts on first use, so one-shot CLI commands never pay for it. */
function createWorkerDeriver(file: string): BatchDeriver {
  let worker: Worker | undefined;
  let nextId = 0;
  const pending = new Map<number, { resolve(addresses: string[]): void; reject(error: Error): void }>();
  const start = (): Worker => {
    const started = new Worker(file, { name: 'till-addresses' });
    started.unref();
    started.on('message', (message: { id: number; addresses?: string[]; error?: string }) => {
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.error !== undefined) waiter?.reject(new Error(message.error));
      else waiter?.resolve(message.addresses!);
    });
    started.on('error', (error) => {
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
      worker = undefined;
    });
    return started;
  };
  return {
    derive(xpub, from, to) {
      worker ??= start();
      const target = worker;
      return new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        target.postMessage({ id, xpub, from, to });
      });
    },
    async close() {
      await worker?.terminate();
      worker = undefined;
    },
  };
}

function createInlineDeriver(): BatchDeriver {
  let cached: { xpub: string; deriver: ReturnType<typeof createAddressDeriver> } | undefined;
  return {
    async derive(xpub, from, to) {
      if (cached?.xpub !== xpub) cached = { xpub, deriver: createAddressDeriver(xpub) };
      const addresses: string[] = [];
      for (let index = from; index < to; index++) {
        addresses.push(cached.deriver.addressAt(index));
        // ~0.5 ms per address: yield every few so a request never waits behind a whole batch.
        if (addresses.length % 8 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      return addresses;
    },
    async close() {},
  };
}
