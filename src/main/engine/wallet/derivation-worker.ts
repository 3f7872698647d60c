// Worker thread: derives deposit addresses for the address pool on another core, so the EC math
// never blocks the event loop that answers the merchant API.
import { parentPort } from 'node:worker_threads';
import { createAddressDeriver } from './hd-wallet.ts';

let cached: { xpub: string; deriver: ReturnType<typeof createAddressDeriver> } | undefined;

parentPort!.on('message', (request: { id: number; xpub: string; from: number; to: number }) => {
  try {
    if (cached?.xpub !== request.xpub) cached = { xpub: request.xpub, deriver: createAddressDeriver(request.xpub) };
    const addresses: string[] = [];
    for (let index = request.from; index < request.to; index++) addresses.push(cached.deriver.addressAt(index));
    parentPort!.postMessage({ id: request.id, addresses });
  } catch (error) {
    parentPort!.postMessage({ id: request.id, error: (error as Error).message });
  }
});
