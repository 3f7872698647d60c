import { Command } from 'commander';
import { ApiKeyScopes, type ApiKeyScope } from '../../../shared/domain.ts';
import { TillError } from '../../engine/lib/errors.ts';
import { print, withEngine } from '../context.ts';

const collectScope = (value: string, previous: ApiKeyScope[] = []): ApiKeyScope[] => {
  if (!(ApiKeyScopes as readonly string[]).includes(value)) {
    throw new TillError('VALIDATION_FAILED', `Unknown scope "${value.slice(0, 40)}". Scopes: ${ApiKeyScopes.join(', ')}.`);
  }
  return [...previous, value as ApiKeyScope];
};

export function registerApiKeyCommands(program: Command): void {
  const apikey = program.command('apikey').description('API keys for the merchant HTTP API');

  apikey
    .command('create')
    .description('create an API key and print it once (only its hash is stored)')
    .requiredOption('--name <name>', 'what the key is for, e.g. "web shop"')
    .option(
      '--scope <scope>',
      `may be repeated: ${ApiKeyScopes.join(', ')} (default: invoices:read + invoices:write)`,
      collectScope,
    )
    .action(async (options: { name: string; scope?: ApiKeyScope[] }, command: Command) => {
      await withEngine(command, {}, async (engine) => {
        const { apiKey, secret } = await engine.invoke('apiKeys.create', {
          name: options.name,
          scopes: options.scope ?? ['invoices:read', 'invoices:write'],
        });
        print(secret);
        process.stderr.write(
          `Key ${apiKey.id} (${apiKey.scopes.join(', ')}) created. Copy it now: Till stores only its hash and cannot show it again.\n`,
        );
      });
    });

  apikey
    .command('list')
    .description('list API keys (never the keys themselves)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withEngine(command, {}, async (engine) => {
        const keys = await engine.invoke('apiKeys.list', {});
        if (options.json) return print(JSON.stringify(keys, null, 2));
        if (keys.length === 0) return print('No API keys. Create one with: till apikey create --name shop');
        for (const key of keys) {
          const state = key.revokedAt ? `revoked ${key.revokedAt}` : `last used ${key.lastUsedAt ?? 'never'}`;
          print(`${key.id}  ${key.prefix}…  ${key.name}  [${key.scopes.join(', ')}]  created ${key.createdAt}  ${state}`);
        }
      });
    });

  apikey
    .command('revoke')
    .description('revoke an API key at once')
    .argument('<id>', 'the key id from till apikey list')
    .action(async (id: string, _options: unknown, command: Command) => {
      await withEngine(command, {}, async (engine) => {
        const key = await engine.invoke('apiKeys.revoke', { id });
        print(`Revoked ${key.id} (${key.name}) at ${key.revokedAt}.`);
      });
    });
}
