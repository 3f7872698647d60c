import { describe, expect, it } from 'vitest';
import type { DoctorCheck } from '../../../../shared/doctor.ts';
import { groupChecks, summarize } from './doctor-report.ts';

const check = (id: string, area: DoctorCheck['area'], level: DoctorCheck['level']): DoctorCheck => ({
  id,
  area,
  level,
  title: id,
  detail: '',
  remedy: level === 'ok' ? null : 'do something',
});

describe('doctor report on screen', () => {
  it('groups by area in the order the report names them, each with its worst level', () => {
    const groups = groupChecks([
      check('database.integrity', 'database', 'ok'),
      check('till.running', 'till', 'warning'),
      check('chain.1.rpc.1', 'chains', 'ok'),
      check('chain.1.rpc.2', 'chains', 'problem'),
      check('database.schema', 'database', 'ok'),
    ]);
    expect(groups.map((group) => [group.area, group.level, group.checks.map((c) => c.id)])).toEqual([
      ['database', 'ok', ['database.integrity', 'database.schema']],
      ['till', 'warning', ['till.running']],
      ['chains', 'problem', ['chain.1.rpc.1', 'chain.1.rpc.2']],
    ]);
    expect(groups[2]!.label).toBe('Chains');
  });

  it('summarizes the worst first', () => {
    expect(summarize([check('a', 'till', 'ok'), check('b', 'till', 'ok')])).toBe('All 2 checks passed.');
    expect(summarize([check('a', 'till', 'problem'), check('b', 'till', 'warning'), check('c', 'till', 'warning')])).toBe(
      '1 problem, 2 warnings, 0 fine.',
    );
    expect(summarize([check('a', 'till', 'warning'), check('b', 'till', 'ok')])).toBe('1 warning, 1 fine.');
    expect(summarize([])).toBe('No checks ran.');
  });
});
