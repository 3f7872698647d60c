// The shop side of bench:webhooks, in its own process so that its work is not counted against
// the sender: RECEIVERS HTTP servers on loopback that read each body, answer 204 and note when
// they did (performance.timeOrigin + performance.now(), comparable across processes on one
// machine). The parent talks to it over the IPC channel: 'count', 'dump' (and forget; with this
// process's CPU time).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const RECEIVERS = Number(process.env.BENCH_RECEIVERS ?? 3);

/** [receiver index, event id, ack time] of every request since the last dump. */
let acks: [number, string, number][] = [];

function startReceiver(index: number): Promise<Server> {
  const server = createServer((request, response) => {
    let size = 0;
    request.on('data', (chunk: Buffer) => (size += chunk.length));
    request.on('end', () => {
      const eventId = request.headers['till-event-id'];
      acks.push([
        index,
        typeof eventId === 'string' ? eventId : `(none, ${size} bytes)`,
        performance.timeOrigin + performance.now(),
      ]);
      response.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const servers = await Promise.all(Array.from({ length: RECEIVERS }, (_, index) => startReceiver(index)));
process.on('message', (message: { cmd: 'count' | 'dump' }) => {
  if (message.cmd === 'count') process.send!({ count: acks.length });
  else {
    // With this process's CPU time so far, so the parent can tell what the receivers cost.
    process.send!({ acks, cpu: process.cpuUsage() });
    acks = [];
  }
});
process.on('disconnect', () => process.exit(0));
process.send!({ urls: servers.map((server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/till`) });
