// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// A plain ERC-20 standing in for a stablecoin (USDT, IDRX, tnSGD, MYRC) on a
/// local chain. The owner mints test balances; nothing else is special.
contract StablefxToken is ERC20, Ownable {
    uint8 private immutable _decimals;

    constructor(string memory name_, string memory symbol_, uint8 decimals_) ERC20(name_, symbol_) Ownable(msg.sender) {
        _decimals = decimals_;
    }

    function decimals() public view override returns (uint8) {
        return _decimals;
    }

    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}

/// A token whose transfers revert once the owner switches refusal on, so the
/// tests can see an on-chain revert end an execution FAILED.
contract RefusingToken is StablefxToken {
    bool public refusing;

    constructor(string memory name_, string memory symbol_, uint8 decimals_) StablefxToken(name_, symbol_, decimals_) {}

    function setRefusing(bool on) external onlyOwner {
        refusing = on;
    }

    function _update(address from, address to, uint256 value) internal override {
        require(!refusing || from == address(0), "RefusingToken: transfers refused");
        super._update(from, to, value);
    }
}
