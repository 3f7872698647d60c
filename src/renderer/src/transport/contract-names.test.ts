import { describe, expect, it } from 'vitest';
import { eventNames, HTTP_EVENTS_ROUTE, httpRoute, methodNames } from '../../../shared/contract.ts';
import { ApiKeyScopes, EXPIRY_DEFAULT_SECONDS, EXPIRY_MAX_SECONDS, InvoiceStatuses } from '../../../shared/domain.ts';
import { invoiceStatuses } from '../ui/format.ts';
import { apiKeyScopes } from '../features/settings/api-key-scopes.ts';
import { DEFAULT_EXPIRY_SECONDS, MAX_EXPIRY_SECONDS } from '../features/invoices/expiry.ts';
import { EVENTS_ROUTE, rendererEventNames, rendererMethodNames, rpcRoute } from './contract-names.ts';

describe('renderer copies of contract values', () => {
  it('names every contract method and event, and nothing else', () => {
    expect([...rendererMethodNames].sort()).toEqual([...methodNames].sort());
    expect([...rendererEventNames].sort()).toEqual([...eventNames].sort());
  });

  it('uses the contract HTTP routes', () => {
    for (const name of methodNames) expect(rpcRoute(name)).toBe(httpRoute(name));
    expect(EVENTS_ROUTE).toBe(HTTP_EVENTS_ROUTE);
  });

  it('lists statuses and scopes in domain order, and the same expiry bounds', () => {
    expect(invoiceStatuses).toEqual([...InvoiceStatuses]);
    expect(apiKeyScopes).toEqual([...ApiKeyScopes]);
    expect(DEFAULT_EXPIRY_SECONDS).toBe(EXPIRY_DEFAULT_SECONDS);
    expect(MAX_EXPIRY_SECONDS).toBe(EXPIRY_MAX_SECONDS);
  });
});
