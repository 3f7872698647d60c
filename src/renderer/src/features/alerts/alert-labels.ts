import type { AlertSeverity, AlertType } from '../../../../shared/domain.ts';
import type { Tone } from '../../ui/Badge.tsx';

export const alertTypeLabels: Record<AlertType, string> = {
  payment_after_window: 'Payment after the monitoring window',
  wrong_token: 'Wrong token',
  internal_transfer: 'Internal transfer',
  deep_reorg: 'Deep reorg',
  endpoint_down: 'RPC endpoint down',
  chain_stalled: 'Chain stalled',
  scan_failing: 'Scanning failing',
  webhook_dead: 'Webhook deliveries given up',
  webhook_endpoint_gone: 'Webhook endpoint gone (410)',
  treasury_missing: 'No treasury address',
  vault_locked: 'Keystore locked: unlock to sweep',
  gas_account_low: 'Gas account running low',
  gas_account_empty: 'Gas account cannot pay for a sweep',
  sweep_stuck: 'Sweep stuck',
  sweep_reverted: 'Sweep reverted',
  sweep_fee_ceiling: 'Sweep fee ceiling reached',
  sweep_nonce_conflict: 'Gas account used outside Till',
};

export const severityLabels: Record<AlertSeverity, string> = {
  info: 'Info',
  warning: 'Warning',
  critical: 'Critical',
};

export const severityTones: Record<AlertSeverity, Tone> = {
  info: 'active',
  warning: 'warn',
  critical: 'bad',
};
