import { Command, Option } from 'commander';
import { generateMnemonic } from '../../engine/wallet/mnemonic.ts';
import { parseKeystore } from '../engine-options.ts';
import { print, withEngine } from '../context.ts';
import { readStdin } from '../prompt.ts';

const keystoreOption = () =>
  new Option('--keystore <kind>', 'where the mnemonic is kept: os (keychain), file (passphrase-encrypted), auto')
    .default('auto')
    .argParser(parseKeystore);

export function registerWalletCommands(program: Command): void {
  const wallet = program.command('wallet').description('create, import or show the wallet that receives payments');

  wallet
    .command('create')
    .description('create a new wallet and print its 24 recovery words once')
    .addOption(keystoreOption())
    .action(async (options: { keystore: ReturnType<typeof parseKeystore> }, command: Command) => {
      await withEngine(command, { keystore: options.keystore, confirmPassphrase: true }, async (engine) => {
        const mnemonic = generateMnemonic();
        const status = await engine.invoke('wallet.create', { mnemonic });
        const words = mnemonic.split(' ');
        print('Your wallet was created. These 24 words are the ONLY way to recover its funds.');
        print('Write them on paper, in order, and keep them offline. Till will not show them again here.');
        print('Anyone who sees them can take your money.');
        print();
        for (let row = 0; row < 6; row++) {
          print(
            [0, 6, 12, 18]
              .map((column) => `${String(row + column + 1).padStart(2)}. ${words[row + column]!.padEnd(10)}`)
              .join('  '),
          );
        }
        print();
        print(`Fingerprint: ${status.fingerprint}   Keystore: ${status.keystore}`);
      });
    });

  wallet
    .command('import')
    .description('import a wallet from 12–24 recovery words read from standard input')
    .addOption(keystoreOption())
    .option('--bip39-passphrase-env <name>', 'environment variable holding an optional BIP39 passphrase')
    .action(async (options: { keystore: ReturnType<typeof parseKeystore>; bip39PassphraseEnv?: string }, command: Command) => {
      if (process.stdin.isTTY) process.stderr.write('Type or paste the recovery words, then press Ctrl-D:\n');
      const mnemonic = await readStdin();
      const bip39Passphrase = options.bip39PassphraseEnv ? process.env[options.bip39PassphraseEnv] : undefined;
      await withEngine(command, { keystore: options.keystore, confirmPassphrase: true }, async (engine) => {
        const status = await engine.invoke('wallet.import', { mnemonic, ...(bip39Passphrase ? { bip39Passphrase } : {}) });
        print(`Wallet imported. Fingerprint: ${status.fingerprint}   Keystore: ${status.keystore}`);
      });
    });

  wallet
    .command('show')
    .description('print the wallet fingerprint and its first deposit addresses (never the words)')
    .option('--count <n>', 'how many addresses to print', '5')
    .action(async (options: { count: string }, command: Command) => {
      await withEngine(command, {}, async (engine) => {
        const status = await engine.invoke('wallet.status', {});
        if (!status.exists) {
          print('No wallet yet. Create one with: till wallet create');
          process.exitCode = 3;
          return;
        }
        print(`Fingerprint:  ${status.fingerprint}`);
        print(`Keystore:     ${status.keystore}`);
        print(`Treasury:     ${status.treasury ?? '(not set: till wallet set-treasury ADDRESS)'}`);
        const gasAddress = engine.store.wallet.get()?.gasAddress;
        if (gasAddress) print(`Gas account:  ${gasAddress} (m/44'/60'/1'/0/0; pays for sweeps: till gas show)`);
        print(`Next index:   ${status.nextIndex}`);
        print("Deposit addresses (m/44'/60'/0'/0/i):");
        const count = Math.min(Math.max(Number.parseInt(options.count, 10) || 5, 1), 100);
        for (let index = 0; index < count; index++) print(`  ${String(index).padStart(3)}  ${engine.addressAt(index)}`);
      });
    });

  wallet
    .command('set-treasury')
    .description('the address (yours, outside Till) that every payment is swept to')
    .argument('<address>', 'an EVM address, 0x followed by 40 hex digits')
    .action(async (address: string, _options: unknown, command: Command) => {
      await withEngine(command, {}, async (engine) => {
        const status = await engine.invoke('wallet.setTreasury', { address });
        print(`Treasury set to ${status.treasury}. Sweeps go there from now on.`);
      });
    });
}
