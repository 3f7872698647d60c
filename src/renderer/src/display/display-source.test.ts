import { describe, expect, it } from 'vitest';
import type { DisplayState } from '../../../shared/display.ts';
import { chooseDisplaySource } from './display-source.ts';

const idle: DisplayState = { shopName: 'Corner Café', invoice: null };

const noFetch = async (): Promise<never> => {
  throw new Error('fetched in the desktop app');
};

describe('chooseDisplaySource', () => {
  it('with the desktop bridge: display.state over IPC, never a fetch, and never "unpaired"', async () => {
    const calls: unknown[] = [];
    const source = chooseDisplaySource(
      {
        'display.state': async (input) => {
          calls.push(input);
          return { ok: true, value: { ...idle, pairedDisplays: 0 } };
        },
      },
      noFetch,
    );
    expect(source.host).toBe('desktop');
    expect(await source.read()).toEqual({ kind: 'state', state: idle });
    expect(calls).toEqual([{}]);
  });

  it('with the desktop bridge a refused or failed call keeps the last picture', async () => {
    const source = chooseDisplaySource(
      { 'display.state': async () => ({ ok: false, error: { code: 'UNAUTHORIZED', message: 'no' } }) },
      noFetch,
    );
    expect(await source.read()).toEqual({ kind: 'retry' });
  });

  it('in a browser: /display/state.json with the session cookie; 401 is unpaired', async () => {
    const asked: { url: string; init: RequestInit }[] = [];
    let status = 200;
    const source = chooseDisplaySource(undefined, async (url, init) => {
      asked.push({ url, init });
      return { ok: status === 200, status, json: async () => idle };
    });
    expect(source.host).toBe('browser');
    expect(await source.read()).toEqual({ kind: 'state', state: idle });
    expect(asked).toEqual([{ url: '/display/state.json', init: { cache: 'no-store', credentials: 'same-origin' } }]);
    status = 401;
    expect(await source.read()).toEqual({ kind: 'unpaired' });
    status = 502;
    expect(await source.read()).toEqual({ kind: 'retry' });
  });
});
