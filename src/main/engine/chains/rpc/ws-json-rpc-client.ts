import {
  describeBatch,
  isRecord,
  readJsonRpcBatch,
  readJsonRpcResponse,
  type BatchItemResult,
  type JsonRpcCall,
} from './json-rpc-answers.ts';
import type { JsonRpcClient } from './json-rpc-client.ts';
import { RpcCallError } from './rpc-call-error.ts';
import { redactText } from './redact-url.ts';

/**
 * - `connecting`: `eth_subscribe` is on its way (or the socket is opening for it).
 * - `live`: subscribed; notifications arrive.
 * - `reconnecting`: the socket dropped (or `eth_subscribe` failed on the way); a reconnect is scheduled.
 * - `refused`: the endpoint answered `eth_subscribe` with an error about the request (not supported); not retried.
 */
export type SubscriptionState = 'connecting' | 'live' | 'reconnecting' | 'refused';

export interface SubscriptionHandlers {
  /** The `result` of one `eth_subscription` notification. */
  onNotification(result: unknown): void;
  onStateChange?(state: SubscriptionState): void;
}

export interface JsonRpcSubscription {
  readonly state: SubscriptionState;
  /** Why it is not live, when it is not. */
  readonly lastError: string | null;
  /** Drops the server's subscription and subscribes again (for one that went silent). */
  resubscribe(): void;
  unsubscribe(): void;
}

export interface WsJsonRpcClient extends JsonRpcClient {
  subscribe(params: unknown[], handlers: SubscriptionHandlers): JsonRpcSubscription;
  close(): void;
}

export interface WsJsonRpcClientOptions {
  url: string;
  /** Per call, and for opening the socket. */
  timeoutMs: number;
  /** Reconnect backoff while a subscription is held: ceiling base · 2^attempt, capped. Defaults 500 ms, 30 s. */
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
}

const RECONNECT_BASE_MS = 500;
const RECONNECT_MAX_MS = 30_000;
/** A connection that stayed up this long was a good one: the next reconnect starts from the base delay again. */
const STABLE_CONNECTION_MS = 30_000;
const CLOSE_NORMAL = 1000;
/** RFC 6455 §7.4.2 leaves 4000–4999 to applications: "Till gave up on this socket". */
const CLOSE_ABANDONED = 4000;

interface Connection {
  socket: WebSocket;
  openedAt: number;
  /** performance.now() of the last frame received. */
  lastMessageAt: number;
}

interface Waiter {
  what: string;
  batch: boolean;
  /** The socket the request went out on; null while waiting for one. */
  connection: Connection | null;
  sentAt: number;
  settle(answer: unknown): void;
  fail(error: unknown): void;
}

interface Subscription {
  params: unknown[];
  handlers: SubscriptionHandlers;
  id: string | null;
  state: SubscriptionState;
  lastError: string | null;
}

/**
 * JSON-RPC 2.0 over one WebSocket (ws:// or wss://) per endpoint, with the HTTP client's interface
 * and failure kinds: the node's errors are classified the same way; a timeout, a socket that
 * cannot be opened or drops before the answer, and a frame that is not JSON are `retryable`, so
 * the pool's failover and breaker treat a ws endpoint like any other.
 *
 * Connection policy:
 * - the socket is opened on first use and shared by every call; a call made while it is down opens
 *   a new one at once (the pool's breaker paces calls to an endpoint that keeps failing);
 * - when it drops, calls waiting on it fail (`retryable`) and, while a subscription is held, a
 *   reconnect is scheduled with jittered exponential backoff (0.5 s doubling to 30 s; back to
 *   0.5 s after a connection that lasted 30 s); subscriptions are re-established on the new socket;
 * - a call that times out while nothing at all arrived on its socket since it was sent marks the
 *   socket dead (a half-open TCP connection looks exactly like that) and it is replaced.
 *
 * The browser WebSocket API hides the handshake's HTTP status, so a refused API key or a 429 on
 * upgrade shows only as "could not open" and Retry-After cannot be honoured.
 *
 * @example
 * const client = createWsJsonRpcClient({ url: 'wss://eth.example.org/ws', timeoutMs: 10_000 });
 * const head = await client.call('eth_blockNumber', [], {});
 * const heads = client.subscribe(['newHeads'], { onNotification: (header) => wake(header) });
 */
