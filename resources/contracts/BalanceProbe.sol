// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title BalanceProbe
/// @notice Read-only code that Till runs through eth_call's state override (it is never
///         deployed): native balances of many addresses in one call, either listed or reduced to
///         one keccak-256 digest per group, so that watching 10,000 deposit addresses costs a few
///         hundred bytes per poll instead of 32 bytes per address.
/// @dev    Calldata is packed to halve what is uploaded: 32 bytes `groupSize` (0: list the
///         balances), then the addresses, 20 bytes each. With groupSize > 0 the answer is one
///         32-byte keccak256(balance_1 ‖ … ‖ balance_k) per group of groupSize addresses (the
///         last group may be shorter); with 0 it is the 32-byte balances in order.
contract BalanceProbe {
    fallback(bytes calldata) external returns (bytes memory) {
        assembly {
            let groupSize := calldataload(0)
            let count := div(sub(calldatasize(), 32), 20)
            // Balances at `list`, then the digests (if asked) right after them.
            let list := mload(0x40)
            for { let i := 0 } lt(i, count) { i := add(i, 1) } {
                let account := shr(96, calldataload(add(32, mul(i, 20))))
                mstore(add(list, mul(i, 32)), balance(account))
            }
            let listEnd := add(list, mul(count, 32))
            if iszero(groupSize) { return(list, sub(listEnd, list)) }
            let out := listEnd
            for { let start := 0 } lt(start, count) { start := add(start, groupSize) } {
                let end := add(start, groupSize)
                if gt(end, count) { end := count }
                mstore(out, keccak256(add(list, mul(start, 32)), mul(sub(end, start), 32)))
                out := add(out, 32)
            }
            return(listEnd, sub(out, listEnd))
        }
    }
}
