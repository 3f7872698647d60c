import type { Logger } from 'pino';
import type { Log } from 'viem';
import { hexToNumber, isHex } from 'viem';
import { systemClock, isoTime, type Clock } from '../../lib/clock.ts';
import { TillError } from '../../lib/errors.ts';
import { sleep } from '../../lib/shutdown.ts';
import { createEndpointState, isLagging, type Endpoint, type EndpointHealth } from './endpoint-state.ts';
import { isRecord } from './json-rpc-answers.ts';
import { createJsonRpcClient, type JsonRpcClient } from './json-rpc-client.ts';
import { fetchLogChunk, sortLogs, type LogFilter } from './log-chunks.ts';
import { createPushedHeaders, parseNewHead, type PushedHeader, type PushedHeaders } from './pushed-headers.ts';
import { RpcCallError } from './rpc-call-error.ts';
import { redactText } from './redact-url.ts';
import type { JsonRpcSubscription } from './ws-json-rpc-client.ts';

export interface RpcRequestOptions {
  /** Only endpoints whose known head is at least this block may answer. */
  atLeastBlock?: number;
  signal?: AbortSignal;
  /** Pin to one endpoint (a url from `endpointsAt`), for cross-checks. */
  endpoint?: string;
}

export interface RpcPool {
  readonly chainId: number;
  /**
   * One JSON-RPC call with failover. `atLeastBlock`: only endpoints whose known head ≥ this may answer
   * (a lagging node answers "nothing there" for blocks it has not seen — that must never look like
   * "no payment"). `signal` aborts waits.
   */
  request<T>(method: string, params: unknown[], options?: RpcRequestOptions): Promise<T>;
  /** JSON-RPC batch to one endpoint, failover as a whole; results in call order; per-item errors retried individually. */
  batch<T = unknown>(calls: { method: string; params: unknown[] }[], options?: RpcRequestOptions): Promise<T[]>;
  /**
   * eth_getLogs over [fromBlock, toBlock] with adaptive chunking; logs sorted by blockNumber, logIndex;
   * each log has blockHash. Every chunk comes from an endpoint whose head covers it.
   */
  getLogs(
    filter: LogFilter,
    fromBlock: number,
    toBlock: number,
    options?: { signal?: AbortSignal; endpoint?: string },
  ): Promise<Log[]>;
  /** eth_blockNumber on every endpoint not in an open circuit; updates heads and lagging; returns the best head. */
  refreshHeads(options?: { signal?: AbortSignal }): Promise<number>;
  /** Endpoints (urls) whose head ≥ block and circuit not open, best first. */
  endpointsAt(block: number): string[];
  /** The caller found `url`'s chain data contradicted by the others: `message` becomes its last error in health(). */
  flagEndpoint(url: string, message: string): void;
  /**
   * `listener(head, endpoint)` on every block a ws endpoint's `newHeads` subscription reports (its
   * head is updated as eth_blockNumber would). The first listener makes the pool subscribe on each
   * ws endpoint, once that endpoint has proved it serves this chain; a pool without listeners never
   * subscribes. Returns the unsubscribe function. (Optional so test fakes need not have it.)
   */
  onNewHead?(listener: NewHeadListener): () => void;
  /**
   * The header of block `number` as `endpoint`'s `newHeads` subscription pushed it, while that
   * subscription has stayed live since (no reconnect, no resubscribe) and the pushed headers kept
   * still link up to its last one (./pushed-headers.ts); else undefined, and the caller reads the
   * header. It is that endpoint's word as its `eth_getBlockByNumber(n, false)` answer would be,
   * reduced to the header (lower-case hashes, no transaction list). (Optional so test fakes need
   * not have it.)
   */
  pushedHeader?(endpoint: string, number: number): PushedHeader | undefined;
  health(): EndpointHealth[];
  close(): void;
}

export type NewHeadListener = (head: number, endpoint: string) => void;

