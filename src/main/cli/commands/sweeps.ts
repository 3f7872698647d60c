import { Command, Option } from 'commander';
import QRCode from 'qrcode';
import type { SweepRunResult } from '../../../shared/contract.ts';
import { SweepStatuses, type SweepPlan, type SweepStatus, type SweepView } from '../../../shared/sweeps.ts';
import type { Engine } from '../../engine/engine.ts';
import { TillError } from '../../engine/lib/errors.ts';
import { sleep } from '../../engine/lib/shutdown.ts';
import { print, withEngine } from '../context.ts';
import { confirmOnTerminal } from '../prompt.ts';
import { formatTable, shortTime } from '../table.ts';
import { parseWholeNumber } from './chains.ts';

const chainIdOption = (mandatory: boolean) => {
  const option = new Option('--chain-id <id>', 'the chain id, e.g. 8453 for Base').argParser(parseWholeNumber('--chain-id'));
  return mandatory ? option.makeOptionMandatory() : option;
};

const FOLLOW_EVERY_MS = 2_000;
/** Following another process's sweeps: done when nothing is open and nothing changed this long. */
const FOLLOW_QUIET_MS = 8_000;
const DONE: ReadonlySet<SweepStatus> = new Set(['final', 'failed', 'dropped']);

/** The plan of each chain as the merchant reads it: what goes, what waits and why, what it costs. */
export function printPlans(plans: SweepPlan[], names: Map<number, string>): number {
  let ready = 0;
  for (const plan of plans) {
    const fees = plan.fees
      ? `base fee ${plan.fees.baseFeeGwei ?? '-'} gwei, max fee ${plan.fees.maxFeeGwei} gwei, tip ${plan.fees.priorityFeeGwei} gwei`
      : 'fees unknown';
    print(`${names.get(plan.chainId) ?? 'Chain'} (${plan.chainId}) — ${fees}`);
    if (plan.sweeps.length === 0) print('  Nothing to sweep.');
    for (const sweep of plan.sweeps) {
      if (sweep.trigger !== null) ready++;
      const share = sweep.feeShare === null ? '' : ` (${sweep.feeShare} of the value)`;
      print(
        `  ${sweep.trigger === null ? 'waits' : `ready (${sweep.trigger})`}: ${sweep.kind} ${sweep.value} ${sweep.token.symbol} from ${sweep.items.length} deposit${sweep.items.length === 1 ? '' : 's'}, about ${sweep.estimatedGas} gas, fee about ${sweep.estimatedFee}${share}`,
      );
      if (sweep.waitingReason) print(`    ${sweep.waitingReason}`);
      for (const item of sweep.items)
        print(`    ${item.address}  ${item.amount} ${sweep.token.symbol}  ${item.invoiceId ?? '-'}  ${item.reason}`);
    }
    for (const note of plan.notes) print(`  Note: ${note}`);
  }
  return ready;
}

function sweepLine(sweep: SweepView): string {
  const token = sweep.token?.symbol ?? '';
  const tx = sweep.txHash ? `  tx ${sweep.txHash}` : '';
  const gas = sweep.gasUsed === null ? '' : `  gas ${sweep.gasUsed}, fee ${sweep.fee}`;
  const error = sweep.error ? `  (${sweep.error})` : '';
  return `${sweep.id}  ${sweep.kind} ${sweep.value} ${token}  ${sweep.status}${tx}${gas}${error}`;
}

/**
 * After "Sweep now" in this process: steps the chains (tracking receipts, replacing what is stuck)
 * until every sweep it knows of is final, failed or dropped. Ctrl-C stops following; what was sent
 * is on disk and Till picks it up when it next runs.
 */
