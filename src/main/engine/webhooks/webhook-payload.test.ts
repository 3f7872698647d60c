import { afterEach, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../../../test/fixtures/engine.ts';
import { openDatabase } from '../db/connection.ts';
import { createStore, type Store } from '../db/store.ts';
import { createWebhookBodyCache, webhookBody } from './webhook-payload.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function freshStore(): Store {
  const data = tempDataDir('till-whbody-');
  const store = createStore(openDatabase({ path: `${data.dir}/till.db` }));
  cleanups.push(() => {
    store.db.close();
    data.cleanup();
  });
  return store;
}

describe('webhook body cache', () => {
  it('gives the same bytes as the body built from the stored event, and nothing for an unknown event', () => {
    const store = freshStore();
    const event = store.events.appendStandalone({
      id: 'evt_A',
      type: 'ping',
      payload: {},
      createdAt: '2026-12-01T00:00:00.000Z',
    });
    const cache = createWebhookBodyCache(store);
    expect(cache.get('evt_A')).toBe(webhookBody(store.events.get(event.id)!));
    expect(cache.get('evt_A')).toBe(webhookBody(store.events.get(event.id)!));
    expect(cache.get('evt_NOPE')).toBeUndefined();
  });

  it('keeps the most recently used bodies up to its capacity', () => {
    const store = freshStore();
    for (const id of ['evt_A', 'evt_B', 'evt_C'])
      store.events.appendStandalone({ id, type: 'ping', payload: {}, createdAt: '2026-12-01T00:00:00.000Z' });
    const cache = createWebhookBodyCache(store, 2);
    const reads: string[] = [];
    const { get } = store.events;
    store.events.get = (id) => (reads.push(id), get(id));
    cache.get('evt_A');
    cache.get('evt_B');
    cache.get('evt_A'); // A is now the most recent
    cache.get('evt_C'); // drops B
    cache.get('evt_A');
    cache.get('evt_B');
    expect(reads).toEqual(['evt_A', 'evt_B', 'evt_C', 'evt_B']);
  });
});
