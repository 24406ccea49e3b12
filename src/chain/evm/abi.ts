import { erc20Abi, parseAbi } from 'viem'

/** The ERC-20 calls and the Transfer event stablefx uses on every stablecoin. */
export const ERC20_ABI = erc20Abi

/** contracts/KToken.sol: what stablefx calls on a kToken (it owns every one). */
export const KTOKEN_ABI = parseAbi([
  'function balanceOf(address account) view returns (uint256)',
  'function sharesOf(address account) view returns (uint256)',
  'function vaultOf(address account) view returns (bytes32)',
  'function indexOf(bytes32 vault) view returns (uint256)',
  'function vaultShares(bytes32 vault) view returns (uint256)',
  'function owner() view returns (address)',
  'function mintShares(address to, bytes32 vault, uint256 shares)',
  'function burnShares(address from, uint256 shares)',
  'function setIndex(bytes32 vault, uint256 newIndex)',
  'event IndexUpdated(bytes32 indexed vault, uint256 previousIndex, uint256 newIndex)',
])

/** contracts/StablefxToken.sol: the local chain's stablecoins and the refusing token of the tests. */
export const TEST_TOKEN_ABI = parseAbi([
  'function mint(address to, uint256 amount)',
  'function setRefusing(bool on)',
])
