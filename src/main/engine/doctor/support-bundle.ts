import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DoctorReport } from '../../../shared/doctor.ts';
import type { Store } from '../db/store.ts';
import { redactUrl, redactUrlsIn } from '../lib/redact.ts';

/** The newest log files, at most this much of each (their ends: what happened last). */
const LOG_FILES = 3;
const LOG_BYTES = 2 * 1_048_576;

/**
 * What a merchant sends when asking for help: the doctor's report, the last log files, the
 * configuration, and how many rows each table holds — never a row. Holds no secret: the words
 * and keys live in the vault, API keys and webhook secrets are neither read nor copied, and every
 * URL (RPC endpoints, webhook endpoints, in the logs too) is redacted.
 */
export function writeSupportBundle(options: { store: Store; dataDir: string; report: DoctorReport; file: string }): void {
  const { store } = options;
  const tables = store.db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all()
    .map((row) => row.name);
  const rowCounts = Object.fromEntries(
    tables.map((table) => [table, store.db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM "${table}"`).get()!.n]),
  );
  const config = {
    chains: store.chains.list().map((chain) => ({
      chainId: chain.chainId,
      name: chain.name,
      enabled: chain.enabled,
      paused: chain.paused,
      confirmations: chain.confirmations,
      pollIntervalMs: chain.pollIntervalMs,
      nativeDetection: chain.nativeDetection,
      rpcUrls: chain.rpcUrls.map(redactUrl),
      tokens: chain.tokens.map((token) => ({ symbol: token.symbol, address: token.address, decimals: token.decimals })),
      sweep: store.sweepSettings.get(chain.chainId) ?? null,
    })),
    webhooks: store.db
      .prepare<[], { id: string; url: string; enabled: number; events: string }>(
        'SELECT id, url, enabled, events FROM webhook_endpoints',
      )
      .all()
      .map((endpoint) => ({ ...endpoint, url: redactUrl(endpoint.url), events: JSON.parse(endpoint.events) as unknown })),
    treasury: store.settings.get('treasury'),
    wallet: store.wallet.get() ? { fingerprint: store.wallet.get()!.fingerprint, keystore: store.wallet.get()!.keystore } : null,
  };
  const logDir = join(options.dataDir, 'logs');
  const logs = existsSync(logDir)
    ? readdirSync(logDir)
        .filter((name) => name.endsWith('.log'))
        .map((name) => ({ name, mtime: statSync(join(logDir, name)).mtimeMs }))
        .sort((a, b) => b.mtime - a.mtime)
        .slice(0, LOG_FILES)
        .map(({ name }) => {
          const text = readFileSync(join(logDir, name), 'utf8');
          return { name, text: redactUrlsIn(text.length > LOG_BYTES ? text.slice(-LOG_BYTES) : text) };
        })
    : [];
  const bundle = { kind: 'till-support-bundle', version: 1, report: options.report, config, rowCounts, logs };
  writeFileSync(options.file, `${JSON.stringify(bundle, null, 2)}\n`, { mode: 0o600 });
}
