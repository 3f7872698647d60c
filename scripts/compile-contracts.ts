/**
 * Compiles the test contracts in resources/contracts/*.sol with solc (npm, pinned in package.json) and
 * writes resources/contracts/<Name>.json. The JSON files are checked in so tests never need to compile.
 *
 *   node scripts/compile-contracts.ts          # (re)write the JSON artifacts
 *   node scripts/compile-contracts.ts --check  # exit 1 if a checked-in artifact is stale
 *
 * Output is stable: same sources + same solc give byte-identical files.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import solc from 'solc';

const CONTRACTS_DIR = fileURLToPath(new URL('../resources/contracts/', import.meta.url));
const CONTRACTS = [
  'TestToken',
  'Forwarder',
  'Multicall3Lite',
  'NoBoolToken',
  'TillSweeper',
  'MockAggregator',
  'BalanceProbe',
  'BlockHashes',
] as const;

// anvil 1.x defaults to the latest hardfork (prague+); cancun is supported by it and by every chain we test against.
const SETTINGS = {
  evmVersion: 'cancun',
  optimizer: { enabled: true, runs: 200 },
  outputSelection: {
    '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object', 'evm.deployedBytecode.immutableReferences'] },
  },
} as const;

interface SolcError {
  severity: 'error' | 'warning' | 'info';
  formattedMessage: string;
}
interface SolcContract {
  abi: unknown[];
  evm: {
    bytecode: { object: string };
    deployedBytecode: { object: string; immutableReferences?: Record<string, { start: number; length: number }[]> };
  };
}
interface SolcOutput {
  errors?: SolcError[];
  contracts?: Record<string, Record<string, SolcContract>>;
}

export interface ContractArtifact {
  contractName: string;
  generatedBy: string;
  abi: unknown[];
  bytecode: `0x${string}`;
  deployedBytecode: `0x${string}`;
  /** Byte ranges of the runtime code that the constructor fills with immutables (all of them, in order). */
  immutableRanges: { start: number; length: number }[];
  compiler: { version: string; settings: typeof SETTINGS };
}

async function compile(): Promise<Map<string, string>> {
  const sources: Record<string, { content: string }> = {};
  for (const name of CONTRACTS) sources[`${name}.sol`] = { content: await readFile(`${CONTRACTS_DIR}${name}.sol`, 'utf8') };
  const input = { language: 'Solidity', sources, settings: SETTINGS };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;

  const problems = output.errors ?? [];
  for (const problem of problems) console.error(problem.formattedMessage);
  if (problems.some((problem) => problem.severity === 'error')) throw new Error('solc reported errors');
  // Test contracts should compile cleanly; a warning is a finding, not noise.
  if (problems.some((problem) => problem.severity === 'warning')) throw new Error('solc reported warnings');

  const version: string = solc.version();
  const files = new Map<string, string>();
  for (const name of CONTRACTS) {
    const contract = output.contracts?.[`${name}.sol`]?.[name];
    if (!contract) throw new Error(`solc produced no output for ${name}`);
    const artifact: ContractArtifact = {
      contractName: name,
      generatedBy: 'scripts/compile-contracts.ts',
      abi: contract.abi,
      bytecode: `0x${contract.evm.bytecode.object}`,
      deployedBytecode: `0x${contract.evm.deployedBytecode.object}`,
      immutableRanges: Object.values(contract.evm.deployedBytecode.immutableReferences ?? {})
        .flat()
        .sort((a, b) => a.start - b.start),
      compiler: { version, settings: SETTINGS },
    };
    files.set(`${CONTRACTS_DIR}${name}.json`, `${JSON.stringify(artifact, null, 2)}\n`);
  }
  return files;
}

const check = process.argv.includes('--check');
const files = await compile();
let changed = 0;
for (const [path, text] of files) {
  const current = await readFile(path, 'utf8').catch(() => null);
  if (current === text) continue;
  changed++;
  if (check) console.error(`stale: ${path}`);
  else {
    await writeFile(path, text);
    console.log(`wrote ${path}`);
  }
}
if (check && changed) {
  console.error('run `node scripts/compile-contracts.ts` and commit the result');
  process.exit(1);
}
console.log(`${files.size - (check ? 0 : changed)} of ${files.size} artifacts already up to date (solc ${solc.version()})`);
