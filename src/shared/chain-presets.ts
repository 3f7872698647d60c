/**
 * Chains Till knows out of the box, with the canonical USDC/USDT contracts (issuer-listed
 * addresses; BNB Chain's Binance-Peg stablecoins have 18 decimals, not 6). RPC URLs are public
 * endpoints a merchant can start with and should replace with their own provider's.
 * Confirmation depths are conservative defaults for payments at a counter.
 */
export interface ChainPreset {
  chainId: number;
  name: string;
  nativeSymbol: string;
  nativeDecimals: number;
  rpcUrls: string[];
  confirmations: number;
  pollIntervalMs: number;
  /** Block explorer; transactions are linked as `${explorerUrl}/tx/${hash}`. */
  explorerUrl: string;
  tokens: { symbol: string; address: `0x${string}`; decimals: number }[];
}

export const chainPresets: ChainPreset[] = [
  {
    chainId: 1,
    name: 'Ethereum',
    nativeSymbol: 'ETH',
    nativeDecimals: 18,
    rpcUrls: ['https://ethereum-rpc.publicnode.com'],
    confirmations: 12,
    pollIntervalMs: 12_000,
    explorerUrl: 'https://etherscan.io',
    tokens: [
      { symbol: 'USDC', address: '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48', decimals: 6 },
      { symbol: 'USDT', address: '0xdAC17F958D2ee523a2206206994597C13D831ec7', decimals: 6 },
    ],
  },
  {
    chainId: 8453,
    name: 'Base',
    nativeSymbol: 'ETH',
    nativeDecimals: 18,
    rpcUrls: ['https://mainnet.base.org'],
    confirmations: 15,
    pollIntervalMs: 2_000,
    explorerUrl: 'https://basescan.org',
    tokens: [
      { symbol: 'USDC', address: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913', decimals: 6 },
      { symbol: 'USDT', address: '0xfde4C96c8593536E31F229EA8f37b2ADa2699bb2', decimals: 6 },
    ],
  },
  {
    chainId: 42161,
    name: 'Arbitrum One',
    nativeSymbol: 'ETH',
    nativeDecimals: 18,
    rpcUrls: ['https://arb1.arbitrum.io/rpc'],
    confirmations: 20,
    pollIntervalMs: 2_000,
    explorerUrl: 'https://arbiscan.io',
    tokens: [
      { symbol: 'USDC', address: '0xaf88d065e77c8cC2239327C5EDb3A432268e5831', decimals: 6 },
      { symbol: 'USDT', address: '0xFd086bC7CD5C481DCC9C85ebE478A1C0b69FCbb9', decimals: 6 },
    ],
  },
  {
    chainId: 10,
    name: 'Optimism',
    nativeSymbol: 'ETH',
    nativeDecimals: 18,
    rpcUrls: ['https://mainnet.optimism.io'],
    confirmations: 15,
    pollIntervalMs: 2_000,
    explorerUrl: 'https://optimistic.etherscan.io',
    tokens: [
      { symbol: 'USDC', address: '0x0b2C639c533813f4Aa9D7837CAf62653d097Ff85', decimals: 6 },
      { symbol: 'USDT', address: '0x94b008aA00579c1307B0EF2c499aD98a8ce58e58', decimals: 6 },
    ],
  },
  {
    chainId: 137,
    name: 'Polygon PoS',
    nativeSymbol: 'POL',
    nativeDecimals: 18,
    rpcUrls: ['https://polygon-rpc.com'],
    confirmations: 64,
    pollIntervalMs: 2_000,
    explorerUrl: 'https://polygonscan.com',
    tokens: [
      { symbol: 'USDC', address: '0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359', decimals: 6 },
      { symbol: 'USDT', address: '0xc2132D05D31c914a87C6611C10748AEb04B58e8F', decimals: 6 },
    ],
  },
  {
    chainId: 56,
    name: 'BNB Chain',
    nativeSymbol: 'BNB',
    nativeDecimals: 18,
    rpcUrls: ['https://bsc-dataseed.bnbchain.org'],
    confirmations: 15,
    pollIntervalMs: 3_000,
    explorerUrl: 'https://bscscan.com',
    tokens: [
      { symbol: 'USDC', address: '0x8AC76a51cc950d9822D68b83fE1Ad97B32Cd580d', decimals: 18 },
      { symbol: 'USDT', address: '0x55d398326f99059fF775485246999027B3197955', decimals: 18 },
    ],
  },
];

export function findChainPreset(chainId: number): ChainPreset | undefined {
  return chainPresets.find((preset) => preset.chainId === chainId);
}

/** Link to a transaction on the chain's block explorer, when Till knows one. */
export function explorerTxUrl(chainId: number, hash: string): string | null {
  const preset = findChainPreset(chainId);
  return preset ? `${preset.explorerUrl}/tx/${hash}` : null;
}