export function createWsJsonRpcClient(options: WsJsonRpcClientOptions): WsJsonRpcClient {
  const { url } = options;
  const baseMs = options.reconnectBaseMs ?? RECONNECT_BASE_MS;
  const maxMs = options.reconnectMaxMs ?? RECONNECT_MAX_MS;
  let nextId = 1;
  let connection: Connection | null = null;
  let connecting: Promise<Connection> | null = null;
  /** By request id; every id of a batch points at the batch's one waiter. */
  const waiters = new Map<number, Waiter>();
  const subscriptions = new Set<Subscription>();
  const bySubscriptionId = new Map<string, Subscription>();
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let reconnectAttempts = 0;
  let closed = false;

  function connect(): Promise<Connection> {
    if (connection) return Promise.resolve(connection);
    if (closed) return Promise.reject(new Error('the connection was closed'));
    connecting ??= open().finally(() => {
      connecting = null;
    });
    return connecting;
  }

  function open(): Promise<Connection> {
    clearTimeout(reconnectTimer);
    reconnectTimer = undefined;
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (reason: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(new Error(reason));
        if (subscriptions.size > 0) scheduleReconnect();
      };
      let socket: WebSocket;
      try {
        socket = new WebSocket(url);
      } catch (error) {
        settled = true;
        reject(new Error(`not a usable WebSocket URL (${redactText(describe(error), url)})`));
        return;
      }
      socket.binaryType = 'arraybuffer';
      const timer = setTimeout(() => {
        fail(`could not open the WebSocket within ${seconds(options.timeoutMs)}`);
        socket.close();
      }, options.timeoutMs);
      socket.onopen = () => {
        if (settled || closed) {
          socket.close(CLOSE_NORMAL);
          fail('the connection was closed');
          return;
        }
        settled = true;
        clearTimeout(timer);
        const now = performance.now();
        const opened: Connection = { socket, openedAt: now, lastMessageAt: now };
        connection = opened;
        socket.onmessage = (event) => receive(opened, event.data);
        socket.onclose = (event) => dropped(opened, `the connection closed (${describeClose(event)})`);
        resolve(opened);
        resubscribeWaiting();
      };
      // An error event carries no detail in this API; the close event that always follows has the code.
      socket.onerror = () => undefined;
      socket.onclose = (event) =>
        fail(
          event.code === 1006
            ? 'could not open the WebSocket (the host is unreachable or refused it, or the provider rejected the handshake, e.g. for a wrong API key)'
            : `could not open the WebSocket (${describeClose(event)})`,
        );
    });
  }

  function describeClose(event: CloseEvent): string {
    return `code ${event.code}${event.reason ? `: ${redactText(event.reason, url)}` : ''}`;
  }

  function receive(from: Connection, data: unknown): void {
    from.lastMessageAt = performance.now();
    const text = typeof data === 'string' ? data : data instanceof ArrayBuffer ? new TextDecoder().decode(data) : String(data);
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      // Nothing on this socket can be believed any more, and the request it answered cannot be told.
      const snippet = `${JSON.stringify(redactText(text.slice(0, 60), url))}${text.length > 60 ? '…' : ''}`;
      abandon(from, `the endpoint sent a message that is not valid JSON (${snippet})`);
      return;
    }
    if (Array.isArray(message)) {
      const known = message.find((item) => isRecord(item) && typeof item.id === 'number' && waiters.has(item.id));
      const waiter = known ? waiters.get(known.id as number) : undefined;
      if (waiter?.batch) waiter.settle(message);
      return;
    }
    if (!isRecord(message)) return;
    if (message.method === 'eth_subscription' && isRecord(message.params)) {
      const { subscription, result } = message.params;
      const target = typeof subscription === 'string' ? bySubscriptionId.get(subscription) : undefined;
      if (target) notify(() => target.handlers.onNotification(result));
      return;
    }
    if (typeof message.id === 'number') {
      waiters.get(message.id)?.settle(message);
      return;
    }
    // An error with id null (e.g. "invalid request") names no request: it can only be the one in flight.
    if (message.id === null && isRecord(message.error)) {
      const inFlight = [...new Set(waiters.values())].filter((w) => w.connection === from);
      if (inFlight.length === 1) inFlight[0]!.settle(message);
    }
  }

  /** A handler that throws inside a socket event would be an uncaught exception: keep it in here. */
  function notify(handler: () => void): void {
    try {
      handler();
    } catch {
      // the subscriber's bug; the socket and the other subscribers carry on
    }
  }

  /** Gives up on a socket that is still open. */
  function abandon(target: Connection, reason: string): void {
    dropped(target, reason);
    target.socket.close(CLOSE_ABANDONED);
  }

  function dropped(target: Connection, reason: string): void {
    if (connection !== target) return;
    connection = null;
    if (performance.now() - target.openedAt >= STABLE_CONNECTION_MS) reconnectAttempts = 0;
    for (const waiter of new Set(waiters.values()))
      if (waiter.connection === target)
        waiter.fail(new RpcCallError('retryable', `${waiter.what}: ${reason} before the answer came`));
    bySubscriptionId.clear();
    for (const subscription of subscriptions) {
      subscription.id = null;
      setState(subscription, 'reconnecting', reason);
    }
    if (!closed && subscriptions.size > 0) scheduleReconnect();
  }

  function scheduleReconnect(): void {
    if (closed || reconnectTimer !== undefined || connecting) return;
    const ceiling = Math.min(maxMs, baseMs * 2 ** reconnectAttempts);
    reconnectAttempts++;
    // "Equal jitter": at least half the ceiling, so a crowd of clients spreads out but none hammers.
    const delay = ceiling / 2 + (Math.random() * ceiling) / 2;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      connect().then(resubscribeWaiting, () => undefined);
    }, delay);
    reconnectTimer.unref?.();
  }

  function resubscribeWaiting(): void {
    for (const subscription of subscriptions) if (subscription.state === 'reconnecting') void establish(subscription);
  }

  function setState(subscription: Subscription, state: SubscriptionState, lastError: string | null): void {
    const changed = subscription.state !== state;
    subscription.state = state;
    subscription.lastError = lastError;
    if (changed) notify(() => subscription.handlers.onStateChange?.(state));
  }

  async function establish(subscription: Subscription): Promise<void> {
    setState(subscription, 'connecting', subscription.lastError);
    try {
      const id = await call('eth_subscribe', subscription.params, {});
      if (!subscriptions.has(subscription)) {
        if (typeof id === 'string') forgetOnServer(id);
        return;
      }
      if (typeof id !== 'string')
        throw new RpcCallError('retryable', `eth_subscribe: ${JSON.stringify(id)} is not a subscription id`);
      subscription.id = id;
      bySubscriptionId.set(id, subscription);
      setState(subscription, 'live', null);
    } catch (error) {
      if (!subscriptions.has(subscription) || closed) return;
      const message = describe(error);
      if (error instanceof RpcCallError && (error.kind === 'unsupported' || error.kind === 'fatal')) {
        setState(subscription, 'refused', message);
        return;
      }
      setState(subscription, 'reconnecting', message);
      scheduleReconnect();
    }
  }

  function forget(subscription: Subscription): void {
    if (subscription.id === null) return;
    bySubscriptionId.delete(subscription.id);
    forgetOnServer(subscription.id);
    subscription.id = null;
  }

  function forgetOnServer(id: string): void {
    if (connection) call('eth_unsubscribe', [id], {}).catch(() => undefined);
  }

  function send(
    body: unknown,
    ids: number[],
    what: string,
    batch: boolean,
    callOptions: { signal?: AbortSignal; timeoutMs?: number },
  ): Promise<unknown> {
    const { signal } = callOptions;
    const timeoutMs = callOptions.timeoutMs ?? options.timeoutMs;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (closed) return Promise.reject(new RpcCallError('retryable', `${what}: the connection was closed`));
    return new Promise((resolve, reject) => {
      let done = false;
      const finish = () => {
        done = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        for (const id of ids) waiters.delete(id);
      };
      const waiter: Waiter = {
        what,
        batch,
        connection: null,
        sentAt: 0,
        settle(answer) {
          if (done) return;
          finish();
          resolve(answer);
        },
        fail(error) {
          if (done) return;
          finish();
          reject(error);
        },
      };
      const onAbort = () => waiter.fail(signal!.reason);
      const timer = setTimeout(() => {
        const sentOn = waiter.connection;
        const silent = sentOn !== null && sentOn === connection && sentOn.lastMessageAt < waiter.sentAt;
        waiter.fail(new RpcCallError('retryable', `${what}: no answer within ${seconds(timeoutMs)}`));
        if (silent) abandon(sentOn, `nothing arrived on the WebSocket for ${seconds(timeoutMs)}`);
      }, timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      for (const id of ids) waiters.set(id, waiter);
      connect().then(
        (opened) => {
          if (done) return;
          if (connection !== opened || opened.socket.readyState !== WebSocket.OPEN) {
            waiter.fail(new RpcCallError('retryable', `${what}: the connection closed before the request went out`));
            return;
          }
          waiter.connection = opened;
          waiter.sentAt = performance.now();
          try {
            opened.socket.send(JSON.stringify(body));
          } catch (error) {
            waiter.fail(new RpcCallError('retryable', `${what}: could not send (${describe(error)})`, { cause: error }));
          }
        },
        (error: unknown) => waiter.fail(new RpcCallError('retryable', `${what}: ${describe(error)}`, { cause: error })),
      );
    });
  }

  async function call(
    method: string,
    params: unknown[],
    callOptions: { signal?: AbortSignal; timeoutMs?: number },
  ): Promise<unknown> {
    const id = nextId++;
    const answer = await send({ jsonrpc: '2.0', id, method, params }, [id], method, false, callOptions);
    return readJsonRpcResponse(method, id, answer);
  }

  async function callBatch(
    calls: JsonRpcCall[],
    callOptions: { signal?: AbortSignal; timeoutMs?: number },
  ): Promise<BatchItemResult[]> {
    if (calls.length === 0) return [];
    const ids = calls.map(() => nextId++);
    const what = describeBatch(calls);
    const body = calls.map((c, i) => ({ jsonrpc: '2.0', id: ids[i], method: c.method, params: c.params }));
    return readJsonRpcBatch(calls, ids, what, await send(body, ids, what, true, callOptions));
  }

  return {
    url,
    call,
    callBatch,
    subscribe(params, handlers) {
      const subscription: Subscription = { params, handlers, id: null, state: 'connecting', lastError: null };
      if (closed) subscription.state = 'refused';
      else {
        subscriptions.add(subscription);
        void establish(subscription);
      }
      return {
        get state() {
          return subscription.state;
        },
        get lastError() {
          return subscription.lastError;
        },
        resubscribe() {
          if (!subscriptions.has(subscription) || subscription.state === 'connecting') return;
          forget(subscription);
          void establish(subscription);
        },
        unsubscribe() {
          if (subscriptions.delete(subscription)) forget(subscription);
        },
      };
    },
    close() {
      if (closed) return;
      closed = true;
      clearTimeout(reconnectTimer);
      subscriptions.clear();
      bySubscriptionId.clear();
      for (const waiter of new Set(waiters.values()))
        waiter.fail(new RpcCallError('retryable', `${waiter.what}: the connection was closed`));
      const open = connection;
      connection = null;
      open?.socket.close(CLOSE_NORMAL);
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function seconds(ms: number): string {
  return ms >= 1_000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms)} ms`;
}
