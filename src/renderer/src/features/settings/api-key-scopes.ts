import type { ApiKeyScope } from '../../../../shared/domain.ts';

/** What each scope allows, in the order the domain declares them (checked by domain-copies.test.ts). */
export const scopeHelp: Record<ApiKeyScope, string> = {
  'invoices:read': 'Read invoices and their payments',
  'invoices:write': 'Create invoices',
  admin: 'Everything, including chains, tokens and webhooks',
};

export const apiKeyScopes = Object.keys(scopeHelp) as ApiKeyScope[];
