import { Command, Option } from 'commander';
import { TillError } from '../../engine/lib/errors.ts';
import { print, withEngine } from '../context.ts';

export const parseWholeNumber =
  (flag: string) =>
  (value: string): number => {
    if (!/^\d{1,15}$/.test(value))
      throw new TillError('VALIDATION_FAILED', `${flag} must be a whole number (got "${value.slice(0, 20)}").`);
    return Number(value);
  };

const chainIdOption = () =>
  new Option('--chain-id <id>', 'the chain id, e.g. 8453 for Base')
    .makeOptionMandatory()
    .argParser(parseWholeNumber('--chain-id'));

export function registerChainCommands(program: Command): void {
  const chains = program.command('chains').description('chain scanning: health, rescan, pause, resume, test an RPC URL');

  chains
    .command('health')
    .description('per chain: scan state, head, last scanned block, lag, endpoints (as stored; live figures while till runs)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withEngine(command, {}, async (engine) => {
        const health = await engine.invoke('chains.health', {});
        if (options.json) return print(JSON.stringify(health, null, 2));
        if (health.length === 0) return print('No chains configured. Add one in the app or with till serve --config.');
        for (const chain of health) {
          print(
            `${chain.chainId}  ${chain.name}  ${chain.state}  last scanned ${chain.lastScannedBlock ?? '-'}  (updated ${chain.lastSuccessfulScanAt ?? 'never'})`,
          );
        }
      });
    });

  chains
    .command('rescan')
    .description('scan a chain again from a block (never counts a payment twice)')
    .addOption(chainIdOption())
    .addOption(
      new Option('--from-block <n>', 'first block to scan again')
        .makeOptionMandatory()
        .argParser(parseWholeNumber('--from-block')),
    )
    .action(async (options: { chainId: number; fromBlock: number }, command: Command) => {
      await withEngine(command, {}, async (engine) => {
        await engine.invoke('chains.rescan', { chainId: options.chainId, fromBlock: options.fromBlock });
        print(
          `Chain ${options.chainId} will be scanned again from block ${options.fromBlock}. A running Till picks it up within its poll interval.`,
        );
      });
    });

  for (const action of ['pause', 'resume'] as const) {
    chains
      .command(action)
      .description(action === 'pause' ? 'stop scanning a chain (it keeps its position)' : 'continue scanning a paused chain')
      .addOption(chainIdOption())
      .action(async (options: { chainId: number }, command: Command) => {
        await withEngine(command, {}, async (engine) => {
          const chain = await engine.invoke(action === 'pause' ? 'chains.pause' : 'chains.resume', { chainId: options.chainId });
          print(`${chain.name} (${chain.chainId}) scanning ${chain.paused ? 'paused' : 'resumed'}.`);
        });
      });
  }

  chains
    .command('test-rpc')
    .description('check an RPC URL before saving it: chain id, head, latency, accepted eth_getLogs range')
    .addOption(chainIdOption())
    .requiredOption('--url <url>', 'the RPC URL to test')
    .action(async (options: { chainId: number; url: string }, command: Command) => {
      await withEngine(command, {}, async (engine) => {
        const result = await engine.invoke('chains.testRpc', { chainId: options.chainId, url: options.url });
        print(result.ok ? 'OK' : 'NOT USABLE');
        print(
          `chain id ${result.chainId ?? '-'}, head ${result.head ?? '-'}, latency ${result.latencyMs ?? '-'} ms, eth_getLogs range accepted ${result.logRangeAccepted ?? '-'} blocks`,
        );
        for (const problem of result.problems) print(`- ${problem}`);
        if (!result.ok) process.exitCode = 3;
      });
    });
}
