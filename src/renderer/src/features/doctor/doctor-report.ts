import type { DoctorCheck, DoctorLevel } from '../../../../shared/doctor.ts';
import type { Tone } from '../../ui/Badge.tsx';

export const levelLabels: Record<DoctorLevel, string> = { ok: 'OK', warning: 'Warning', problem: 'Problem' };
export const levelTones: Record<DoctorLevel, Tone> = { ok: 'ok', warning: 'warn', problem: 'bad' };

export const areaLabels: Record<DoctorCheck['area'], string> = {
  till: 'Till',
  database: 'Database',
  vault: 'Wallet & keystore',
  chains: 'Chains',
  ledger: 'Balances',
  webhooks: 'Webhooks',
  sweeps: 'Sweeps',
};

const WORST: Record<DoctorLevel, number> = { ok: 0, warning: 1, problem: 2 };

export interface CheckGroup {
  area: DoctorCheck['area'];
  label: string;
  /** The worst level in the group. */
  level: DoctorLevel;
  checks: DoctorCheck[];
}

/** The checks by area, areas in the order the report first names them (as till doctor prints it). */
export function groupChecks(checks: readonly DoctorCheck[]): CheckGroup[] {
  const groups = new Map<DoctorCheck['area'], CheckGroup>();
  for (const check of checks) {
    let group = groups.get(check.area);
    if (!group) {
      group = { area: check.area, label: areaLabels[check.area] ?? check.area, level: 'ok', checks: [] };
      groups.set(check.area, group);
    }
    group.checks.push(check);
    if (WORST[check.level] > WORST[group.level]) group.level = check.level;
  }
  return [...groups.values()];
}

const plural = (count: number, one: string, many: string) => `${count.toLocaleString()} ${count === 1 ? one : many}`;

/** "1 problem, 2 warnings, 14 fine": the worst first, the ones that need nothing last. */
export function summarize(checks: readonly DoctorCheck[]): string {
  const count = (level: DoctorLevel) => checks.filter((check) => check.level === level).length;
  const problems = count('problem');
  const warnings = count('warning');
  const ok = count('ok');
  if (checks.length === 0) return 'No checks ran.';
  if (problems === 0 && warnings === 0) return `All ${plural(ok, 'check', 'checks')} passed.`;
  const parts = [];
  if (problems) parts.push(plural(problems, 'problem', 'problems'));
  if (warnings) parts.push(plural(warnings, 'warning', 'warnings'));
  parts.push(`${ok.toLocaleString()} fine`);
  return `${parts.join(', ')}.`;
}
