/**
 * EIP-681 payment request URIs, the content of the QR code a customer's wallet scans.
 * Native: ethereum:<deposit>@<chainId>?value=<wei>
 * ERC-20: ethereum:<token>@<chainId>/transfer?address=<deposit>&uint256=<base units>
 * Values are plain integers (EIP-681 allows exponents, but several wallets misread them).
 */
export function paymentUri(options: { chainId: number; address: string; tokenAddress: string | null; amount: bigint }): string {
  if (options.tokenAddress === null) {
    return `ethereum:${options.address}@${options.chainId}?value=${options.amount}`;
  }
  return `ethereum:${options.tokenAddress}@${options.chainId}/transfer?address=${options.address}&uint256=${options.amount}`;
}
