import { afterEach, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../../../../test/fixtures/engine.ts';

describe('the monitoring window of a new invoice', () => {
  let till: TestEngine | undefined;
  afterEach(async () => {
    await till?.close();
  });

  const windowOf = (engine: TestEngine['engine'], id: string) => {
    const record = engine.store.invoices.get(id)!;
    return (Date.parse(record.monitorUntil) - Date.parse(record.expiresAt)) / 1000;
  };

  it('is 24 hours after expiry when neither the invoice nor the settings say otherwise', async () => {
    till = await startTestEngine();
    const invoice = await till.engine.invoke('invoices.create', { chainId: 31337, token: 'native', amount: '1' });
    expect(windowOf(till.engine, invoice.id)).toBe(24 * 3600);
  });

  it('follows the global setting, and the invoice’s own value over it', async () => {
    till = await startTestEngine();
    till.engine.store.settings.set('monitoring_window_seconds', '600');
    const byDefault = await till.engine.invoke('invoices.create', { chainId: 31337, token: 'native', amount: '1' });
    const own = await till.engine.invoke('invoices.create', {
      chainId: 31337,
      token: 'native',
      amount: '1',
      monitoringWindowSeconds: 0,
    });
    expect(windowOf(till.engine, byDefault.id)).toBe(600);
    expect(windowOf(till.engine, own.id)).toBe(0);
  });
});
