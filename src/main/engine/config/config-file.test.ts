import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../../../test/fixtures/engine.ts';
import { TillError } from '../lib/errors.ts';
import { checkWebhookSecrets, loadConfigFile, parseConfig, type ConfigFile } from './config-file.ts';

const ANVIL_EXAMPLE = fileURLToPath(new URL('../../../../examples/anvil.yaml', import.meta.url));

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));
function tempDir(): string {
  const { dir, cleanup } = tempDataDir('till-config-');
  cleanups.push(cleanup);
  return dir;
}

/** The error a call throws, so a test can look at its code and message. */
function caught(run: () => unknown): TillError {
  try {
    run();
  } catch (error) {
    return error as TillError;
  }
  throw new Error('expected it to throw');
}

/** One valid YAML chain; `extra` lines go inside it (4-space indent) or after it. */
const yamlChain = (inside = '', after = '') =>
  `chains:
  - chainId: 1
    name: Ethereum
    rpcUrls: ["https://rpc.example.org"]
    confirmations: 2
    pollIntervalMs: 1000
${inside}${after}`;
const jsonChain = (override: Record<string, unknown> = {}) =>
  JSON.stringify({
    chains: [
      { chainId: 1, name: 'Ethereum', rpcUrls: ['https://rpc.example.org'], confirmations: 2, pollIntervalMs: 1000, ...override },
    ],
  });

