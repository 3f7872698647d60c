import { Command } from 'commander';
import { print, withEngine } from '../context.ts';

export function registerAlertCommands(program: Command): void {
  const alerts = program.command('alerts').description('what needs your attention, with the suggested remedy');

  alerts
    .command('list')
    .description('open alerts, newest first')
    .option('--all', 'include acknowledged alerts')
    .option('--json', 'print JSON')
    .action(async (options: { all?: boolean; json?: boolean }, command: Command) => {
      await withEngine(command, {}, async (engine) => {
        const list = await engine.invoke('alerts.list', { includeAcknowledged: options.all ?? false });
        if (options.json) return print(JSON.stringify(list, null, 2));
        if (list.length === 0) return print('No open alerts.');
        for (const alert of list) {
          print(
            `${alert.id}  [${alert.severity}] ${alert.type}  ${alert.createdAt}${alert.acknowledgedAt ? `  (acknowledged by ${alert.acknowledgedBy})` : ''}`,
          );
          print(`  ${alert.message}`);
          print(`  → ${alert.remedy}`);
        }
      });
    });

  alerts
    .command('ack')
    .description('acknowledge an alert')
    .argument('<id>', 'alert id from till alerts list')
    .action(async (id: string, _options: unknown, command: Command) => {
      await withEngine(command, {}, async (engine) => {
        const alert = await engine.invoke('alerts.acknowledge', { id });
        print(`Acknowledged ${alert.id} (${alert.type}).`);
      });
    });
}
