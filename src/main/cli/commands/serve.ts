import { Command, Option } from 'commander';
import { applyConfig } from '../../engine/config/apply-config.ts';
import { checkWebhookSecrets, loadConfigFile } from '../../engine/config/config-file.ts';
import { createEngine } from '../../engine/engine.ts';
import { systemClock } from '../../engine/lib/clock.ts';
import { TillError } from '../../engine/lib/errors.ts';
import { PublicUrlSchema } from '../../../shared/domain.ts';
import { createLogger } from '../../engine/lib/logger.ts';
import { startHttpServer } from '../../engine/http/server.ts';
import { dataDirOf, print } from '../context.ts';
import { parseKeystore, passphraseSource, type KeystoreOption } from '../engine-options.ts';
import { detectExistingKeystore, openVault } from '../../engine/vault/open-vault.ts';
import { WALLET_SECRET } from '../../engine/vault/key-vault.ts';

const parsePort = (value: string): number => {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new TillError('VALIDATION_FAILED', `--port must be a whole number from 0 to 65535 (got "${value.slice(0, 20)}").`);
  return port;
};

/**
 * A server must not stop to ask on its terminal in the middle of a request. An existing file
 * keystore is unlocked (and its passphrase checked) at start, from TILL_PASSPHRASE or a prompt;
 * later the engine gets that passphrase, or only TILL_PASSPHRASE, or (when neither exists) the
 * browser UI asks the merchant to choose one.
 */
async function unlockAtStart(dataDir: string, keystore: KeystoreOption): Promise<() => Promise<string>> {
  const existing = await detectExistingKeystore(dataDir);
  if (keystore === 'os' || existing !== 'file') return async () => process.env.TILL_PASSPHRASE ?? '';
  const passphrase = await passphraseSource()();
  const vault = await openVault({ keystore: 'file', dataDir, passphrase: async () => passphrase });
  await vault.getSecret(WALLET_SECRET); // throws VAULT_PASSPHRASE_WRONG now rather than at the first sweep
  return async () => passphrase;
}

const parsePublicUrl = (value: string): string => {
  const parsed = PublicUrlSchema.safeParse(value);
  if (!parsed.success)
    throw new TillError('VALIDATION_FAILED', `--public-url: ${parsed.error.issues[0]?.message ?? 'not a URL'}.`);
  return value.replace(/\/+$/, '');
};

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the engine, the merchant API and the browser UI')
    .option('--config <file>', 'config file (YAML or JSON) applied to the store at start')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .addOption(new Option('--port <port>', 'port to listen on').default(7420).argParser(parsePort))
    .addOption(new Option('--keystore <kind>', 'os, file or auto').default('auto').argParser(parseKeystore))
    .addOption(
      new Option(
        '--public-url <url>',
        'where customers reach the checkout pages, through a reverse proxy with TLS (https://pay.example.com)',
      ).argParser(parsePublicUrl),
    )
    .action(
      async (
        options: {
          config?: string;
          host: string;
          port: number;
          keystore: ReturnType<typeof parseKeystore>;
          publicUrl?: string;
        },
        command: Command,
      ) => {
        const dataDir = dataDirOf(command);
        // Validate the config before touching anything, so a broken file changes nothing.
        const config = options.config ? loadConfigFile(options.config) : undefined;
        if (config && options.config) checkWebhookSecrets(config, options.config);

        const passphrase = await unlockAtStart(dataDir, options.keystore);
        const logger = createLogger({ dataDir, stdout: true });
        const engine = await createEngine({ dataDir, host: 'browser', keystore: options.keystore, passphrase, logger });
        if (config) {
          const applied = await applyConfig(
            { store: engine.store, clock: systemClock, logger, webhooks: { ...engine.webhookDeps, actor: 'config' } },
            config,
          );
          // Shown once, on the terminal only (like the login link): never in the log file.
          for (const { url, endpointId, secret } of applied.generatedWebhookSecrets)
            print(`New webhook secret for ${url} (${endpointId}), shown once — give it to your shop: ${secret}`);
        }
        if (options.publicUrl) engine.store.settings.set('public_url', options.publicUrl);
        engine.publishOutbox();

        let uiUrl = '';
        const http = await startHttpServer({
          engine,
          host: options.host,
          port: options.port,
          // Terminal only, like the first link.
          onLoginLinkUsed: (token) => print(`A browser signed in. The next one-time link: ${uiUrl}/?token=${token}`),
          publicUrl: engine.store.settings.get('public_url') ?? undefined,
        });
        uiUrl = http.url;
        // Checkout links point here while no public URL is set (a shop on the same machine, a test).
        engine.store.settings.set('serve_url', http.url);
        // The login link goes to the terminal only: the token is a secret and stays out of the log file.
        print(`Till is running. Open the UI: ${http.url}/?token=${http.loginToken}`);
        logger.info({ url: http.url, dataDir }, 'till serve listening');
        if (!['127.0.0.1', 'localhost', '::1'].includes(options.host)) {
          logger.warn({ host: options.host }, 'listening beyond loopback: put TLS in front of Till before exposing it');
        }

        await new Promise<void>((resolve) => {
          let stopping = false;
          const stop = async (signal: string) => {
            if (stopping) return;
            stopping = true;
            logger.info({ signal }, 'stopping');
            await http.close();
            await engine.stop();
            await new Promise<void>((done) => logger.flush(() => done()));
            resolve();
          };
          process.once('SIGINT', () => void stop('SIGINT'));
          process.once('SIGTERM', () => void stop('SIGTERM'));
        });
      },
    );
}
