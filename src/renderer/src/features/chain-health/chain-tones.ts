import type { ChainScanState, RpcEndpointHealth } from '../../../../shared/domain.ts';
import type { Tone } from '../../ui/Badge.tsx';

export const chainStateTones: Record<ChainScanState, Tone> = {
  live: 'ok',
  'catching-up': 'active',
  paused: 'warn',
  failing: 'bad',
  disabled: 'neutral',
  idle: 'neutral',
};

export const circuitTones: Record<RpcEndpointHealth['circuit'], Tone> = {
  closed: 'ok',
  'half-open': 'warn',
  open: 'bad',
};

export const circuitLabels: Record<RpcEndpointHealth['circuit'], string> = {
  closed: 'Closed',
  'half-open': 'Half-open',
  open: 'Open',
};
