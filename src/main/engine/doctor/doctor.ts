import type { DoctorCheck, DoctorLevel, DoctorReport, LedgerDifference } from '../../../shared/doctor.ts';
import { testRpcUrl } from '../chains/rpc/test-rpc-url.ts';
import type { EngineContext } from '../engine-context.ts';
import { isoTime } from '../lib/clock.ts';
import { runningTill } from '../lib/data-dir-lock.ts';
import { redactUrl } from '../lib/redact.ts';
import { MULTICALL3_ADDRESS } from '../scanner/balance-reconcile.ts';
import { createSweepChain } from '../sweeper/sweep-chain.ts';
import { WALLET_SECRET } from '../vault/key-vault.ts';
import { deriveAccountKeys } from '../wallet/hd-wallet.ts';
import { decodeWalletSecret } from '../wallet/wallet-secret.ts';
import { databaseChecks } from './database-checks.ts';
import { reconcileLedger } from './ledger-check.ts';

/** A scan cursor untouched this long while Till runs and the chain moved on: the scanner is stuck. */
const CURSOR_STALE_MS = 5 * 60_000;
/** Blocks behind the head before a chain counts as catching up. */
const LAG_WARN_BLOCKS = 1_000;

const WORST: Record<DoctorLevel, number> = { ok: 0, warning: 1, problem: 2 };
export const worstLevel = (levels: DoctorLevel[]): DoctorLevel =>
  levels.reduce<DoctorLevel>((worst, level) => (WORST[level] > WORST[worst] ? level : worst), 'ok');

type Deps = Pick<EngineContext, 'store' | 'dataDir' | 'version' | 'clock' | 'rpcFor' | 'signal' | 'walletDeps'>;

/**
 * Everything `till doctor` and the Doctor screen check, each with what to do. Reads only: the
 * one thing it writes nowhere is the recovery words it reads to compare with the store's xpub.
 */
export async function runDoctor(deps: Deps): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [...databaseChecks(deps.dataDir)];
  const differences: LedgerDifference[] = [];
  const push = (check: DoctorCheck) => checks.push(check);

  push(tillCheck(deps));
  checks.push(...(await vaultChecks(deps)));
  for (const chain of deps.store.chains.list().filter((candidate) => candidate.enabled)) {
    const result = await chainChecks(deps, chain.chainId);
    checks.push(...result.checks);
    differences.push(...result.differences);
  }
  checks.push(...webhookChecks(deps), ...alertChecks(deps));
  return {
    generatedAt: isoTime(deps.clock.now()),
    version: deps.version,
    level: worstLevel(checks.map((check) => check.level)),
    checks,
    differences,
  };
}

function tillCheck(deps: Deps): DoctorCheck {
  const running = runningTill(deps.dataDir);
  const base = { id: 'till.running', area: 'till' as const, title: 'Till running' };
  if (running || deps.store.sweeperLease.get()?.pid === process.pid)
    return {
      ...base,
      level: 'ok',
      detail: running ? `${running.kind}, process ${running.pid}, since ${running.startedAt}` : 'this process',
      remedy: null,
    };
  return {
    ...base,
    level: 'warning',
    detail:
      'Neither the app nor till serve runs on this data folder: payments are not detected, webhooks not sent, nothing swept.',
    remedy: 'Start the app, or till serve on an always-on computer.',
  };
}

