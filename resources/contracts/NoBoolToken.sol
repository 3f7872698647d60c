// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title NoBoolToken
/// @notice A test token that behaves like USDT on Ethereum: transfer and transferFrom return
///         nothing instead of a bool (not ERC-20 compliant). Anyone may mint: tests only.
contract NoBoolToken {
    string public name;
    string public symbol;
    uint8 public immutable decimals;
    uint256 public totalSupply;

    mapping(address => uint256) public balanceOf;

    event Transfer(address indexed from, address indexed to, uint256 value);

    constructor(string memory name_, string memory symbol_, uint8 decimals_) {
        name = name_;
        symbol = symbol_;
        decimals = decimals_;
    }

    function mint(address to, uint256 amount) external {
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    /// @dev No return value, as USDT's transfer(address,uint256).
    function transfer(address to, uint256 amount) external {
        require(balanceOf[msg.sender] >= amount, "NoBoolToken: balance");
        balanceOf[msg.sender] -= amount;
        balanceOf[to] += amount;
        emit Transfer(msg.sender, to, amount);
    }
}
