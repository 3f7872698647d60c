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

type NewHeadsState = NonNullable<RpcEndpointHealth['newHeads']>;

/** ws endpoints push each new block (newHeads); polling runs as well, as a safety net. */
export const newHeadsTones: Record<NewHeadsState, Tone> = {
  live: 'ok',
  connecting: 'active',
  reconnecting: 'warn',
  refused: 'neutral',
};

export const newHeadsLabels: Record<NewHeadsState, string> = {
  live: 'Pushed',
  connecting: 'Subscribing',
  reconnecting: 'Reconnecting',
  refused: 'Polled (push refused)',
};

export const newHeadsHints: Record<NewHeadsState, string> = {
  live: 'The endpoint pushes each new block over its WebSocket; Till still polls now and then.',
  connecting: 'Subscribing to new blocks over the WebSocket; Till polls meanwhile.',
  reconnecting: 'The WebSocket dropped; Till reconnects with backoff and polls meanwhile.',
  refused: 'The endpoint does not offer newHeads subscriptions; Till polls it.',
};