async function vaultChecks(deps: Deps): Promise<DoctorCheck[]> {
  const wallet = deps.store.wallet.get();
  const base = { area: 'vault' as const };
  if (!wallet)
    return [
      {
        ...base,
        id: 'vault.wallet',
        level: 'warning',
        title: 'Wallet',
        detail: 'No wallet yet.',
        remedy: 'Create one (till wallet create) or import your recovery words (till wallet import).',
      },
    ];
  try {
    const vault = await deps.walletDeps.openVault();
    const stored = await vault.getSecret(WALLET_SECRET);
    const backend = vault.kind === 'os' ? 'the OS keychain' : 'the passphrase-protected keystore file';
    if (!stored)
      return [
        {
          ...base,
          id: 'vault.unlock',
          level: 'problem',
          title: 'Keystore',
          detail: `${backend} does not hold this folder’s wallet (${wallet.fingerprint}): nothing can be signed, so nothing is swept.`,
          remedy: 'Put the words back: till wallet import (after a restore or on a new computer, the same words).',
        },
      ];
    const secret = decodeWalletSecret(stored);
    const keys = deriveAccountKeys(secret.mnemonic, secret.passphrase);
    const matches = keys.fingerprint === wallet.fingerprint && keys.depositXpub === wallet.depositXpub;
    return [
      { ...base, id: 'vault.unlock', level: 'ok', title: 'Keystore', detail: `unlocked (${backend})`, remedy: null },
      matches
        ? {
            ...base,
            id: 'vault.fingerprint',
            level: 'ok',
            title: 'Wallet',
            detail: `fingerprint ${wallet.fingerprint}`,
            remedy: null,
          }
        : {
            ...base,
            id: 'vault.fingerprint',
            level: 'problem',
            title: 'Wallet',
            detail: `The keystore holds wallet ${keys.fingerprint}, but this folder’s deposit addresses belong to ${wallet.fingerprint}.`,
            remedy:
              'Import the recovery words of this folder’s wallet (till wallet import), or point --data-dir at the folder of the other one.',
          },
    ];
  } catch (error) {
    const code = (error as { code?: string }).code;
    return [
      {
        ...base,
        id: 'vault.unlock',
        level: code === 'VAULT_LOCKED' ? 'warning' : 'problem',
        title: 'Keystore',
        detail: `cannot be opened: ${(error as Error).message}`,
        remedy:
          code === 'VAULT_LOCKED' || code === 'VAULT_PASSPHRASE_WRONG'
            ? 'Give the keystore passphrase (TILL_PASSPHRASE, or unlock in the app): sweeping waits for it.'
            : 'Start the keychain (on Linux a Secret Service such as gnome-keyring), or use the passphrase keystore (--keystore file).',
      },
    ];
  }
}

