import { resolve } from 'node:path';
import { Command } from 'commander';
import type { DoctorCheck, DoctorLevel, DoctorReport } from '../../../shared/doctor.ts';
import { databaseChecks } from '../../engine/doctor/database-checks.ts';
import { worstLevel } from '../../engine/doctor/doctor.ts';
import { writeSupportBundle } from '../../engine/doctor/support-bundle.ts';
import { TILL_VERSION } from '../../engine/lib/version.ts';
import { dataDirOf, print, withEngine } from '../context.ts';

const MARK: Record<DoctorLevel, string> = { ok: 'ok     ', warning: 'warning', problem: 'PROBLEM' };

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description(
      'check the database, keystore, RPC endpoints, scanning, balances against the store, webhooks and sweeps; says what to do',
    )
    .option('--json', 'print the report as JSON')
    .option('--bundle <file>', 'also write a support bundle (report, redacted config and logs; no secrets) to this file')
    .action(async (options: { json?: boolean; bundle?: string }, command: Command) => {
      const dataDir = dataDirOf(command);
      let report: DoctorReport;
      try {
        report = await withEngine(command, {}, async (engine) => {
          const result = await engine.invoke('doctor.run', {});
          if (options.bundle) writeSupportBundle({ store: engine.store, dataDir, report: result, file: resolve(options.bundle) });
          return result;
        });
      } catch (error) {
        // A database the engine cannot open is what the doctor is for: report what can be checked.
        const checks: DoctorCheck[] = [
          ...databaseChecks(dataDir),
          {
            id: 'till.open',
            area: 'till',
            level: 'problem',
            title: 'Opening the data folder',
            detail: (error as Error).message,
            remedy:
              'Fix what the lines above say (a damaged database: till restore with the newest backup), then run till doctor again.',
          },
        ];
        report = {
          generatedAt: new Date().toISOString(),
          version: TILL_VERSION,
          level: worstLevel(checks.map((check) => check.level)),
          checks,
          differences: [],
        };
      }
      if (options.json) print(JSON.stringify(report, null, 2));
      else printReport(report);
      if (options.bundle && !options.json) print(`Support bundle written to ${resolve(options.bundle)} (no secrets in it).`);
      if (report.level === 'problem') process.exitCode = 1;
    });
}

function printReport(report: DoctorReport): void {
  for (const check of report.checks) {
    print(`${MARK[check.level]}  ${check.title}: ${check.detail}`);
    if (check.remedy && check.level !== 'ok') print(`         → ${check.remedy}`);
  }
  if (report.differences.length > 0) {
    print();
    print('Balances that differ from the store:');
    for (const d of report.differences)
      print(
        `  chain ${d.chainId} ${d.address} ${d.token}${d.invoiceId ? ` (invoice ${d.invoiceId})` : ''}: on chain ${d.actual}, recorded ${d.expected}\n    → ${d.remedy}`,
      );
  }
  const problems = report.checks.filter((check) => check.level === 'problem').length;
  const warnings = report.checks.filter((check) => check.level === 'warning').length;
  print();
  print(
    report.level === 'ok'
      ? 'All checks passed.'
      : `${problems} problem(s), ${warnings} warning(s): follow the → lines, from the top.`,
  );
}