describe('parseConfig refuses broken files, naming where and what', () => {
  const cases: [name: string, file: string, text: string, hint: RegExp][] = [
    ['a YAML syntax error, with its line', 'till.yaml', 'chains: [\n', /not valid YAML \(line 2, column 1/],
    ['a duplicate YAML key', 'till.yaml', 'chains: []\nchains: []\n', /not valid YAML .*Map keys must be unique/],
    ['tab indentation', 'till.yaml', 'chains:\n\t- chainId: 1\n', /not valid YAML .*Tabs/],
    ['an empty file', 'till.yaml', '', /the file is empty/],
    ['a file of comments only', 'till.yaml', '# nothing here\n', /the file is empty/],
    ['a list at the top', 'till.yaml', '- chainId: 1\n', /config: .*expected object/],
    ['an unknown top-level key', 'till.yaml', 'chain: []\n', /config: .*"chain"/],
    ['chains as a map', 'till.yaml', 'chains: {}\n', /chains: .*expected array/],
    [
      'a short treasury address',
      'till.yaml',
      'treasury: "0x1234"\n',
      /treasury: must be a 0x-prefixed, 40-hex-digit EVM address/,
    ],
    // YAML 1.2 reads an unquoted 0x… as a hex integer; it must be refused, never used as a number.
    [
      'an unquoted treasury address',
      'till.yaml',
      'treasury: 0x70997970C51812dc3A010C7d01b50e0d17dc79C8\n',
      /treasury: .*expected string, received number/,
    ],
    [
      'a chain without a name',
      'till.yaml',
      'chains:\n  - chainId: 1\n    rpcUrls: ["https://rpc.example.org"]\n    confirmations: 2\n    pollIntervalMs: 1000\n',
      /chains\[0\]\.name: /,
    ],
    [
      'a chainId as a string',
      'till.yaml',
      yamlChain().replace('chainId: 1', 'chainId: "one"'),
      /chains\[0\]\.chainId: .*expected number/,
    ],
    [
      'a fractional chainId',
      'till.yaml',
      yamlChain().replace('chainId: 1', 'chainId: 1.5'),
      /chains\[0\]\.chainId: must be a whole number/,
    ],
    [
      'no RPC URL',
      'till.yaml',
      yamlChain().replace('["https://rpc.example.org"]', '[]'),
      /chains\[0\]\.rpcUrls: give at least one RPC URL/,
    ],
    [
      'an RPC URL that is no URL',
      'till.yaml',
      yamlChain().replace('"https://rpc.example.org"', '"rpc.example.org"'),
      /chains\[0\]\.rpcUrls\[0\]: must be a URL/,
    ],
    [
      'an ftp RPC URL',
      'till.yaml',
      yamlChain().replace('"https://rpc.example.org"', '"https://ok.example", "ftp://rpc.example.org"'),
      /chains\[0\]\.rpcUrls\[1\]: an RPC URL must start with http:\/\/, https:\/\/, ws:\/\/ or wss:\/\//,
    ],
    [
      'zero confirmations',
      'till.yaml',
      yamlChain().replace('confirmations: 2', 'confirmations: 0'),
      /chains\[0\]\.confirmations: /,
    ],
    [
      'a 50 ms poll interval',
      'till.yaml',
      yamlChain().replace('pollIntervalMs: 1000', 'pollIntervalMs: 50'),
      /chains\[0\]\.pollIntervalMs: .*100/,
    ],
    ['an unknown chain field', 'till.yaml', yamlChain('    rpc: "https://x.example"\n'), /chains\[0\]: .*"rpc"/],
    ['enabled as a string', 'till.yaml', yamlChain('    enabled: "yes"\n'), /chains\[0\]\.enabled: .*expected boolean/],
    [
      'the same chain twice',
      'till.yaml',
      yamlChain(
        '',
        '  - chainId: 1\n    name: Again\n    rpcUrls: ["https://b.example"]\n    confirmations: 1\n    pollIntervalMs: 1000\n',
      ),
      /chains\[1\]\.chainId: chain 1 appears twice/,
    ],
    [
      'a token with a bad address',
      'till.yaml',
      yamlChain('    tokens:\n      - { symbol: USDC, address: "0xabc", decimals: 6 }\n'),
      /chains\[0\]\.tokens\[0\]\.address: must be a 0x-prefixed/,
    ],
    [
      'a token symbol with a space',
      'till.yaml',
      yamlChain(`    tokens:\n      - { symbol: "US DC", address: "0x${'a'.repeat(40)}", decimals: 6 }\n`),
      /chains\[0\]\.tokens\[0\]\.symbol: a token symbol is letters, digits/,
    ],
    [
      'a token with 40 decimals',
      'till.yaml',
      yamlChain(`    tokens:\n      - { symbol: USDC, address: "0x${'a'.repeat(40)}", decimals: 40 }\n`),
      /chains\[0\]\.tokens\[0\]\.decimals: /,
    ],
    [
      'a negative monitoring window',
      'till.yaml',
      yamlChain('', 'monitoringWindowSeconds: -5\n'),
      /monitoringWindowSeconds: monitoringWindowSeconds cannot be negative/,
    ],
    [
      'a fractional monitoring window',
      'till.yaml',
      yamlChain('', 'monitoringWindowSeconds: 1.5\n'),
      /monitoringWindowSeconds: monitoringWindowSeconds must be a whole number of seconds/,
    ],
    [
      'a webhook ftp URL',
      'till.yaml',
      yamlChain('', 'webhooks:\n  - url: "ftp://shop.example/hook"\n'),
      /webhooks\[0\]\.url: a webhook URL must start with http:\/\/ or https:\/\//,
    ],
    [
      'a short webhook secret',
      'till.yaml',
      yamlChain('', 'webhooks:\n  - url: "https://shop.example/hook"\n    secret: "short"\n'),
      /webhooks\[0\]\.secret: a webhook secret must be at least 16 characters/,
    ],
    [
      'both secret and secretEnv',
      'till.yaml',
      yamlChain(
        '',
        'webhooks:\n  - url: "https://shop.example/hook"\n    secret: "0123456789abcdef"\n    secretEnv: TILL_HOOK\n',
      ),
      /webhooks\[0\]: give either secret or secretEnv, not both/,
    ],
    [
      'a lower-case secretEnv',
      'till.yaml',
      yamlChain('', 'webhooks:\n  - url: "https://shop.example/hook"\n    secretEnv: till_hook\n'),
      /webhooks\[0\]\.secretEnv: secretEnv names an environment variable/,
    ],
    [
      'no webhook events',
      'till.yaml',
      yamlChain('', 'webhooks:\n  - url: "https://shop.example/hook"\n    events: []\n'),
      /webhooks\[0\]\.events: list at least one event type/,
    ],
    [
      'a misspelt webhook event',
      'till.yaml',
      yamlChain('', 'webhooks:\n  - url: "https://shop.example/hook"\n    events: ["invoice.confirmed", "invoice.Paid"]\n'),
      /webhooks\[0\]\.events\[1\]: an event type looks like "invoice.confirmed"/,
    ],
    ['JSON with a syntax error', 'till.json', '{"chains": [', /not valid JSON/],
    ['JSON null', 'till.json', 'null', /the file is empty/],
    ['a JSON array', 'till.JSON', '[]', /config: .*expected object/],
    [
      'JSON with a chain missing fields',
      'till.json',
      '{"chains":[{"chainId":1}]}',
      /chains\[0\]\.name: .*chains\[0\]\.rpcUrls: .*chains\[0\]\.confirmations: .*chains\[0\]\.pollIntervalMs: /,
    ],
    [
      'JSON with an ws-less RPC URL',
      'till.json',
      jsonChain({ rpcUrls: ['mailto:x@example.org'] }),
      /chains\[0\]\.rpcUrls\[0\]: an RPC URL must start with/,
    ],
    ['JSON with a negative startBlock', 'till.json', jsonChain({ startBlock: -1 }), /chains\[0\]\.startBlock: /],
  ];

  it.each(cases)('refuses %s', (_name, file, text, hint) => {
    const error = caught(() => parseConfig(text, file));
    expect(error).toBeInstanceOf(TillError);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message.startsWith(`${file}: `)).toBe(true);
    expect(error.message).toMatch(hint);
  });

  it('lists each problem with its path in details', () => {
    const error = caught(() => parseConfig(jsonChain({ rpcUrls: ['nope'], confirmations: 0 }), 'till.json'));
    expect(error.details).toEqual(
      expect.arrayContaining([
        { path: 'chains[0].rpcUrls[0]', message: expect.stringContaining('must be a URL') },
        { path: 'chains[0].confirmations', message: expect.any(String) },
      ]),
    );
  });

  // BUG: document.toJS() throws a ReferenceError for an alias bomb ("billion laughs"), which
  // escapes parseConfig; `till config check` then prints "Unexpected error" with a stack, exit 1.
  it('refuses a YAML alias bomb as CONFIG_INVALID', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    ].join('\n');
    const error = caught(() => parseConfig(bomb, 'till.yaml'));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(/^till\.yaml: /);
  });
});