async function chainChecks(deps: Deps, chainId: number): Promise<{ checks: DoctorCheck[]; differences: LedgerDifference[] }> {
  const chain = deps.store.chains.get(chainId)!;
  const name = `${chain.name} (${chainId})`;
  const checks: DoctorCheck[] = [];
  const check = (id: string, level: DoctorLevel, title: string, detail: string, remedy: string | null = null) =>
    checks.push({ id: `chain.${chainId}.${id}`, area: 'chains', level, title, detail, remedy });

  const reports = await Promise.all(chain.rpcUrls.map((url) => testRpcUrl(url, chainId, { timeoutMs: 8_000 })));
  let head: number | null = null;
  reports.forEach((report, index) => {
    const url = redactUrl(chain.rpcUrls[index]!);
    if (report.ok) {
      head = Math.max(head ?? 0, report.head ?? 0);
      check(
        `rpc.${index + 1}`,
        'ok',
        `${name}: RPC ${url}`,
        `chain ${report.chainId}, head ${report.head}, ${report.latencyMs} ms`,
      );
    } else
      check(
        `rpc.${index + 1}`,
        'problem',
        `${name}: RPC ${url}`,
        report.problems.join(' ') || 'does not answer',
        report.chainId !== null && report.chainId !== chainId
          ? `This URL serves chain ${report.chainId}, not ${chainId}: replace it in Settings → Chains (Test RPC URLs first).`
          : 'Check the URL and its API key with till chains test-rpc; add a second provider in Settings → Chains.',
      );
  });

  const cursor = deps.store.scanCursors.get(chainId);
  const paused = deps.store.chains.list().find((candidate) => candidate.chainId === chainId)?.paused ?? false;
  if (head === null) {
    check(
      'scan',
      'problem',
      `${name}: scanning`,
      'No RPC endpoint answers: payments on this chain are not seen.',
      'Fix the RPC URLs above.',
    );
    return { checks, differences: [] };
  }
  const lag = cursor ? head - cursor.blockNumber : null;
  if (paused)
    check(
      'scan',
      'warning',
      `${name}: scanning`,
      `paused at block ${cursor?.blockNumber ?? '—'}`,
      `Resume it: till chains resume --chain-id ${chainId}.`,
    );
  else if (!cursor)
    check('scan', 'warning', `${name}: scanning`, 'not started yet', 'Start Till: it scans from the chain’s start block.');
  else {
    const idle = deps.clock.now() - Date.parse(cursor.updatedAt);
    const running = runningTill(deps.dataDir) !== null;
    if (running && idle > CURSOR_STALE_MS && lag! > chain.confirmations)
      check(
        'scan',
        'problem',
        `${name}: scanning`,
        `stuck at block ${cursor.blockNumber} for ${Math.round(idle / 60_000)} min, ${lag} blocks behind the head`,
        'Look at the Chains screen’s last error; restart Till if it shows none.',
      );
    else if (lag! > LAG_WARN_BLOCKS)
      check('scan', 'warning', `${name}: scanning`, `catching up: ${lag} blocks behind`, 'Wait, or add a faster RPC endpoint.');
    else check('scan', 'ok', `${name}: scanning`, `at block ${cursor.blockNumber}, ${lag} behind the head`);
  }

  const differences: LedgerDifference[] = [];
  if (cursor) {
    const rpc = deps.rpcFor(chainId);
    try {
      const reader = createSweepChain(rpc.pool);
      const multicall3 =
        deps.store.chainCapabilities.get(chainId)?.multicall3 ??
        (await reader.code(MULTICALL3_ADDRESS, cursor.blockNumber, deps.signal)) !== '0x';
      const reconcile = (block: number) =>
        reconcileLedger({ store: deps.store, chain: reader, multicall3, signal: deps.signal }, chainId, block);
      // At the scan cursor every difference is Till's to explain. While scanning is paused the
      // blocks after it matter too: what arrived there is unrecorded until scanning resumes, and
      // the merchant asking the doctor wants to hear which address that is.
      let ledger = await reconcile(cursor.blockNumber);
      let at = cursor.blockNumber;
      if (paused && head > cursor.blockNumber) {
        const atCursor = new Set(ledger.differences.map((d) => `${d.address}|${d.token}`));
        const atHead = await reconcile(head);
        ledger = {
          ...atHead,
          differences: atHead.differences.map((d) =>
            atCursor.has(`${d.address}|${d.token}`) || d.kind === 'less'
              ? d
              : {
                  ...d,
                  remedy: `This arrived after block ${cursor.blockNumber}, where scanning was paused, so Till has not recorded it. Resume scanning (till chains resume --chain-id ${chainId}) and Till records it, or run till invoices recheck ${d.invoiceId} to record it now.`,
                },
          ),
        };
        at = head;
      }
      differences.push(...ledger.differences);
      const skipped =
        ledger.skippedNative > 0 ? ` (native coin not compared on ${ledger.skippedNative} topped-up address(es))` : '';
      if (ledger.differences.length === 0)
        check('ledger', 'ok', `${name}: ledger`, `${ledger.compared} balance(s) at block ${at} match the store${skipped}`);
      else
        check(
          'ledger',
          'problem',
          `${name}: ledger`,
          `${ledger.differences.length} of ${ledger.compared} balance(s) at block ${at} differ from the store: ${ledger.differences
            .slice(0, 5)
            .map((d) => `${d.address} ${d.token} on chain ${d.actual}, recorded ${d.expected}`)
            .join('; ')}${ledger.differences.length > 5 ? '; …' : ''}`,
          ledger.differences[0]!.remedy,
        );
    } catch (error) {
      check(
        'ledger',
        'warning',
        `${name}: ledger`,
        `could not be compared: ${(error as Error).message}`,
        'Run the doctor again once the RPC endpoints answer.',
      );
    } finally {
      rpc.close();
    }
  }
  return { checks, differences };
}