export interface RpcPoolOptions {
  chainId: number;
  urls: string[];
  logger: Logger;
  clock?: Clock;
  /** Per attempt. Default 10 s. */
  timeoutMs?: number;
  /** Blocks behind the best head before an endpoint counts as lagging. Default 5. */
  lagThreshold?: number;
  /** Rounds over all eligible endpoints before giving up. Default 3. */
  maxRounds?: number;
  /** When every endpoint is cooling down or open, wait for the earliest one if it is this close. Default 30 s. */
  maxCooldownWaitMs?: number;
  fetch?: typeof fetch;
}

interface Member {
  state: Endpoint;
  client: JsonRpcClient;
  chainChecked: boolean;
  /** The eth_chainId check while it is out. */
  checking?: Promise<void>;
  /** ws endpoints, once someone listens for heads. */
  heads?: JsonRpcSubscription;
  /** The last head the subscription reported (or the head when it was made), on the pool's clock. */
  notified?: { head: number; at: number };
  /** Headers the subscription pushed since it last became live. */
  pushed: PushedHeaders;
}

interface Operation<T> {
  what: string;
  pinned?: Member;
  /** The block an endpoint must have reached to be asked (may depend on the endpoint, e.g. its log span). */
  requiredBlock?: (member: Member) => number | undefined;
  attempt: (member: Member, signal: AbortSignal | undefined) => Promise<T>;
}

const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 5_000;
const HEAD_TIMEOUT_MS = 3_000;
/**
 * A "live" subscription whose endpoint's own eth_blockNumber is this many blocks past the last
 * notification, with nothing heard for this long, has died without a word (some providers drop
 * subscriptions silently): it is made again.
 */
const SILENT_SUBSCRIPTION_BLOCKS = 3;
const SILENT_SUBSCRIPTION_MS = 10_000;

/**
 * A pool of RPC endpoints for one chain: ranking by latency and error rate, per-endpoint circuit
 * breaker and Retry-After cooldown, head tracking, and adaptive `eth_getLogs` spans.
 *
 * Invariant: a request with `atLeastBlock` (and every `eth_getLogs` chunk) is answered only by an
 * endpoint that has reported a head at or above that block, so "nothing there" always means nothing.
 *
 * @example
 * const pool = createRpcPool({ chainId: 1, urls: [alchemyUrl, infuraUrl], logger });
 * const head = await pool.refreshHeads();
 * const logs = await pool.getLogs({ topics: [TRANSFER] }, head - 100, head, { signal });
 */
