import { Command } from 'commander';
import { checkWebhookSecrets, loadConfigFile } from '../../engine/config/config-file.ts';
import { print } from '../context.ts';

export function registerConfigCommands(program: Command): void {
  const config = program.command('config').description('the config file for till serve');
  config
    .command('check')
    .description('validate a config file (YAML or JSON) without applying it')
    .argument('<file>', 'path to the config file')
    .action((file: string) => {
      const parsed = loadConfigFile(file);
      checkWebhookSecrets(parsed, file);
      print(
        `${file} is valid: ${parsed.chains.length} chain(s), ${parsed.webhooks.length} webhook(s), treasury ${parsed.treasury ?? 'not set'}.`,
      );
    });
}
