// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title TillSweeper
/// @notice The EIP-7702 delegate of Till's deposit addresses. A deposit address that delegates to
///         it can only ever send its coins to one place: the treasury fixed in this code.
/// @dev Stateless by design: no storage, no owner, no approvals, no generic call, execute or
///      delegatecall. The treasury is an immutable, so it is part of the runtime code that a
///      delegated deposit runs (EIP-7702 runs the delegate's code in the deposit's context).
///      Anyone may call both functions: whoever calls, funds can only go to the treasury.
///      Deployed once per chain and treasury; a new treasury means a new deployment.
contract TillSweeper {
    /// @notice Where every swept coin goes.
    address public immutable treasury;

    error TreasuryIsZero();
    error TransferFailed(address token);

    constructor(address treasury_) {
        if (treasury_ == address(0)) revert TreasuryIsZero();
        treasury = treasury_;
    }

    /// @notice Native coin sent to a delegated deposit still arrives; the next sweep moves it on.
    receive() external payable {}

    /// @notice Moves the whole balance of each token, then of the native coin, from this address to
    ///         the treasury. Runs as the code of a delegated deposit: address(this) is the deposit.
    /// @dev A token whose transfer fails reverts the call. A treasury that refuses the native coin
    ///      leaves it where it is, so that the tokens still move.
    function sweep(address[] calldata tokens) external {
        address to = treasury;
        for (uint256 i; i < tokens.length; ++i) _sweepToken(tokens[i], to);
        uint256 native = address(this).balance;
        if (native != 0) {
            assembly ("memory-safe") {
                pop(call(gas(), to, native, 0, 0, 0, 0))
            }
        }
    }

    /// @notice On the deployed instance: calls sweep([token]) on each deposit address. A deposit
    ///         that is not delegated (its authorization was stale, so it has no code) does nothing;
    ///         one whose sweep fails is skipped. The receipt's Transfer logs say what moved.
    function sweepBatch(address token, address[] calldata deposits) external {
        // sweep([token]) encoded once: selector, offset 0x20, length 1, token.
        bytes memory data = abi.encodeCall(TillSweeper.sweep, (_one(token)));
        uint256 length = deposits.length;
        for (uint256 i; i < length; ++i) {
            address deposit = deposits[i];
            assembly ("memory-safe") {
                pop(call(gas(), deposit, 0, add(data, 0x20), mload(data), 0, 0))
            }
        }
    }

    function _one(address token) private pure returns (address[] memory list) {
        list = new address[](1);
        list[0] = token;
    }

    /// @dev balanceOf then transfer of that balance, tolerating tokens that return no bool
    ///      (USDT on Ethereum): success is a call that did not revert and returned nothing or true.
    ///      A token address without code answers balanceOf with nothing: there is nothing to move.
    function _sweepToken(address token, address to) private {
        uint256 amount;
        bool answered;
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, 0x70a0823100000000000000000000000000000000000000000000000000000000)
            mstore(add(p, 0x04), address())
            // Yul evaluates arguments right to left: the call first, then what it returned.
            let ok := staticcall(gas(), token, p, 0x24, p, 0x20)
            answered := and(ok, gt(returndatasize(), 0x1f))
            amount := mload(p)
        }
        if (!answered || amount == 0) return;
        bool moved;
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, 0xa9059cbb00000000000000000000000000000000000000000000000000000000)
            mstore(add(p, 0x04), to)
            mstore(add(p, 0x24), amount)
            let ok := call(gas(), token, 0, p, 0x44, p, 0x20)
            moved := and(ok, or(iszero(returndatasize()), and(gt(returndatasize(), 0x1f), eq(mload(p), 1))))
        }
        if (!moved) revert TransferFailed(token);
    }
}