function webhookChecks(deps: Deps): DoctorCheck[] {
  const db = deps.store.db;
  const endpoints = db
    .prepare<[], { id: string; url: string; enabled: number; disabled_reason: string | null }>(
      'SELECT id, url, enabled, disabled_reason FROM webhook_endpoints ORDER BY created_at',
    )
    .all();
  const stats = db
    .prepare<[], { endpoint_id: string; failed: number; dead: number }>(
      `SELECT endpoint_id, sum(status = 'failed') AS failed, sum(status = 'dead') AS dead
       FROM webhook_deliveries WHERE status IN ('failed', 'dead') GROUP BY endpoint_id`,
    )
    .all();
  const byEndpoint = new Map(stats.map((row) => [row.endpoint_id, row]));
  return endpoints.map((endpoint) => {
    const base = { id: `webhooks.${endpoint.id}`, area: 'webhooks' as const, title: `Webhook ${redactUrl(endpoint.url)}` };
    const counts = byEndpoint.get(endpoint.id);
    if (!endpoint.enabled)
      return {
        ...base,
        level: 'warning' as const,
        detail: `disabled${endpoint.disabled_reason ? `: ${endpoint.disabled_reason}` : ''}; its events wait`,
        remedy: 'Enable it on the Webhooks screen when the shop is ready.',
      };
    if (counts && counts.dead > 0)
      return {
        ...base,
        level: 'problem' as const,
        detail: `${counts.dead} delivery(ies) gave up after 3 days of retries${counts.failed ? `, ${counts.failed} still retrying` : ''}`,
        remedy:
          'Fix the shop’s endpoint, then resend them: Webhooks → Resend failed, or till webhooks redeliver --failed --since TIME.',
      };
    if (counts && counts.failed > 0)
      return {
        ...base,
        level: 'warning' as const,
        detail: `${counts.failed} delivery(ies) failing, retried on their schedule`,
        remedy: 'Look at the last attempts on the Webhooks screen (till webhooks deliveries --status failed).',
      };
    return { ...base, level: 'ok' as const, detail: 'delivering', remedy: null };
  });
}

/** Sweeper conditions are alerts already (each with its remedy): every open one is a line here. */
const SWEEP_ALERTS = new Set([
  'treasury_missing',
  'vault_locked',
  'gas_account_low',
  'gas_account_empty',
  'sweep_stuck',
  'sweep_reverted',
  'sweep_fee_ceiling',
  'sweep_nonce_conflict',
]);

function alertChecks(deps: Deps): DoctorCheck[] {
  const checks: DoctorCheck[] = [];
  const treasury = deps.store.settings.get('treasury');
  checks.push(
    treasury
      ? { id: 'sweeps.treasury', area: 'sweeps', level: 'ok', title: 'Treasury', detail: treasury, remedy: null }
      : {
          id: 'sweeps.treasury',
          area: 'sweeps',
          level: 'warning',
          title: 'Treasury',
          detail: 'not set: received funds stay on their deposit addresses',
          remedy: 'Set it: till wallet set-treasury ADDRESS (your own wallet).',
        },
  );
  const open = deps.store.alerts.list({ includeAcknowledged: false, limit: 200 }).filter((alert) => SWEEP_ALERTS.has(alert.type));
  for (const alert of open)
    checks.push({
      id: `sweeps.alert.${alert.id}`,
      area: 'sweeps',
      level: alert.severity === 'critical' ? 'problem' : 'warning',
      title: `Alert ${alert.type}${alert.chainId ? ` on chain ${alert.chainId}` : ''}`,
      detail: alert.message,
      remedy: alert.remedy,
    });
  if (open.length === 0)
    checks.push({
      id: 'sweeps.alerts',
      area: 'sweeps',
      level: 'ok',
      title: 'Sweeps',
      detail: 'no open sweep alert',
      remedy: null,
    });
  return checks;
}
