// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title MockAggregator
/// @notice A stand-in for a Chainlink price feed (AggregatorV3Interface) for tests: anyone may set
///         the answer and the time it claims to be from. Tests only.
contract MockAggregator {
    uint8 public immutable decimals;
    string public description;
    uint80 private round;
    int256 private answer;
    uint256 private updatedAt;

    constructor(uint8 decimals_, string memory description_, int256 answer_) {
        decimals = decimals_;
        description = description_;
        setAnswer(answer_, 0);
    }

    /// @param updatedAt_ the round's time; 0 means the current block's.
    function setAnswer(int256 answer_, uint256 updatedAt_) public {
        round += 1;
        answer = answer_;
        updatedAt = updatedAt_ == 0 ? block.timestamp : updatedAt_;
    }

    function version() external pure returns (uint256) {
        return 4;
    }

    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        return (round, answer, updatedAt, updatedAt, round);
    }
}