async function follow(engine: Engine, chainIds: number[], started: SweepView[]): Promise<boolean> {
  const watched = new Map(started.map((sweep) => [sweep.id, sweep.status]));
  const stop = new AbortController();
  const onInterrupt = () => stop.abort();
  process.once('SIGINT', onInterrupt);
  try {
    while (!stop.signal.aborted) {
      const outcomes = await engine.sweeper.once(chainIds, stop.signal, {}).catch((error: unknown) => {
        if (stop.signal.aborted) return [];
        throw error;
      });
      for (const outcome of outcomes) {
        if (outcome.error) print(`Chain ${outcome.chainId}: ${outcome.error}`);
        for (const id of outcome.created) watched.set(id, 'pending');
      }
      let open = 0;
      for (const [id, seen] of watched) {
        const sweep = await engine.invoke('sweeps.get', { id });
        if (sweep.status !== seen) {
          print(sweepLine(sweep));
          watched.set(id, sweep.status);
        }
        if (!DONE.has(sweep.status)) open++;
      }
      if (open === 0) return true;
      await sleep(FOLLOW_EVERY_MS, stop.signal);
    }
    print('Stopped following. What was sent is stored: Till tracks it when it next runs (till serve or the app).');
    return false;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

/**
 * A request left for the Till process that sweeps: waits until it was handled, then (with `wait`)
 * watches what that process sends from then on until it is final — it does the work, this only
 * reads the store. Done once nothing is open and nothing new came for a while (an ERC-20 sweep
 * may follow the deployment of the sweeper contract).
 */
async function awaitRequest(engine: Engine, requestId: string, wait: boolean): Promise<void> {
  const stop = new AbortController();
  const onInterrupt = () => stop.abort();
  process.once('SIGINT', onInterrupt);
  try {
    let handled = false;
    for (let waited = 0; waited < 60_000 && !stop.signal.aborted; waited += 500) {
      const request = engine.store.sweepRequests.get(requestId);
      const result = request?.result ? (JSON.parse(request.result) as unknown) : null;
      if (Array.isArray(result)) {
        for (const outcome of result as { chainId: number; created: string[]; error?: string }[])
          if (outcome.error) print(`Chain ${outcome.chainId}: ${outcome.error}`);
        handled = true;
        break;
      }
      await sleep(500, stop.signal);
    }
    if (!handled) {
      print(`The running Till has not taken request ${requestId} yet; it will. Follow it with till sweeps list.`);
      return;
    }
    const since = engine.store.sweepRequests.get(requestId)!.requestedAt;
    const seen = new Map<string, SweepStatus>();
    let quietSince = Date.now();
    while (!stop.signal.aborted) {
      const page = await engine.invoke('sweeps.list', { limit: 200 });
      let open = 0;
      for (const sweep of page.items.filter((s) => s.createdAt >= since).reverse()) {
        if (seen.get(sweep.id) !== sweep.status) {
          print(sweepLine(sweep));
          seen.set(sweep.id, sweep.status);
          quietSince = Date.now();
        }
        if (!DONE.has(sweep.status)) open++;
      }
      if (!wait || (open === 0 && Date.now() - quietSince >= FOLLOW_QUIET_MS)) {
        if (wait) print(seen.size === 0 ? 'Nothing was sent.' : 'Done.');
        return;
      }
      await sleep(FOLLOW_EVERY_MS, stop.signal);
    }
    print('Stopped following; the running Till goes on with the sweeps.');
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

/** Prints what "Sweep now" (or a recovery) did, and follows it to the end unless told not to. */
async function report(engine: Engine, result: SweepRunResult, chainIds: number[], wait: boolean): Promise<void> {
  for (const problem of result.problems) print(`Chain ${problem.chainId}: ${problem.message}`);
  if (result.mode === 'queued') {
    const other = engine.sweeper.otherHolder();
    print(
      `Another Till process sweeps for this data folder${other ? ` (pid ${other.pid} on ${other.host})` : ''}: it was asked to (request ${result.requestId}).`,
    );
    if (wait) print('Waiting until every sweep is final (Ctrl-C stops waiting; the sweeps go on)…');
    await awaitRequest(engine, result.requestId!, wait);
    return;
  }
  if (result.sweeps.length === 0) {
    print('Nothing was sent.');
    if (result.problems.length > 0) process.exitCode = 3;
    return;
  }
  for (const sweep of result.sweeps) print(sweepLine(sweep));
  if (!wait) {
    print('Sent. Till tracks the sweeps until they are final whenever it runs (till serve or the app).');
    return;
  }
  print('Waiting until every sweep is final (Ctrl-C stops waiting; the sweeps go on)…');
  if (await follow(engine, chainIds, result.sweeps)) print('Done.');
}

const chainsOf = (engine: Engine, chainId: number | undefined): number[] =>
  chainId === undefined
    ? engine.store.chains
        .list()
        .filter((chain) => chain.enabled)
        .map((chain) => chain.chainId)
    : [chainId];

const chainNames = (engine: Engine) => new Map(engine.store.chains.list().map((chain) => [chain.chainId, chain.name]));

async function goAhead(yes: boolean | undefined, question: string): Promise<boolean> {
  if (yes) return true;
  const ok = await confirmOnTerminal(
    question,
    'This sends transactions and there is no terminal to ask on: run it again with --yes to go ahead.',
  );
  if (!ok) print('Nothing was sent.');
  return ok;
}

export function registerSweepCommands(program: Command): void {
  const sweeps = program
    .command('sweeps')
    .description('moving received funds to the treasury: plan, run, list, show, bump, pause, resume');

  sweeps
    .command('plan')
    .description('what would be swept now and what it would cost (signs and sends nothing)')
    .addOption(chainIdOption(false))
    .option('--all', 'plan as "Sweep now" would: everything that is not dust, whatever the policy says')
    .option('--json', 'print JSON')
    .action(async (options: { chainId?: number; all?: boolean; json?: boolean }, command: Command) => {
      await withEngine(command, {}, async (engine) => {
        const plans = await engine.invoke('sweeps.plan', { chainId: options.chainId, all: options.all });
        if (options.json) return print(JSON.stringify(plans, null, 2));
        if (plans.length === 0) return print('No chains configured.');
        printPlans(plans, chainNames(engine));
      });
    });

  sweeps
    .command('run')
    .description('"Sweep now": sweep everything that is not dust, after showing what it will cost')
    .addOption(chainIdOption(false))
    .option('--yes', 'do not ask before sending (needed without a terminal)')
    .option('--no-wait', 'return once the transactions are sent, without waiting until they are final')
    .action(async (options: { chainId?: number; yes?: boolean; wait: boolean }, command: Command) => {
      await withEngine(command, {}, async (engine) => {
        const plans = await engine.invoke('sweeps.plan', { chainId: options.chainId, all: true });
        const ready = printPlans(plans, chainNames(engine));
        if (ready === 0) return print('Nothing is ready to sweep.');
        if (!(await goAhead(options.yes, `Send ${ready} sweep${ready === 1 ? '' : 's'} to the treasury?`))) return;
        const result = await engine.invoke('sweeps.run', { chainId: options.chainId });
        await report(engine, result, chainsOf(engine, options.chainId), options.wait);
      });
    });

  sweeps
    .command('list')
    .description('sweeps, newest first')
    .addOption(new Option('--status <status>', 'only sweeps in this status').choices(SweepStatuses))
    .addOption(chainIdOption(false))
    .option('--limit <n>', 'how many (default 50)', parseWholeNumber('--limit'))
    .option('--json', 'print JSON')
    .action(async (options: { status?: SweepStatus; chainId?: number; limit?: number; json?: boolean }, command: Command) => {
      await withEngine(command, {}, async (engine) => {
        const page = await engine.invoke('sweeps.list', {
          status: options.status,
          chainId: options.chainId,
          limit: options.limit,
        });
        if (options.json) return print(JSON.stringify(page, null, 2));
        if (page.items.length === 0) return print('No sweeps.');
        print(
          formatTable(
            ['ID', 'CREATED', 'CHAIN', 'KIND', 'AMOUNT', 'DEPOSITS', 'STATUS', 'GAS', 'FEE', 'TX'],
            page.items.map((s) => [
              s.id,
              shortTime(s.createdAt),
              String(s.chainId),
              s.kind,
              `${s.value} ${s.token?.symbol ?? ''}`.trim(),
              String(s.deposits),
              s.status,
              s.gasUsed === null ? '-' : String(s.gasUsed),
              s.fee ?? '-',
              s.txHash ?? '-',
            ]),
          ),
        );
        if (page.nextCursor) print(`More: till sweeps list --limit ${(options.limit ?? 50) * 2}`);
      });
    });

  sweeps
    .command('show')
    .description('one sweep: its deposits, transactions, every signed version and what it cost')
    .argument('<id>', 'sweep id from till sweeps list')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      await withEngine(command, {}, async (engine) => {
        const sweep = await engine.invoke('sweeps.get', { id });
        if (options.json) return print(JSON.stringify(sweep, null, 2));
        print(sweepLine(sweep));
        print(
          `created ${shortTime(sweep.createdAt)}, mined ${shortTime(sweep.minedAt)}, final ${shortTime(sweep.finalAt)}, trigger ${sweep.trigger}`,
        );
        if (sweep.explorerUrl) print(`explorer: ${sweep.explorerUrl}`);
        print('Deposits:');
        for (const item of sweep.items)
          print(
            `  ${item.address}  ${item.amount} planned, ${item.swept ?? '-'} swept  ${item.invoiceId ?? '-'}  ${item.reason}`,
          );
        print('Transactions:');
        for (const tx of sweep.txs) {
          print(
            `  ${tx.role} from ${tx.from} nonce ${tx.nonce}: ${tx.status}${tx.blockNumber === null ? '' : ` in block ${tx.blockNumber}`}${tx.gasUsed === null ? '' : `, gas ${tx.gasUsed}, fee ${tx.fee}`}`,
          );
          for (const a of tx.attempts)
            print(
              `    #${a.attempt} ${a.hash}  max fee ${a.maxFeeGwei} gwei, tip ${a.priorityFeeGwei} gwei, signed ${shortTime(a.signedAt)}, sent ${a.sends}×${a.lastError ? `, last error: ${a.lastError}` : ''}`,
            );
        }
      });
    });

  sweeps
    .command('bump')
    .description('replace a pending sweep’s transaction now, same nonce, fees raised (past the ceiling if need be)')
    .argument('<id>', 'sweep id from till sweeps list')
    .action(async (id: string, _options: unknown, command: Command) => {
      await withEngine(command, {}, async (engine) => {
        const sweep = await engine.invoke('sweeps.bump', { id });
        const latest = sweep.txs.find((tx) => tx.status === 'pending')?.attempts.at(-1);
        print(
          engine.sweeper.otherHolder()
            ? `Asked the Till process that sweeps to replace ${id}.`
            : latest
              ? `Sweep ${id}: version #${latest.attempt} ${latest.hash}, max fee ${latest.maxFeeGwei} gwei, tip ${latest.priorityFeeGwei} gwei.`
              : sweepLine(sweep),
        );
      });
    });

  for (const action of ['pause', 'resume'] as const) {
    sweeps
      .command(action)
      .description(action === 'pause' ? 'stop sweeping a chain by the policy ("Sweep now" still works)' : 'sweep a chain again')
      .addOption(chainIdOption(true))
      .action(async (options: { chainId: number }, command: Command) => {
        await withEngine(command, {}, async (engine) => {
          await engine.invoke(action === 'pause' ? 'sweeps.pause' : 'sweeps.resume', { chainId: options.chainId });
          print(`Sweeping on chain ${options.chainId} ${action === 'pause' ? 'paused' : 'resumed'}.`);
        });
      });
  }

  const gas = program.command('gas').description('the gas account that pays for sweeps');
  gas
    .command('show')
    .description('per chain: the gas account’s address, balance, how many sweeps it pays for, and a QR code to fund it')
    .addOption(chainIdOption(false))
    .option('--json', 'print JSON')
    .action(async (options: { chainId?: number; json?: boolean }, command: Command) => {
      await withEngine(command, {}, async (engine) => {
        const overview = await engine.invoke('sweeps.overview', {});
        const chains = overview.chains.filter((c) => options.chainId === undefined || c.chainId === options.chainId);
        if (options.json) return print(JSON.stringify({ gasAccountAddress: overview.gasAccountAddress, chains }, null, 2));
        if (!overview.gasAccountAddress) return print('No wallet yet: create or import one first (till wallet create).');
        print(`Gas account: ${overview.gasAccountAddress} (the same address on every chain)`);
        print(`Treasury: ${overview.treasury ?? 'not set — set it before sweeping (till wallet set-treasury ADDRESS)'}`);
        for (const chain of chains) {
          const account = chain.gasAccount!;
          const pays = account.sweepsAffordable === null ? '' : `, pays for about ${account.sweepsAffordable} sweeps`;
          print('');
          print(`${chain.name} (${chain.chainId}): ${account.balance ?? 'balance unknown'} ${account.symbol}${pays}`);
          print(`  ${chain.state}${chain.stateMessage ? `: ${chain.stateMessage}` : ''}`);
          print(`  Fund it: ${account.fundUri}`);
          if (chains.length === 1 || options.chainId !== undefined)
            print(await QRCode.toString(account.fundUri, { type: 'terminal', small: true, errorCorrectionLevel: 'M' }));
        }
        if (chains.length > 1) print('\nFor a QR code to scan: till gas show --chain-id ID');
      });
    });

  program
    .command('recover')
    .description('from the recovery words alone: find every deposit address that holds funds and sweep it all to the treasury')
    .addOption(chainIdOption(true))
    .option('--gap <n>', 'stop after this many unused addresses in a row (default 20)', parseWholeNumber('--gap'))
    .option('--yes', 'do not ask before sending (needed without a terminal)')
    .option('--no-wait', 'return once the transactions are sent, without waiting until they are final')
    .action(async (options: { chainId: number; gap?: number; yes?: boolean; wait: boolean }, command: Command) => {
      await withEngine(command, {}, async (engine) => {
        if (options.gap !== undefined && (options.gap < 1 || options.gap > 10_000))
          throw new TillError('VALIDATION_FAILED', '--gap must be between 1 and 10000.');
        print(`Looking at deposit addresses on chain ${options.chainId}…`);
        const scan = await engine.invoke('recover.scan', { chainId: options.chainId, gap: options.gap });
        print(`Looked at ${scan.scanned} addresses (up to ${scan.gap} unused in a row); ${scan.found.length} hold funds.`);
        for (const deposit of scan.found)
          print(
            `  #${deposit.derivationIndex} ${deposit.address}  ${deposit.balances.map((b) => `${b.amount} ${b.symbol}`).join(', ')}${deposit.delegated ? '  (delegated to Till’s sweeper)' : ''}`,
          );
        if (scan.found.length === 0) return print('Nothing to recover.');
        const ready = printPlans([scan.plan], chainNames(engine));
        if (ready === 0) return print('Nothing can be swept now (see the notes above).');
        if (!(await goAhead(options.yes, `Sweep what was found to the treasury (${ready} sweep${ready === 1 ? '' : 's'})?`)))
          return;
        const result = await engine.invoke('recover.sweep', { chainId: options.chainId });
        await report(engine, result, [options.chainId], options.wait);
      });
    });
}
