import { describe, expect, it } from 'vitest';
import type { ChainHealth, RpcEndpointHealth } from '../../../../shared/domain.ts';
import { overallHealth } from './overall-health.ts';

const endpoint = (circuit: RpcEndpointHealth['circuit']): RpcEndpointHealth => ({
  url: 'https://rpc.example.org',
  latencyMs: 40,
  errorRate: 0,
  requests: 10,
  failures: 0,
  lastError: null,
  lastErrorAt: null,
  circuit,
  head: 100,
  headAt: null,
  lagging: false,
  cooldownUntil: null,
  maxLogRange: 1000,
});

const chain = (name: string, state: ChainHealth['state'], patch: Partial<ChainHealth> = {}): ChainHealth => ({
  chainId: name.length,
  name,
  enabled: state !== 'disabled',
  state,
  head: 100,
  lastScannedBlock: 100,
  lagBlocks: 0,
  lagSeconds: 2,
  catchUpBlocksPerSecond: null,
  etaSeconds: null,
  lastSuccessfulScanAt: null,
  lastHeadChangeAt: null,
  lastError: null,
  watchedAddresses: 0,
  nativeDetection: 'auto',
  nativeDetectionStatus: null,
  endpoints: [endpoint('closed')],
  ...patch,
});

describe('overallHealth', () => {
  it('is green when every enabled chain is live; disabled chains do not count', () => {
    expect(overallHealth([chain('Base', 'live'), chain('Off', 'disabled')])).toEqual({ level: 'ok', summary: 'all live' });
  });
  it('is amber while a chain catches up, is paused or idle', () => {
    expect(overallHealth([chain('Base', 'live'), chain('Ethereum', 'catching-up')])).toEqual({
      level: 'warn',
      summary: 'Ethereum catching up',
    });
    expect(overallHealth([chain('Base', 'paused')]).level).toBe('warn');
    expect(overallHealth([chain('Off', 'disabled')])).toEqual({ level: 'warn', summary: 'none enabled' });
  });
  it('is red when a chain fails or an endpoint circuit is open, even if the chain is live', () => {
    expect(overallHealth([chain('Base', 'failing')])).toEqual({ level: 'down', summary: 'Base failing' });
    const openCircuit = chain('Base', 'live', { endpoints: [endpoint('closed'), endpoint('open')] });
    expect(overallHealth([openCircuit, chain('Ethereum', 'catching-up')])).toEqual({
      level: 'down',
      summary: 'Base endpoint down',
    });
  });
});
