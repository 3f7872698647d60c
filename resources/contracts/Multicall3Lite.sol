// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title Multicall3Lite
/// @notice Our own minimal contract with the same ABI as the canonical Multicall3
///         (0xcA11bde05977b3631167028862bE2a173976CA11) for aggregate3, getEthBalance,
///         getBlockNumber and getBlockHash. No constructor and no immutables, so its runtime
///         bytecode can be installed anywhere with anvil_setCode.
contract Multicall3Lite {
    struct Call3 {
        address target;
        bool allowFailure;
        bytes callData;
    }

    struct Result {
        bool success;
        bytes returnData;
    }

    function aggregate3(Call3[] calldata calls) external payable returns (Result[] memory returnData) {
        uint256 length = calls.length;
        returnData = new Result[](length);
        for (uint256 i = 0; i < length; ++i) {
            Call3 calldata call = calls[i];
            Result memory result = returnData[i];
            (result.success, result.returnData) = call.target.call(call.callData);
            if (!call.allowFailure && !result.success) revert("Multicall3: call failed");
        }
    }

    function getEthBalance(address addr) external view returns (uint256 balance) {
        balance = addr.balance;
    }

    function getBlockNumber() external view returns (uint256 blockNumber) {
        blockNumber = block.number;
    }

    function getBlockHash(uint256 blockNumber) external view returns (bytes32 blockHash) {
        blockHash = blockhash(blockNumber);
    }
}
