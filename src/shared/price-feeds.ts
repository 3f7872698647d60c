/**
 * Chainlink price feeds preset per chain (proxy addresses from Chainlink's published list at
 * docs.chain.link/data-feeds/price-feeds/addresses, with each feed's heartbeat). A chain's
 * `priceFeeds` in the config file or settings adds to or replaces these. Chains without a preset
 * for a fiat currency read it from another enabled chain that has one (fiat rates are the same
 * everywhere); Polygon and BNB Chain have no presets yet: their feeds' heartbeats were not
 * verified, so a merchant there names the feeds in the config.
 */
import type { PriceFeeds } from './prices.ts';

const DAY = 86_400;

export const PRICE_FEED_PRESETS: Readonly<Record<number, PriceFeeds>> = {
  // Ethereum
  1: {
    'ETH/USD': { address: '0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419', heartbeatSeconds: 3600 },
    'USDC/USD': { address: '0x8fFfFfd4AfB6115b954Bd326cbe7B4BA576818f6', heartbeatSeconds: DAY },
    'USDT/USD': { address: '0x3E7d1eAB13ad0104d2750B8863b489D65364e32D', heartbeatSeconds: DAY },
    'EUR/USD': { address: '0xb49f677943BC038e9857d61E7d053CaA2C1734C1', heartbeatSeconds: DAY },
    'GBP/USD': { address: '0x5c0Ab2d9b5a7ed9f470386e82BB36A3613cDd4b5', heartbeatSeconds: DAY },
    'CHF/USD': { address: '0x449d117117838fFA61263B61dA6301AA2a88B13A', heartbeatSeconds: DAY },
    'JPY/USD': { address: '0xBcE206caE7f0ec07b545EddE332A47C2F75bbeb3', heartbeatSeconds: DAY },
    'CAD/USD': { address: '0xa34317DB73e77d453b1B8d04550c44D10e981C8e', heartbeatSeconds: DAY },
    'AUD/USD': { address: '0x77F9710E7d0A19669A13c055F62cd80d313dF022', heartbeatSeconds: DAY },
  },
  // Base
  8453: {
    'ETH/USD': { address: '0x71041dddad3595F9CEd3DcCFBe3D1F4b0a16Bb70', heartbeatSeconds: 1200 },
    'USDC/USD': { address: '0x7e860098F58bBFC8648a4311b374B1D669a2bc6B', heartbeatSeconds: DAY },
    'USDT/USD': { address: '0xf19d560eB8d2ADf07BD6D13ed03e1D11215721F9', heartbeatSeconds: DAY },
    'EUR/USD': { address: '0xc91D87E81faB8f93699ECf7Ee9B44D11e1D53F0F', heartbeatSeconds: DAY },
    'GBP/USD': { address: '0xCceA6576904C118037695eB71195a5425E69Fa15', heartbeatSeconds: DAY },
    'CAD/USD': { address: '0xA840145F87572E82519d578b1F36340368a25D5d', heartbeatSeconds: DAY },
    'AUD/USD': { address: '0x46e51B8cA41d709928EdA9Ae43e42193E6CDf229', heartbeatSeconds: DAY },
  },
  // Arbitrum One
  42161: {
    'ETH/USD': { address: '0x639Fe6ab55C921f74e7fac1ee960C0B6293ba612', heartbeatSeconds: DAY },
    'USDC/USD': { address: '0x50834F3163758fcC1Df9973b6e91f0F0F0434aD3', heartbeatSeconds: DAY },
    'USDT/USD': { address: '0x3f3f5dF88dC9F13eac63DF89EC16ef6e7E25DdE7', heartbeatSeconds: DAY },
  },
  // OP Mainnet
  10: {
    'ETH/USD': { address: '0x13e3Ee699D1909E989722E753853AE30b17e08c5', heartbeatSeconds: 1200 },
    'USDC/USD': { address: '0x16a9FA2FDa030272Ce99B29CF780dFA30361E0f3', heartbeatSeconds: DAY },
    'USDT/USD': { address: '0xECef79E109e997bCA29c1c0897ec9d7b03647F5E', heartbeatSeconds: DAY },
  },
};

/** The feeds Till uses on a chain: the preset, then the merchant's own on top. */
export function priceFeedsFor(chainId: number, configured: PriceFeeds = {}): PriceFeeds {
  return { ...(PRICE_FEED_PRESETS[chainId] ?? {}), ...configured };
}
