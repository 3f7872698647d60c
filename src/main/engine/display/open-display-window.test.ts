import { afterEach, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../../../../test/fixtures/engine.ts';

describe('display.openWindow', () => {
  let till: TestEngine | undefined;
  afterEach(async () => {
    await till?.close();
    till = undefined;
  });

  it('without a window host (till serve, the CLI) it says to pair a customer display instead', async () => {
    till = await startTestEngine({ withWallet: false, chain: false });
    const result = await till.engine.call('display.openWindow', {});
    expect(result.ok).toBe(false);
    expect(result.ok ? null : result.error.code).toBe('DISPLAY_WINDOW_UNAVAILABLE');
    expect(result.ok ? null : result.error.message).toContain('"Pair a customer display"');
  });

  it('in the desktop app it asks the host to open the window and says on which screen', async () => {
    let opened = 0;
    till = await startTestEngine({
      withWallet: false,
      chain: false,
      openDisplayWindow: async () => {
        opened++;
        return 'external';
      },
    });
    expect(await till.engine.call('display.openWindow', {})).toEqual({ ok: true, value: { opened: true, screen: 'external' } });
    expect(opened).toBe(1);
    const extra = await till.engine.call('display.openWindow', { screen: 'same' });
    expect(extra.ok ? null : extra.error.code).toBe('VALIDATION_FAILED');
    expect(opened).toBe(1);
  });

  it('in the desktop app display.state carries the QR inline: the display window has no server to fetch it from', async () => {
    const start = async (openDisplayWindow?: () => Promise<'same'>) => {
      const test = await startTestEngine({ openDisplayWindow });
      const invoice = await test.engine.invoke('invoices.create', { chainId: 31337, token: 'USDC', amount: '2' });
      await test.engine.invoke('display.show', { invoiceId: invoice.id });
      return test;
    };
    till = await start(async () => 'same');
    const desktop = await till.engine.invoke('display.state', {});
    expect(desktop.invoice?.qrUrl).toMatch(/^data:image\/svg\+xml;charset=utf-8,%3Csvg/);
    await till.close();

    till = await start();
    const served = await till.engine.invoke('display.state', {});
    expect(served.invoice?.qrUrl).toMatch(/^\.\//);
  });
});
