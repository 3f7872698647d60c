import { Command, CommanderError, Option } from 'commander';
import {
  WebhookDeliveryStatuses,
  WebhookEventTypes,
  type WebhookDeliveryDetail,
  type WebhookEndpoint,
} from '../../../shared/webhooks.ts';
import type { Engine } from '../../engine/engine.ts';
import { TillError } from '../../engine/lib/errors.ts';
import { print, withEngine } from '../context.ts';
import { shortTime } from '../table.ts';
import { parseWholeNumber } from './chains.ts';
import { outcomeOf, printDeliveries, printDeliveryDetail, printEndpoints } from './webhook-output.ts';

/** Exit code of ping and redeliver when the receiver did not take the delivery (like test-rpc's). */
const NOT_DELIVERED = 3;

const json = (value: unknown): void => print(JSON.stringify(value, null, 2));
const warn = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** `--events a b`, `--events a,b` and `--events a --events b` all mean [a, b]. */
const collectEvents = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value
    .split(',')
    .map((type) => type.trim())
    .filter(Boolean),
];

function reportAttempt(detail: WebhookDeliveryDetail, asJson: boolean | undefined): void {
  const outcome = outcomeOf(detail);
  if (asJson) json(detail);
  else print(outcome.line);
  if (!outcome.delivered) process.exitCode = NOT_DELIVERED;
}

/**
 * Opens the vault before anything is queued, so a locked keystore (no TILL_PASSPHRASE, no
 * terminal) refuses the command and changes nothing rather than queueing a delivery it cannot sign.
 */
async function unlockSecrets(engine: Engine, endpointId: string): Promise<void> {
  await engine.webhookDeps.secrets.activeSecrets(endpointId, Date.now());
}

function printNewSecret(secret: string, asJson: boolean | undefined, endpoint: WebhookEndpoint): void {
  if (asJson) json({ endpoint, secret });
  else print(secret);
}