describe('loadConfigFile', () => {
  it('refuses a missing file, naming it and the reason', () => {
    const file = join(tempDir(), 'missing.yaml');
    const error = caught(() => loadConfigFile(file));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe(`${file}: cannot read the file (ENOENT).`);
  });

  it('refuses a directory', () => {
    const dir = join(tempDir(), 'config.yaml');
    mkdirSync(dir);
    const error = caught(() => loadConfigFile(dir));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe(`${dir}: cannot read the file (EISDIR).`);
  });

  it('refuses a broken file on disk with the path inside it', () => {
    const file = join(tempDir(), 'till.yaml');
    writeFileSync(file, yamlChain().replace('"https://rpc.example.org"', '"not a url"'));
    const error = caught(() => loadConfigFile(file));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message.startsWith(`${file}: chains[0].rpcUrls[0]: must be a URL such as https://rpc.example.org`)).toBe(true);
  });

  it('reads a valid JSON file from disk', () => {
    const file = join(tempDir(), 'till.json');
    writeFileSync(file, jsonChain());
    expect(loadConfigFile(file).chains.map((chain) => chain.chainId)).toEqual([1]);
  });

  it('accepts examples/anvil.yaml', () => {
    const config = loadConfigFile(ANVIL_EXAMPLE);
    expect(config).toEqual({
      treasury: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
      chains: [
        {
          chainId: 31337,
          name: 'Anvil',
          rpcUrls: ['http://127.0.0.1:8545'],
          confirmations: 2,
          pollIntervalMs: 1000,
          startBlock: 0,
          nativeDetection: 'auto',
          tokens: [],
        },
      ],
      webhooks: [],
    });
  });
});

