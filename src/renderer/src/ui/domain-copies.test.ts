import { describe, expect, it } from 'vitest';
import { ApiKeyScopes, EXPIRY_DEFAULT_SECONDS, EXPIRY_MAX_SECONDS, InvoiceStatuses } from '../../../shared/domain.ts';
import { invoiceStatuses } from './format.ts';
import { apiKeyScopes } from '../features/settings/api-key-scopes.ts';
import { DEFAULT_EXPIRY_SECONDS, MAX_EXPIRY_SECONDS } from '../features/invoices/expiry.ts';

// The renderer keeps these few domain values as plain copies so its bundle needs no zod.
describe('renderer copies of domain values', () => {
  it('lists statuses and scopes in domain order, and the same expiry bounds', () => {
    expect(invoiceStatuses).toEqual([...InvoiceStatuses]);
    expect(apiKeyScopes).toEqual([...ApiKeyScopes]);
    expect(DEFAULT_EXPIRY_SECONDS).toBe(EXPIRY_DEFAULT_SECONDS);
    expect(MAX_EXPIRY_SECONDS).toBe(EXPIRY_MAX_SECONDS);
  });
});
