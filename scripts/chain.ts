// A newcomer's remote control for a local anvil chain: pay an invoice, mine, force a reorg.
//   npm run chain -- pay <address> <amount> [--rpc URL]        native coin from anvil's first account
//   npm run chain -- pay-token <token> <address> <amount>      ERC-20 (6 decimals unless --decimals)
//   npm run chain -- deploy-token [--symbol USDC] [--decimals 6]
//   npm run chain -- deploy-feed <PAIR> <price>                a Chainlink stand-in, e.g. deploy-feed EUR/USD 1.0888
//   npm run chain -- balance <address> [--token <token>]       native coin, or an ERC-20 (6 decimals unless --decimals)
//   npm run chain -- mine [n]
//   npm run chain -- reorg <depth>                             replace the last <depth> blocks (drops their transactions)
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { decodeFunctionResult, encodeFunctionData, formatUnits, parseUnits, type Hex } from 'viem';

const USAGE = `usage: npm run chain -- <command> [--rpc URL]
  pay <address> <amount>                native coin (ETH) from anvil's first account
  pay-token <token> <address> <amount>  ERC-20, minted to the sender first (--decimals 6)
  deploy-token                          a test ERC-20 (--symbol USDC --decimals 6)
  deploy-feed <PAIR> <price>            a test Chainlink price feed, e.g. deploy-feed EUR/USD 1.0888
  balance <address> [--token T]         native coin (ETH), or the ERC-20 at T (--decimals 6)
  mine [n]                              mine n blocks (default 1)
  reorg <depth>                         replace the newest <depth> blocks, dropping their transactions`;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      rpc: { type: 'string', default: 'http://127.0.0.1:8545' },
      decimals: { type: 'string', default: '6' },
      symbol: { type: 'string', default: 'USDC' },
      token: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
} catch (error) {
  fail((error as Error).message.split('.')[0]!);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const rpcUrl = values.rpc!;
let id = 0;
async function rpc<T>(method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}
const token = JSON.parse(readFileSync(new URL('../resources/contracts/TestToken.json', import.meta.url), 'utf8')) as {
  abi: unknown[];
  bytecode: Hex;
};

async function send(tx: { to?: string; value?: bigint; data?: Hex }): Promise<string> {
  const [from] = await rpc<string[]>('eth_accounts');
  const hash = await rpc<string>('eth_sendTransaction', [
    { from, to: tx.to, value: tx.value ? `0x${tx.value.toString(16)}` : undefined, data: tx.data },
  ]);
  for (;;) {
    const receipt = await rpc<{ status: string; blockNumber: string; contractAddress: string | null } | null>(
      'eth_getTransactionReceipt',
      [hash],
    );
    if (receipt) {
      console.log(`tx ${hash} in block ${Number(receipt.blockNumber)} (${receipt.status === '0x1' ? 'ok' : 'reverted'})`);
      return receipt.contractAddress ?? hash;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const feed = JSON.parse(readFileSync(new URL('../resources/contracts/MockAggregator.json', import.meta.url), 'utf8')) as {
  abi: unknown[];
  bytecode: Hex;
};

const [command, ...args] = positionals;
const decimals = Number(values.decimals);
const need = (count: number, what: string) => {
  if (args.length < count) fail(`${command} needs ${what}`);
};
try {
  switch (command) {
    case 'pay':
      need(2, 'an address and an amount, e.g. pay 0xAbc… 0.05');
      await send({ to: args[0], value: parseUnits(args[1]!, 18) });
      break;
    case 'deploy-token': {
      const { encodeDeployData } = await import('viem');
      const data = encodeDeployData({
        abi: token.abi,
        bytecode: token.bytecode,
        args: [`Test ${values.symbol}`, values.symbol!, decimals],
      });
      console.log(`token ${values.symbol} deployed at ${await send({ data })}`);
      break;
    }
    case 'deploy-feed': {
      need(2, 'a pair and a price, e.g. deploy-feed EUR/USD 1.0888');
      if (!/^[A-Z0-9.]{2,16}\/USD$/.test(args[0]!)) fail('the pair is written SYMBOL/USD, e.g. EUR/USD or ETH/USD');
      const { encodeDeployData } = await import('viem');
      // Chainlink's USD feeds answer with 8 decimals; the mock's round is "now" (the block's time).
      const data = encodeDeployData({
        abi: feed.abi,
        bytecode: feed.bytecode,
        args: [8, args[0]!.replace('/', ' / '), parseUnits(args[1]!, 8)],
      });
      const address = await send({ data });
      console.log(`feed ${args[0]} = ${args[1]} deployed at ${address}; in the config under the chain's priceFeeds:`);
      console.log(`      ${args[0]}: { address: "${address}", heartbeatSeconds: 86400 }`);
      break;
    }
    case 'pay-token': {
      need(3, 'a token address, a recipient and an amount');
      const [from] = await rpc<string[]>('eth_accounts');
      const amount = parseUnits(args[2]!, decimals);
      await send({ to: args[0], data: encodeFunctionData({ abi: token.abi, functionName: 'mint', args: [from, amount] }) });
      await send({
        to: args[0],
        data: encodeFunctionData({ abi: token.abi, functionName: 'transfer', args: [args[1], amount] }),
      });
      break;
    }
    case 'balance': {
      need(1, 'an address, e.g. balance 0xAbc… [--token 0xTok…]');
      if (values.token) {
        const data = encodeFunctionData({ abi: token.abi, functionName: 'balanceOf', args: [args[0]] });
        const answer = await rpc<Hex>('eth_call', [{ to: values.token, data }, 'latest']);
        const units = decodeFunctionResult({ abi: token.abi, functionName: 'balanceOf', data: answer }) as bigint;
        console.log(`${formatUnits(units, decimals)} (${units} base units)`);
      } else {
        const wei = BigInt(await rpc<string>('eth_getBalance', [args[0], 'latest']));
        console.log(`${formatUnits(wei, 18)} ETH (${wei} wei)`);
      }
      break;
    }
    case 'mine':
      await rpc('anvil_mine', [`0x${Number(args[0] ?? 1).toString(16)}`]);
      console.log(`head is now ${Number(BigInt(await rpc<string>('eth_blockNumber')))}`);
      break;
    case 'reorg':
      await rpc('anvil_reorg', [Number(args[0] ?? 1), []]);
      console.log(`replaced the last ${args[0] ?? 1} block(s); head ${Number(BigInt(await rpc<string>('eth_blockNumber')))}`);
      break;
    default:
      fail(command ? `unknown command "${command}"` : 'no command given');
  }
} catch (error) {
  const message = (error as Error).message ?? String(error);
  console.error(/fetch failed/.test(message) ? `cannot reach the chain at ${rpcUrl}: is anvil running (npx anvil)?` : message);
  process.exitCode = 1;
}