export function createRpcPool(options: RpcPoolOptions): RpcPool {
  const { chainId } = options;
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const lagThreshold = options.lagThreshold ?? 5;
  const maxRounds = Math.max(1, options.maxRounds ?? 3);
  const maxCooldownWaitMs = options.maxCooldownWaitMs ?? 30_000;
  const logger = options.logger.child({ module: 'rpc-pool', chainId });
  const closing = new AbortController();
  if (options.urls.length === 0) throw new TillError('CHAIN_RPC_UNAVAILABLE', `Chain ${chainId} has no RPC URL configured.`);
  const members: Member[] = [...new Set(options.urls)].map((url) => ({
    state: createEndpointState(url, clock),
    client: createJsonRpcClient({ url, timeoutMs, fetch: options.fetch }),
    chainChecked: false,
    pushed: createPushedHeaders(),
  }));
  const headListeners = new Set<NewHeadListener>();

  function watchHeads(member: Member): void {
    const { client, state } = member;
    if (member.heads || !client.subscribe || !member.chainChecked || headListeners.size === 0 || closing.signal.aborted) return;
    member.notified = { head: state.head ?? 0, at: clock.now() };
    member.heads = client.subscribe(['newHeads'], {
      onNotification(header) {
        if (!isRecord(header) || !isHex(header.number) || state.mismatch) return;
        const head = hexToNumber(header.number);
        // A notification without a usable header still says the chain moved; it just cannot stand in for a read.
        const pushed = parseNewHead(header);
        if (pushed) member.pushed.add(pushed);
        else member.pushed.clear();
        state.setHead(head);
        member.notified = { head, at: clock.now() };
        for (const listener of headListeners) listener(head, client.url);
      },
      onStateChange(subscription) {
        // Off `live`, notifications may be missed (a reorg during a reconnect would leave stale
        // hashes behind): what was pushed before is not trusted after.
        if (subscription !== 'live') member.pushed.clear();
        logger.debug({ endpoint: state.display, subscription }, 'newHeads subscription');
      },
    });
  }

  /** Called with the head an endpoint reported to eth_blockNumber. */
  function checkSubscription(member: Member, head: number): void {
    member.pushed.dropAbove(head);
    const { heads, notified } = member;
    if (heads?.state !== 'live' || !notified) return;
    if (head < notified.head + SILENT_SUBSCRIPTION_BLOCKS || clock.now() - notified.at < SILENT_SUBSCRIPTION_MS) return;
    logger.warn(
      { endpoint: member.state.display, head, notified: notified.head },
      'newHeads subscription went silent; subscribing again',
    );
    member.notified = { head, at: clock.now() };
    heads.resubscribe();
  }

  function bestHead(): number | null {
    let best: number | null = null;
    for (const { state } of members)
      if (!state.mismatch && state.circuit() !== 'open' && state.head !== null) best = Math.max(best ?? 0, state.head);
    return best;
  }

  function lagging(member: Member): boolean {
    return isLagging(member.state.head, bestHead(), lagThreshold);
  }

  /** Closed, non-lagging endpoints by score; then closed lagging ones; then half-open ones (one probe each). */
  function rank(op: Operation<unknown>): Member[] {
    const pool = op.pinned ? [op.pinned] : members;
    const eligible = pool.filter((m) => {
      if (!m.state.available()) return false;
      const required = op.requiredBlock?.(m);
      return required === undefined || (m.state.head !== null && m.state.head >= required);
    });
    const closed = eligible.filter((m) => m.state.circuit() === 'closed');
    const tier = (m: Member) => (lagging(m) ? 1 : 0);
    closed.sort((a, b) => tier(a) - tier(b) || a.state.score() - b.state.score());
    return [...closed, ...eligible.filter((m) => m.state.circuit() === 'half-open')];
  }

  function combine(signal: AbortSignal | undefined): AbortSignal {
    return signal ? AbortSignal.any([signal, closing.signal]) : closing.signal;
  }

  function throwIfAborted(signal: AbortSignal) {
    if (closing.signal.aborted) throw new TillError('CHAIN_RPC_UNAVAILABLE', `The RPC pool of chain ${chainId} is closed.`);
    signal.throwIfAborted();
  }

  /**
   * Once per endpoint: a URL that serves another chain must never answer for this one. Callers
   * that arrive while the check is out wait for that one answer (the scanner and the sweeper share
   * the pool), and a failed check is tried again by the next caller.
   */
  async function checkChain(member: Member, signal: AbortSignal) {
    if (member.chainChecked) return;
    member.checking ??= (async () => {
      try {
        const served = hexToNumber((await member.client.call('eth_chainId', [], { signal: closing.signal })) as `0x${string}`);
        if (served !== chainId) {
          const message = `this URL serves chain ${served}, not ${chainId}`;
          member.state.markMismatch(message);
          logger.error({ endpoint: member.state.display, served }, 'RPC endpoint serves another chain; not using it');
          throw new RpcCallError('mismatch', message);
        }
        member.chainChecked = true;
        watchHeads(member);
      } finally {
        member.checking = undefined;
      }
    })();
    await member.checking;
    signal.throwIfAborted();
  }

  async function attemptOn<T>(member: Member, op: Operation<T>, signal: AbortSignal): Promise<T> {
    const { state } = member;
    state.begin();
    const started = performance.now();
    try {
      await checkChain(member, signal);
      const result = await op.attempt(member, signal);
      state.succeed(performance.now() - started);
      return result;
    } catch (error) {
      if (signal.aborted) {
        state.release();
        throw error;
      }
      const failure =
        error instanceof RpcCallError
          ? error
          : new RpcCallError('retryable', error instanceof Error ? error.message : String(error), { cause: error });
      if (failure.kind === 'retryable') {
        const opened = state.fail(redactText(failure.message, member.client.url), { retryAfterMs: failure.retryAfterMs });
        if (failure.retryAfterMs !== undefined)
          logger.warn({ endpoint: state.display, retryAfterMs: failure.retryAfterMs }, 'RPC endpoint rate limited; cooling down');
        if (opened) logger.warn({ endpoint: state.display, lastError: failure.message }, 'RPC endpoint circuit opened');
        else logger.debug({ endpoint: state.display, error: failure.message }, 'RPC attempt failed');
      } else if (failure.kind !== 'mismatch') state.answered();
      throw failure;
    }
  }

  function unavailable(op: Operation<unknown>, rounds: number, lastErrors: Map<Member, string>): TillError {
    const pool = op.pinned ? [op.pinned] : members;
    if (pool.every((m) => m.state.mismatch))
      return new TillError(
        'CHAIN_RPC_MISMATCH',
        `No RPC URL of chain ${chainId} serves that chain: ${pool.map((m) => `${m.state.display} — ${m.state.mismatch}`).join('; ')}.`,
      );
    const lines = pool.map((m) => {
      const seen = lastErrors.get(m);
      if (seen) return `${m.state.display} — ${seen}`;
      if (m.state.mismatch) return `${m.state.display} — ${m.state.mismatch}`;
      const until = m.state.availableAt();
      if (until !== null)
        return `${m.state.display} — ${m.state.circuit() === 'open' ? 'circuit open' : 'rate limited'} until ${isoTime(until)}`;
      const required = op.requiredBlock?.(m);
      if (required !== undefined && (m.state.head === null || m.state.head < required))
        return `${m.state.display} — has not reached block ${required} (head ${m.state.head ?? 'unknown'})`;
      return `${m.state.display} — ${m.state.health(bestHead(), lagThreshold).lastError ?? 'not tried'}`;
    });
    return new TillError(
      'CHAIN_RPC_UNAVAILABLE',
      `No RPC endpoint of chain ${chainId} answered ${op.what} (${rounds} round${rounds === 1 ? '' : 's'}): ${lines.join('; ')}.`,
      { details: { chainId, endpoints: pool.map((m) => m.state.display) } },
    );
  }

  async function withFailover<T>(op: Operation<T>, callerSignal: AbortSignal | undefined): Promise<T> {
    const signal = combine(callerSignal);
    const lastErrors = new Map<Member, string>();
    let unsupported: RpcCallError | undefined;
    for (let round = 1; ; round++) {
      throwIfAborted(signal);
      if ((op.pinned ? [op.pinned] : members).every((m) => m.state.mismatch)) throw unavailable(op, round - 1, lastErrors);
      let ranked = rank(op);
      if (ranked.length === 0 && op.requiredBlock) {
        // No known head is high enough: heads may simply be stale.
        await refreshHeads({ signal }).catch(() => undefined);
        throwIfAborted(signal);
        ranked = rank(op);
      }
      if (ranked.length === 0) {
        const pool = op.pinned ? [op.pinned] : members;
        const wakeAt = Math.min(...pool.map((m) => m.state.availableAt() ?? Infinity));
        if (round >= maxRounds) throw unavailable(op, round, lastErrors);
        const wait = wakeAt - clock.now();
        // Everything is cooling down or open: wait for the first one to come back, if that is soon.
        if (Number.isFinite(wait) && wait <= maxCooldownWaitMs) await sleep(wait, signal);
        else await sleep(backoff(round), signal);
        continue;
      }
      let answered = 0;
      for (const member of ranked) {
        if (!member.state.available()) continue;
        try {
          return await attemptOn(member, op, signal);
        } catch (error) {
          throwIfAborted(signal);
          if (!(error instanceof RpcCallError)) throw error;
          if (error.kind === 'fatal') throw error;
          if (error.kind === 'unsupported' || error.kind === 'range') {
            unsupported = error;
            answered++;
          }
          lastErrors.set(member, redactText(error.message, member.client.url));
        }
      }
      // Every endpoint that answered said it cannot do this: more rounds will not change that.
      if (unsupported && answered === ranked.length) throw unsupported;
      if (round >= maxRounds) throw unavailable(op, round, lastErrors);
      await sleep(backoff(round), signal);
    }
  }

  function pinned(url: string | undefined): Member | undefined {
    if (url === undefined) return undefined;
    const member = members.find((m) => m.client.url === url) ?? members.find((m) => m.state.display === url);
    if (!member)
      throw new TillError('CHAIN_RPC_UNAVAILABLE', `${redactText(url, url)} is not an RPC endpoint of chain ${chainId}.`);
    return member;
  }

  /** Checks an answer before it is believed; a suspicious one is retried on another endpoint. */
  function checkResult(member: Member, method: string, params: unknown[], result: unknown, atLeastBlock: number | undefined) {
    if (method === 'eth_blockNumber' && isHex(result)) {
      member.state.setHead(hexToNumber(result));
      checkSubscription(member, hexToNumber(result));
    }
    if (
      (method === 'eth_getBlockByNumber' || method === 'eth_getHeaderByNumber' || method === 'ots_getBlockDetails') &&
      isHex(params[0])
    ) {
      const block = hexToNumber(params[0]);
      if (result !== null) member.state.noteBlock(block);
      else if ((member.state.head ?? -1) >= block || (atLeastBlock ?? -1) >= block)
        throw new RpcCallError(
          'retryable',
          `${method}: no block ${block} although the endpoint ${member.state.head !== null && member.state.head >= block ? `reported head ${member.state.head}` : `was asked for blocks up to ${atLeastBlock}`}`,
        );
    }
  }

  async function request<T>(method: string, params: unknown[], requestOptions: RpcRequestOptions = {}): Promise<T> {
    const { atLeastBlock } = requestOptions;
    return (await withFailover(
      {
        what: method,
        pinned: pinned(requestOptions.endpoint),
        requiredBlock: atLeastBlock === undefined ? undefined : () => atLeastBlock,
        attempt: async (member, signal) => {
          const result = await member.client.call(method, params, { signal });
          checkResult(member, method, params, result, atLeastBlock);
          return result;
        },
      },
      requestOptions.signal,
    )) as T;
  }

  async function batch<T>(calls: { method: string; params: unknown[] }[], batchOptions: RpcRequestOptions = {}): Promise<T[]> {
    if (calls.length === 0) return [];
    const { atLeastBlock, signal, endpoint } = batchOptions;
    const items = await withFailover(
      {
        what: `a batch of ${calls.length}`,
        pinned: pinned(endpoint),
        requiredBlock: atLeastBlock === undefined ? undefined : () => atLeastBlock,
        attempt: async (member, attemptSignal) => {
          const answers = await member.client.callBatch(calls, { signal: attemptSignal });
          return answers.map((answer, i) => {
            if (!answer.ok) return answer;
            try {
              checkResult(member, calls[i]!.method, calls[i]!.params, answer.result, atLeastBlock);
              return answer;
            } catch (error) {
              return { ok: false as const, error: error as RpcCallError };
            }
          });
        },
      },
      signal,
    );
    return Promise.all(
      items.map((item, i) => {
        if (item.ok) return item.result as T;
        if (item.error.kind === 'fatal') throw item.error;
        return request<T>(calls[i]!.method, calls[i]!.params, { atLeastBlock, signal, endpoint });
      }),
    );
  }

  async function getLogs(
    filter: LogFilter,
    fromBlock: number,
    toBlock: number,
    logOptions: { signal?: AbortSignal; endpoint?: string } = {},
  ) {
    const logs: Log[] = [];
    const pin = pinned(logOptions.endpoint);
    for (let cursor = fromBlock; cursor <= toBlock;) {
      const from = cursor;
      const chunk = await withFailover(
        {
          what: `eth_getLogs from block ${from}`,
          pinned: pin,
          // The endpoint must have seen every block of the span it is about to be asked for.
          requiredBlock: (member) => Math.min(toBlock, from + member.state.maxLogRange - 1),
          attempt: (member, signal) => fetchLogChunk(member.client, member.state, filter, from, toBlock, signal, logger),
        },
        logOptions.signal,
      );
      logs.push(...chunk.logs);
      cursor = chunk.toBlock + 1;
    }
    return sortLogs(logs);
  }

  async function refreshHeads(refreshOptions: { signal?: AbortSignal } = {}): Promise<number> {
    const signal = combine(refreshOptions.signal);
    throwIfAborted(signal);
    const targets = members.filter((m) => m.state.available());
    const errors = new Map<Member, string>();
    await Promise.all(
      targets.map(async (member) => {
        try {
          await attemptOn(
            member,
            {
              what: 'eth_blockNumber',
              attempt: async (m, s) => {
                const head = await m.client.call('eth_blockNumber', [], {
                  signal: s,
                  timeoutMs: Math.min(timeoutMs, HEAD_TIMEOUT_MS),
                });
                if (!isHex(head))
                  throw new RpcCallError('retryable', `eth_blockNumber: ${JSON.stringify(head)} is not a block number`);
                m.state.setHead(hexToNumber(head));
                checkSubscription(m, hexToNumber(head));
              },
            },
            signal,
          );
        } catch (error) {
          errors.set(member, error instanceof Error ? redactText(error.message, member.client.url) : String(error));
        }
      }),
    );
    throwIfAborted(signal);
    const answered = targets.filter((m) => !errors.has(m));
    if (answered.length === 0) throw unavailable({ what: 'eth_blockNumber', attempt: async () => undefined }, 1, errors);
    const best = Math.max(...answered.map((m) => m.state.head!));
    for (const member of members)
      if (lagging(member))
        logger.debug({ endpoint: member.state.display, head: member.state.head, best }, 'RPC endpoint lagging');
    return best;
  }

  return {
    chainId,
    request,
    batch,
    getLogs,
    refreshHeads,
    endpointsAt(block) {
      return members
        .filter((m) => !m.state.mismatch && m.state.circuit() !== 'open' && m.state.head !== null && m.state.head >= block)
        .sort((a, b) => Number(lagging(a)) - Number(lagging(b)) || a.state.score() - b.state.score())
        .map((m) => m.client.url);
    },
    pushedHeader(endpoint, number) {
      const member = members.find((m) => m.client.url === endpoint);
      if (!member) return undefined;
      if (member.heads?.state !== 'live' || member.state.mismatch) {
        member.pushed.clear();
        return undefined;
      }
      return member.pushed.get(number);
    },
    onNewHead(listener) {
      headListeners.add(listener);
      for (const member of members) watchHeads(member);
      return () => headListeners.delete(listener);
    },
    flagEndpoint(url, message) {
      const member = pinned(url)!;
      member.state.flag(redactText(message, member.client.url));
    },
    health() {
      const best = bestHead();
      return members.map((m) => {
        const health = m.state.health(best, lagThreshold);
        return m.heads ? { ...health, newHeads: m.heads.state } : health;
      });
    },
    close() {
      closing.abort();
      headListeners.clear();
      for (const member of members) {
        member.pushed.clear();
        member.heads?.unsubscribe();
        member.client.close?.();
      }
    },
  };
}

/** Full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): uniform in [0, min(cap, base·2^(round−1))]. */
function backoff(round: number): number {
  return Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (round - 1));
}
