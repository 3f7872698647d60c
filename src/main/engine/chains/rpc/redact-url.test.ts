import { describe, expect, it } from 'vitest';
import { redactText, redactUrl } from './redact-url.ts';

describe('redactUrl', () => {
  it.each([
    ['https://eth-mainnet.g.alchemy.com/v2/aBcD3fGh1jKlMnOpQrStUvWxYz012345', 'https://eth-mainnet.g.alchemy.com/v2/••••'],
    ['https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef', 'https://mainnet.infura.io/v3/••••'],
    ['https://red-wild-sea.quiknode.pro/4f5e6d7c8b9a0f1e2d3c4b5a69788796a5b4c3d2/', 'https://red-wild-sea.quiknode.pro/••••/'],
    [
      'https://rpc.ankr.com/eth/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      'https://rpc.ankr.com/eth/••••',
    ],
    [
      'https://polygon.example.com/rpc?apikey=s3cr3t&network=mainnet',
      'https://polygon.example.com/rpc?apikey=••••&network=mainnet',
    ],
    ['https://user:hunter2@node.example.com:8545/', 'https://node.example.com:8545'],
    ['http://127.0.0.1:8545', 'http://127.0.0.1:8545'],
    ['https://cloudflare-eth.com/v1/mainnet', 'https://cloudflare-eth.com/v1/mainnet'],
    ['not a url', '••••'],
  ])('redacts %s', (raw, expected) => {
    expect(redactUrl(raw)).toBe(expected);
  });

  it('removes the key from an error message that quotes the URL', () => {
    const url = 'https://eth-mainnet.g.alchemy.com/v2/aBcD3fGh1jKlMnOpQrStUvWxYz012345';
    expect(redactText(`request to ${url} failed; key aBcD3fGh1jKlMnOpQrStUvWxYz012345 invalid`, url)).toBe(
      'request to https://eth-mainnet.g.alchemy.com/v2/•••• failed; key •••• invalid',
    );
  });
});
