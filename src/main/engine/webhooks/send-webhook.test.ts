import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../../test/fixtures/ports.ts';
import { RESPONSE_BODY_LIMIT, sendWebhook } from './send-webhook.ts';

// sendWebhook against a real HTTP server on loopback: what each kind of answer (or none) becomes.
describe('sendWebhook', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  async function shop(handle: (request: IncomingMessage, response: ServerResponse, body: string) => void) {
    const seen = { sockets: new Set<unknown>(), headers: [] as IncomingMessage['headers'][] };
    server = createServer((request, response) => {
      seen.sockets.add(request.socket);
      seen.headers.push(request.headers);
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => handle(request, response, body));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, seen };
  }
  const post = (url: string, options?: Parameters<typeof sendWebhook>[3]) =>
    sendWebhook(url, '{"id":"evt_1"}', { 'Content-Type': 'application/json', 'Till-Event-Id': 'evt_1' }, options);

  it('posts the body and headers given; a 2xx is no error; connections are kept alive between requests', async () => {
    const bodies: string[] = [];
    const { url, seen } = await shop((_request, response, body) => {
      bodies.push(body);
      response.writeHead(204).end();
    });
    const first = await post(url);
    // The connection goes back to the pool as the answer's end is read, a turn later.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await post(url);
    expect(first).toMatchObject({ httpStatus: 204, responseBody: '', error: null });
    expect(second).toMatchObject({ httpStatus: 204, error: null });
    expect(bodies).toEqual(['{"id":"evt_1"}', '{"id":"evt_1"}']);
    expect(seen.headers[0]).toMatchObject({
      'content-type': 'application/json',
      'till-event-id': 'evt_1',
      'content-length': '14',
    });
    expect(seen.sockets.size).toBe(1);
  });

  it('keeps the first 4 KiB of a response body', async () => {
    const { url } = await shop((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      response.end('ok '.repeat(5_000));
    });
    const result = await post(url);
    expect(result.httpStatus).toBe(200);
    expect(result.responseBody).toHaveLength(RESPONSE_BODY_LIMIT);
    expect(result.responseBody!.startsWith('ok ok ')).toBe(true);
    const small = await shop((_request, response) => response.end('thanks'));
    expect(await post(small.url)).toMatchObject({ httpStatus: 200, responseBody: 'thanks', error: null });
  });

  it('a non-2xx is an error named by its status; a redirect is not followed', async () => {
    const { url, seen } = await shop((request, response) => {
      if (request.url === '/moved') return response.writeHead(302, { Location: '/hook' }).end();
      response.writeHead(500).end('boom');
    });
    expect(await post(url)).toMatchObject({ httpStatus: 500, responseBody: 'boom', error: 'HTTP 500 Internal Server Error' });
    expect(await post(url.replace('/hook', '/moved'))).toMatchObject({ httpStatus: 302, error: 'HTTP 302 Found' });
    expect(seen.headers).toHaveLength(2);
  });

  it('no answer: the network error, or a timeout', async () => {
    const closed = `http://127.0.0.1:${await freePort()}/hook`;
    expect(await post(closed)).toMatchObject({
      httpStatus: null,
      responseBody: null,
      error: expect.stringMatching(/^ECONNREFUSED/),
    });
    const { url } = await shop(() => undefined); // never answers
    expect(await post(url, { timeoutMs: 200 })).toMatchObject({ httpStatus: null, error: 'no answer within 0.2 s (timeout)' });
  });

  it('rejects when its controller is aborted mid-send (the caller stopping), and does not send when aborted before', async () => {
    const { url, seen } = await shop(() => undefined);
    const controller = new AbortController();
    const sending = post(url, { controller });
    while (seen.headers.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    await expect(sending).rejects.toThrow();
    await expect(post(url, { controller })).rejects.toThrow();
    expect(seen.headers).toHaveLength(1);
  });
});
