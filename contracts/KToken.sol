// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// A rebasing LP receipt token, one per kToken variant (kUSD-fx, kUSD-full, ...).
///
/// The stablefx ledger is the source of truth; this contract mirrors it so an
/// LP sees in its wallet what GET /v1/lp/positions says. The owner (stablefx's
/// hot wallet) mints shares on a deposit, burns them on a withdrawal and
/// publishes each vault's liquidity index after fee and yield distributions.
/// A holder's balance is shares x index / 1e27 rounded down, the same maths as
/// src/liquidity/ktoken.ts. A variant may have several vaults (class A LPs at
/// a fee multiplier below 1 sit in their own vault, with their own index):
/// vault 0 is the variant's plain vault, and each holder belongs to one vault.
///
/// A kToken is redeemed through stablefx, never traded: transfer and approve revert.
contract KToken is IERC20, IERC20Metadata, Ownable {
    uint256 public constant RAY = 1e27;

    string private _name;
    string private _symbol;
    uint8 private immutable _decimals;

    mapping(bytes32 => uint256) private _index;
    mapping(bytes32 => uint256) public vaultShares;
    mapping(address => uint256) public sharesOf;
    mapping(address => bytes32) public vaultOf;

    event IndexUpdated(bytes32 indexed vault, uint256 previousIndex, uint256 newIndex);
    event SharesMinted(address indexed to, bytes32 indexed vault, uint256 shares);
    event SharesBurned(address indexed from, bytes32 indexed vault, uint256 shares);

    error NonTransferable();
    error WrongVault(address holder, bytes32 vault);

    constructor(string memory name_, string memory symbol_, uint8 decimals_) Ownable(msg.sender) {
        _name = name_;
        _symbol = symbol_;
        _decimals = decimals_;
    }

    function name() external view returns (string memory) { return _name; }
    function symbol() external view returns (string memory) { return _symbol; }
    function decimals() external view returns (uint8) { return _decimals; }

    /// A vault's index, RAY-scaled; 1 (= RAY) until first published.
    function indexOf(bytes32 vault) public view returns (uint256) {
        uint256 value = _index[vault];
        return value == 0 ? RAY : value;
    }

    function balanceOf(address account) public view returns (uint256) {
        return Math.mulDiv(sharesOf[account], indexOf(vaultOf[account]), RAY);
    }

    /// The plain vault's claim (other vaults are summed off chain, per vault).
    function totalSupply() external view returns (uint256) {
        return Math.mulDiv(vaultShares[bytes32(0)], indexOf(bytes32(0)), RAY);
    }

    function mintShares(address to, bytes32 vault, uint256 shares) external onlyOwner {
        if (sharesOf[to] != 0 && vaultOf[to] != vault) revert WrongVault(to, vault);
        vaultOf[to] = vault;
        sharesOf[to] += shares;
        vaultShares[vault] += shares;
        emit SharesMinted(to, vault, shares);
        emit Transfer(address(0), to, Math.mulDiv(shares, indexOf(vault), RAY));
    }

    function burnShares(address from, uint256 shares) external onlyOwner {
        bytes32 vault = vaultOf[from];
        sharesOf[from] -= shares;
        vaultShares[vault] -= shares;
        emit SharesBurned(from, vault, shares);
        emit Transfer(from, address(0), Math.mulDiv(shares, indexOf(vault), RAY));
    }

    function setIndex(bytes32 vault, uint256 newIndex) external onlyOwner {
        require(newIndex > 0, "KToken: index must be positive");
        emit IndexUpdated(vault, indexOf(vault), newIndex);
        _index[vault] = newIndex;
    }

    function transfer(address, uint256) external pure returns (bool) { revert NonTransferable(); }
    function transferFrom(address, address, uint256) external pure returns (bool) { revert NonTransferable(); }
    function approve(address, uint256) external pure returns (bool) { revert NonTransferable(); }
    function allowance(address, address) external pure returns (uint256) { return 0; }
}
