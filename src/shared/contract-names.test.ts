import { describe, expect, it } from 'vitest';
import { contract } from './contract.ts';
import { eventNames, methodNames } from './contract-names.ts';

describe('contract names', () => {
  it('name every contract method, and nothing else', () => {
    expect([...methodNames].sort()).toEqual(Object.keys(contract).sort());
    expect(new Set(methodNames).size).toBe(methodNames.length);
    expect(eventNames).toEqual([
      'invoice.changed',
      'engine.status',
      'chains.health',
      'alerts.changed',
      'webhooks.changed',
      'sweeps.changed',
    ]);
  });
});
