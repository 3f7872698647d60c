import { Command } from 'commander';
import { checkWebhookSecrets, loadConfigFile } from '../../engine/config/config-file.ts';
import { applyConfig } from '../../engine/config/apply-config.ts';
import { systemClock } from '../../engine/lib/clock.ts';
import { print, withEngine } from '../context.ts';

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

  config
    .command('apply')
    .description('apply a config file (YAML or JSON) to the store now, as till serve --config does at start')
    .argument('<file>', 'path to the config file')
    .action(async (file: string, _options: unknown, command: Command) => {
      // Validated before anything is opened, so a broken file changes nothing.
      const parsed = loadConfigFile(file);
      checkWebhookSecrets(parsed, file);
      await withEngine(command, {}, async (engine) => {
        const applied = await applyConfig(
          {
            store: engine.store,
            clock: systemClock,
            logger: engine.logger,
            webhooks: { ...engine.webhookDeps, actor: 'config' },
          },
          parsed,
        );
        for (const { url, endpointId, secret } of applied.generatedWebhookSecrets)
          print(`New webhook secret for ${url} (${endpointId}), shown once — give it to your shop: ${secret}`);
        print(
          `${file} applied: ${parsed.chains.length} chain(s), ${parsed.webhooks.length} webhook(s), treasury ${parsed.treasury ?? 'unchanged'}.`,
        );
      });
    });
}
