import type { ChainSweepState, SweepKind, SweepStatus, SweepTrigger } from '../../../../shared/sweeps.ts';
import type { Tone } from '../../ui/Badge.tsx';

/** Typed by the engine's unions, so a new state or kind fails the typecheck until it has a label. */
export const sweepStatusLabels: Record<SweepStatus, string> = {
  pending: 'Sent, not mined',
  mined: 'Mined, not final',
  final: 'Final',
  failed: 'Failed',
  dropped: 'Dropped',
};

export const sweepStatusTones: Record<SweepStatus, Tone> = {
  pending: 'warn',
  mined: 'active',
  final: 'ok',
  failed: 'bad',
  dropped: 'neutral',
};

export const sweepKindLabels: Record<SweepKind, string> = {
  native: 'Native transfer',
  eip7702: 'EIP-7702 batch',
  topup: 'Gas top-up',
  deploy: 'Sweeper contract deployment',
};

export const sweepTriggerLabels: Record<SweepTrigger, string> = {
  fee: 'fee within your limit',
  age: 'oldest deposit due',
  minimum: 'minimum amount reached',
  operator: 'Sweep now',
  recover: 'recovery',
  setup: 'setup',
};

export const chainSweepStateLabels: Record<ChainSweepState, string> = {
  active: 'Sweeping active',
  paused: 'Sweeping paused',
  vault_locked: 'Keystore locked',
  no_treasury: 'No treasury',
  no_gas: 'Gas account empty',
  failing: 'Failing',
  idle: 'Idle',
  disabled: 'Chain disabled',
};

export const chainSweepStateTones: Record<ChainSweepState, Tone> = {
  active: 'ok',
  paused: 'warn',
  vault_locked: 'warn',
  no_treasury: 'warn',
  no_gas: 'bad',
  failing: 'bad',
  idle: 'neutral',
  disabled: 'neutral',
};

export const strategyLabels = { eip7702: 'EIP-7702 batch', topup: 'Gas top-up' } as const;