export function registerWebhookCommands(program: Command): void {
  const webhooks = program
    .command('webhooks')
    .description('webhook endpoints, the delivery log, resend, ping and secret rotation')
    // A wrong or missing option is bad input like any other: exit code 2, as for TillErrors.
    .exitOverride((error) => {
      throw error.exitCode === 1 ? new CommanderError(2, error.code, error.message) : error;
    });

  webhooks
    .command('list')
    .description('endpoints with their health over the last 24 hours (never the secrets, only their last characters)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withEngine(command, {}, async (engine) => {
        const endpoints = await engine.invoke('webhooks.list', {});
        if (options.json) return json(endpoints);
        if (endpoints.length === 0)
          return print('No webhook endpoints. Add one with: till webhooks add --url https://shop.example/till');
        printEndpoints(endpoints);
      });
    });

  webhooks
    .command('add')
    .description('add an endpoint; prints its signing secret once on stdout')
    .requiredOption('--url <url>', 'where Till POSTs events (http:// or https://)')
    .option('--events <types...>', `event types to send (default: * for all): ${WebhookEventTypes.join(', ')}`, collectEvents)
    .option('--description <text>', 'what the endpoint is for')
    .option(
      '--secret <secret>',
      'use this signing secret instead of a generated one (whsec_… or any 16–200 printable characters)',
    )
    .option('--secret-env <name>', 'read the signing secret from this environment variable (keeps it out of shell history)')
    .option('--json', 'print the endpoint and its secret as JSON')
    .action(
      async (
        options: { url: string; events?: string[]; description?: string; secret?: string; secretEnv?: string; json?: boolean },
        command: Command,
      ) => {
        if (options.secret !== undefined && options.secretEnv !== undefined)
          throw new TillError('VALIDATION_FAILED', 'Give either --secret or --secret-env, not both. Nothing was changed.');
        const secret = options.secretEnv === undefined ? options.secret : process.env[options.secretEnv];
        if (options.secretEnv !== undefined && !secret)
          throw new TillError(
            'VALIDATION_FAILED',
            `The environment variable ${options.secretEnv.slice(0, 64)} is not set. Nothing was changed.`,
          );
        await withEngine(command, {}, async (engine) => {
          const created = await engine.invoke('webhooks.create', {
            url: options.url,
            ...(options.events ? { events: options.events } : {}),
            ...(options.description !== undefined ? { description: options.description } : {}),
            ...(secret !== undefined ? { secret } : {}),
          });
          printNewSecret(created.secret, options.json, created.endpoint);
          warn(
            `Webhook endpoint ${created.endpoint.id} added for ${created.endpoint.url} (events: ${created.endpoint.events.join(', ')}). Copy the secret now: Till shows it only this once.`,
          );
        });
      },
    );

  webhooks
    .command('deliveries')
    .description('the delivery log, newest first')
    .option('--status <status>', `only deliveries in this state: ${WebhookDeliveryStatuses.join(', ')}`)
    .option('--invoice <id>', 'only deliveries of this invoice’s events')
    .option('--endpoint <id>', 'only deliveries to this endpoint')
    .option('--event-type <type>', 'only deliveries of this event type')
    .addOption(new Option('--limit <n>', 'at most this many (1–500)').default(50).argParser(parseWholeNumber('--limit')))
    .option('--cursor <cursor>', 'continue after the previous page (printed at its end)')
    .option('--json', 'print JSON ({ items, nextCursor })')
    .action(
      async (
        options: {
          status?: string;
          invoice?: string;
          endpoint?: string;
          eventType?: string;
          limit: number;
          cursor?: string;
          json?: boolean;
        },
        command: Command,
      ) => {
        await withEngine(command, {}, async (engine) => {
          const page = await engine.invoke('webhooks.deliveries', {
            status: options.status,
            invoiceId: options.invoice,
            endpointId: options.endpoint,
            eventType: options.eventType,
            limit: options.limit,
            cursor: options.cursor,
          });
          if (options.json) return json(page);
          if (page.items.length === 0) return print('No deliveries match.');
          printDeliveries(page.items);
          if (page.nextCursor) print(`More: add --cursor ${page.nextCursor}`);
        });
      },
    );

  webhooks
    .command('show')
    .description('one delivery: its attempts (status, timing, response body, error) and the request body')
    .argument('<delivery-id>', 'delivery id from till webhooks deliveries')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      await withEngine(command, {}, async (engine) => {
        const detail = await engine.invoke('webhooks.delivery', { id });
        if (options.json) return json(detail);
        printDeliveryDetail(detail);
      });
    });

  webhooks
    .command('redeliver')
    .description(
      'send a delivery again now (a new delivery of the same event, with Till-Redelivery: true), or queue every failed or dead one since a time',
    )
    .argument('[delivery-id]', 'delivery id from till webhooks deliveries')
    .option('--failed', 'redeliver every failed or dead delivery since --since (queued; a running Till sends them)')
    .option('--since <iso>', 'with --failed: from this time on, e.g. 2026-12-01T09:00:00Z')
    .option('--endpoint <id>', 'with --failed: only deliveries to this endpoint')
    .option('--json', 'print JSON')
    .action(
      async (
        deliveryId: string | undefined,
        options: { failed?: boolean; since?: string; endpoint?: string; json?: boolean },
        command: Command,
      ) => {
        if (options.failed) {
          if (deliveryId !== undefined)
            throw new TillError(
              'VALIDATION_FAILED',
              'Give either a delivery id or --failed --since TIME, not both. Nothing was changed.',
            );
          if (options.since === undefined)
            throw new TillError(
              'VALIDATION_FAILED',
              '--failed needs --since, e.g. --since 2026-12-01T09:00:00Z. Nothing was changed.',
            );
        } else {
          if (deliveryId === undefined)
            throw new TillError(
              'VALIDATION_FAILED',
              'Give a delivery id (till webhooks deliveries lists them), or --failed --since TIME. Nothing was changed.',
            );
          if (options.since !== undefined || options.endpoint !== undefined)
            throw new TillError('VALIDATION_FAILED', '--since and --endpoint go with --failed. Nothing was changed.');
        }
        await withEngine(command, {}, async (engine) => {
          if (deliveryId === undefined) {
            const { queued } = await engine.invoke('webhooks.redeliverFailed', {
              since: options.since,
              ...(options.endpoint !== undefined ? { endpointId: options.endpoint } : {}),
            });
            if (options.json) return json({ queued });
            if (queued === 0) return print(`Nothing to redeliver: no failed or dead deliveries since ${options.since}.`);
            print(
              `Queued ${queued} redelivery(ies). They go out when till serve or the desktop app runs on this data folder (within a second if one runs now); follow them with: till webhooks deliveries`,
            );
            return;
          }
          const original = await engine.invoke('webhooks.delivery', { id: deliveryId });
          await unlockSecrets(engine, original.endpointId);
          reportAttempt(await engine.invoke('webhooks.redeliver', { deliveryId }), options.json);
        });
      },
    );

  webhooks
    .command('ping')
    .description('send a signed ping event (data: {}) to an endpoint now and print what it answered')
    .argument('<endpoint-id>', 'endpoint id from till webhooks list')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      await withEngine(command, {}, async (engine) => {
        await unlockSecrets(engine, id);
        reportAttempt(await engine.invoke('webhooks.ping', { id }), options.json);
      });
    });

  webhooks
    .command('rotate-secret')
    .description('issue a new signing secret (printed once); the old one keeps signing beside it for the overlap')
    .argument('<endpoint-id>', 'endpoint id from till webhooks list')
    .addOption(
      new Option('--overlap-hours <n>', 'hours the old secret keeps signing too (0 drops it now; at most 720)')
        .default(24)
        .argParser(parseWholeNumber('--overlap-hours')),
    )
    .option('--json', 'print the endpoint and its new secret as JSON')
    .action(async (id: string, options: { overlapHours: number; json?: boolean }, command: Command) => {
      await withEngine(command, {}, async (engine) => {
        const { endpoint, secret } = await engine.invoke('webhooks.rotateSecret', { id, overlapHours: options.overlapHours });
        printNewSecret(secret, options.json, endpoint);
        const old = endpoint.secrets.slice(1);
        const overlap =
          old.length > 0
            ? `The previous secret (${old.map((s) => s.hint).join(', ')}) keeps signing beside it until ${shortTime(old[0]!.expiresAt)}; then only the new one does.`
            : 'The previous secret no longer signs.';
        warn(`New secret for ${endpoint.id} (${endpoint.url}). ${overlap} Copy it now: Till shows it only this once.`);
      });
    });

  for (const enabled of [true, false]) {
    webhooks
      .command(enabled ? 'enable' : 'disable')
      .description(
        enabled ? 'send to an endpoint again; what waited goes out' : 'stop sending to an endpoint; its deliveries wait',
      )
      .argument('<endpoint-id>', 'endpoint id from till webhooks list')
      .action(async (id: string, _options: unknown, command: Command) => {
        await withEngine(command, {}, async (engine) => {
          const endpoint = await engine.invoke('webhooks.update', { id, enabled });
          const waiting = endpoint.health.undelivered;
          print(
            enabled
              ? `Webhook endpoint ${endpoint.id} (${endpoint.url}) enabled.${waiting > 0 ? ` ${waiting} waiting delivery(ies) go out when till serve or the desktop app runs.` : ''}`
              : `Webhook endpoint ${endpoint.id} (${endpoint.url}) disabled. Its deliveries wait until it is enabled again.`,
          );
        });
      });
  }

  webhooks
    .command('remove')
    .description('remove an endpoint with its secrets and its delivery log')
    .argument('<endpoint-id>', 'endpoint id from till webhooks list')
    .action(async (id: string, _options: unknown, command: Command) => {
      await withEngine(command, {}, async (engine) => {
        const endpoint = (await engine.invoke('webhooks.list', {})).find((candidate) => candidate.id === id);
        await engine.invoke('webhooks.remove', { id });
        print(`Removed webhook endpoint ${id}${endpoint ? ` (${endpoint.url})` : ''} with its secrets and delivery log.`);
      });
    });
}
