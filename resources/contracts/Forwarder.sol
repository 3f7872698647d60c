// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title Forwarder
/// @notice Passes native currency on with an internal call, so the payment to the recipient
///         appears only as an internal transfer (a trace), never as a top-level transaction.
contract Forwarder {
    event Forwarded(address indexed to, uint256 value);

    /// @notice Sends all of msg.value on to `to`.
    function forward(address payable to) external payable {
        _send(to, msg.value);
    }

    /// @notice Sends amounts[i] to to[i]; the amounts must add up to msg.value exactly.
    function forwardMany(address payable[] calldata to, uint256[] calldata amounts) external payable {
        require(to.length == amounts.length, "Forwarder: length mismatch");
        uint256 total;
        for (uint256 i = 0; i < to.length; ++i) {
            total += amounts[i];
            _send(to[i], amounts[i]);
        }
        require(total == msg.value, "Forwarder: amounts do not add up to msg.value");
    }

    function _send(address payable to, uint256 value) private {
        (bool ok, ) = to.call{value: value}("");
        require(ok, "Forwarder: transfer failed");
        emit Forwarded(to, value);
    }
}
