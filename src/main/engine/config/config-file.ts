import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { AddressSchema, ChainConfigSchema, EXPIRY_MAX_SECONDS, PublicUrlSchema, ShopSchema } from '../../../shared/domain.ts';
import { WebhookEventsSchema, WebhookSecretSchema, WebhookUrlSchema } from '../../../shared/webhooks.ts';
import { TillError } from '../lib/errors.ts';
import { describeZodError, formatPath } from '../lib/zod-errors.ts';

export const WebhookConfigSchema = z
  .strictObject({
    url: WebhookUrlSchema,
    secret: WebhookSecretSchema.optional(),
    secretEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, 'secretEnv names an environment variable, such as TILL_WEBHOOK_SECRET')
      .optional(),
    events: WebhookEventsSchema.default(['*']),
    description: z.string().max(200).optional(),
  })
  .refine((hook) => !(hook.secret && hook.secretEnv), { message: 'give either secret or secretEnv, not both' });
export type WebhookConfig = z.infer<typeof WebhookConfigSchema>;

export const ConfigFileSchema = z.strictObject({
  treasury: AddressSchema.optional(),
  /** The shop, as customers see it on the checkout page. */
  shop: ShopSchema.optional(),
  /** Base of the checkout links (checkoutUrl) when customers reach Till through a reverse proxy. */
  publicUrl: PublicUrlSchema.optional(),
  /** How long after expiry a full payment still counts (paid_late), for invoices that do not say. */
  monitoringWindowSeconds: z
    .number()
    .int('monitoringWindowSeconds must be a whole number of seconds')
    .min(0, 'monitoringWindowSeconds cannot be negative')
    .max(EXPIRY_MAX_SECONDS, `monitoringWindowSeconds must be at most ${EXPIRY_MAX_SECONDS} (30 days)`)
    .optional(),
  chains: z
    .array(ChainConfigSchema)
    .default([])
    .superRefine((chains, ctx) => {
      const seen = new Set<number>();
      chains.forEach((chain, index) => {
        if (seen.has(chain.chainId))
          ctx.addIssue({ code: 'custom', path: [index, 'chainId'], message: `chain ${chain.chainId} appears twice` });
        seen.add(chain.chainId);
      });
    }),
  webhooks: z.array(WebhookConfigSchema).default([]),
});
export type ConfigFile = z.infer<typeof ConfigFileSchema>;

export class ConfigInvalidError extends TillError {
  constructor(file: string, message: string, details?: unknown) {
    super('CONFIG_INVALID', `${file}: ${message}`, { details });
  }
}

/** Parses YAML or JSON text and validates it; every error names the path in the file. */
export function parseConfig(text: string, file: string): ConfigFile {
  let data: unknown;
  if (extname(file).toLowerCase() === '.json') {
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new ConfigInvalidError(file, `not valid JSON (${(error as Error).message})`);
    }
  } else {
    const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (document.errors.length > 0) {
      const first = document.errors[0]!;
      const where = first.linePos?.[0] ? `line ${first.linePos[0].line}, column ${first.linePos[0].col}: ` : '';
      throw new ConfigInvalidError(file, `not valid YAML (${where}${first.message.split('\n')[0]})`);
    }
    try {
      // toJS() enforces yaml's alias limit: a "billion laughs" file stops here, not in memory.
      data = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      throw new ConfigInvalidError(file, `not valid YAML (${(error as Error).message})`);
    }
  }
  if (data === null || data === undefined) throw new ConfigInvalidError(file, 'the file is empty; it needs at least "chains:".');
  const result = ConfigFileSchema.safeParse(data);
  if (!result.success) {
    throw new ConfigInvalidError(
      file,
      describeZodError(result.error, 'config'),
      result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
    );
  }
  return result.data;
}

export function loadConfigFile(file: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigInvalidError(file, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  return parseConfig(text, file);
}

/** Resolves secretEnv against the environment; a missing variable is a config error. */
export function checkWebhookSecrets(config: ConfigFile, file: string, env: NodeJS.ProcessEnv = process.env): void {
  config.webhooks.forEach((hook, index) => {
    if (hook.secretEnv && !env[hook.secretEnv]) {
      throw new ConfigInvalidError(file, `webhooks[${index}].secretEnv: the environment variable ${hook.secretEnv} is not set.`);
    }
  });
}