describe('parseConfig accepts valid files', () => {
  const expected: ConfigFile = {
    treasury: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    chains: [
      {
        chainId: 8453,
        name: 'Base',
        rpcUrls: ['https://mainnet.base.org', 'wss://base.example/ws'],
        confirmations: 5,
        pollIntervalMs: 2000,
        enabled: true,
        tokens: [{ symbol: 'USDC', address: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913', decimals: 6 }],
      },
    ],
    webhooks: [
      { url: 'https://shop.example/till', secretEnv: 'TILL_WEBHOOK_SECRET', events: ['invoice.confirmed', 'invoice.expired'] },
      { url: 'http://localhost:3000/hook', secret: '0123456789abcdef', events: ['*'] },
    ],
  };

  it('parses YAML, filling in default webhook events', () => {
    const yaml = `# Till on Base
treasury: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
chains:
  - chainId: 8453
    name: Base
    rpcUrls:
      - https://mainnet.base.org
      - wss://base.example/ws
    confirmations: 5
    pollIntervalMs: 2000
    enabled: true
    tokens:
      - symbol: USDC
        address: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"
        decimals: 6
webhooks:
  - url: https://shop.example/till
    secretEnv: TILL_WEBHOOK_SECRET
    events: [invoice.confirmed, invoice.expired]
  - url: http://localhost:3000/hook
    secret: "0123456789abcdef"
`;
    expect(parseConfig(yaml, 'till.yml')).toEqual(expected);
  });

  it('parses the same config as JSON', () => {
    const json = JSON.stringify({
      ...expected,
      webhooks: [expected.webhooks[0], { url: 'http://localhost:3000/hook', secret: '0123456789abcdef' }],
    });
    expect(parseConfig(json, 'till.json')).toEqual(expected);
  });

  it('reads webhook events as a set: "*" takes in the rest, repeats go', () => {
    const hooks = (events: string[]) =>
      parseConfig(JSON.stringify({ webhooks: [{ url: 'https://shop.example/till', events }] }), 'till.json').webhooks[0]!.events;
    expect(hooks(['invoice.confirmed', '*', 'ping'])).toEqual(['*']);
    expect(hooks(['invoice.confirmed', 'invoice.expired', 'invoice.confirmed'])).toEqual([
      'invoice.confirmed',
      'invoice.expired',
    ]);
  });

  it('defaults chains and webhooks to empty lists', () => {
    expect(parseConfig('treasury: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"\n', 'till.yaml')).toEqual({
      treasury: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
      chains: [],
      webhooks: [],
    });
  });
});

describe('checkWebhookSecrets', () => {
  const config = parseConfig(
    yamlChain(
      '',
      'webhooks:\n  - url: "https://a.example"\n    secret: "0123456789abcdef"\n  - url: "https://b.example"\n    secretEnv: SHOP_HOOK_SECRET\n',
    ),
    'till.yaml',
  );

  it('refuses a secretEnv whose variable is not set, naming the webhook and the variable', () => {
    const error = caught(() => checkWebhookSecrets(config, 'till.yaml', {}));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe('till.yaml: webhooks[1].secretEnv: the environment variable SHOP_HOOK_SECRET is not set.');
  });

  it('refuses a secretEnv whose variable is empty', () => {
    expect(caught(() => checkWebhookSecrets(config, 'till.yaml', { SHOP_HOOK_SECRET: '' })).code).toBe('CONFIG_INVALID');
  });

  it('accepts it once the variable is set', () => {
    expect(() => checkWebhookSecrets(config, 'till.yaml', { SHOP_HOOK_SECRET: 'a-long-enough-secret' })).not.toThrow();
  });
});
