import { Command, CommanderError, Option } from 'commander';
import { TILL_VERSION } from '../engine/lib/version.ts';
import { TillError } from '../engine/lib/errors.ts';
import { registerApiKeyCommands } from './commands/apikey.ts';
import { registerConfigCommands } from './commands/config.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerWalletCommands } from './commands/wallet.ts';
import { registerChainCommands } from './commands/chains.ts';
import { registerInvoiceCommands } from './commands/invoices.ts';
import { registerAlertCommands } from './commands/alerts.ts';
import { registerWebhookCommands } from './commands/webhooks.ts';
import { registerSweepCommands } from './commands/sweeps.ts';
import { registerBackupCommands } from './commands/backup.ts';
import { registerExportCommand } from './commands/export.ts';
import { registerDoctorCommand } from './commands/doctor.ts';

/**
 * `till`: the engine without a window. Command names and options are a contract that scripts
 * depend on; add, never rename.
 */
export function buildProgram(): Command {
  const program = new Command('till')
    .description('Till: take crypto payments on EVM chains into a wallet only you control.')
    .version(TILL_VERSION)
    .addOption(new Option('--data-dir <dir>', 'data folder (default: the desktop app’s; env TILL_DATA_DIR)'))
    .showHelpAfterError()
    .exitOverride();
  registerWalletCommands(program);
  registerApiKeyCommands(program);
  registerConfigCommands(program);
  registerChainCommands(program);
  registerInvoiceCommands(program);
  registerAlertCommands(program);
  registerWebhookCommands(program);
  registerSweepCommands(program);
  registerBackupCommands(program);
  registerExportCommand(program);
  registerDoctorCommand(program);
  registerServeCommand(program);
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof TillError) {
      process.stderr.write(`Error [${error.code}]: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`Unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}

process.exitCode = await runCli(process.argv);
