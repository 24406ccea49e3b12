import { randomUUID } from 'node:crypto'
import { encodeFunctionData, getAddress, type Hex, keccak256, type PublicClient, toHex } from 'viem'
import { ASSET_CODES, type AssetCode } from '../../config/assets.ts'
import { balanceOf } from '../../liquidity/ktoken.ts'
import { KTOKEN_VARIANTS, type KTokenVariant, type VaultId, variantOfVault } from '../../liquidity/model.ts'
import type { Store } from '../../store/store.ts'
import { KTOKEN_ABI } from './abi.ts'
import type { EvmCall, EvmSender } from './sender.ts'
import type { EvmSettings } from './settings.ts'

/**
 * Issue 14, kTokens on chain. The ledger is the source of truth (SPEC §7.2);
 * each variant's KToken contract (contracts/KToken.sol) mirrors it: every LP
 * holding's shares at the LP's wallet (the wallet of its first deposit of the
 * asset) and every vault's index, so `balanceOf(wallet)` = shares × index /
 * 1e27 rounded down = the balance GET /v1/lp/positions shows.
 *
 * The mirror converges by state, not by replaying events: `reconcile` reads
 * both sides and lists every difference; `sync` first waits for the kToken
 * transactions still open, then sends one call per difference (mint or burn
 * the share difference, publish the index) and waits for them. It runs in a
 * leased worker (one per environment across nodes) after deposits,
 * withdrawals, fee and yield distributions alike, and any node can run the
 * check (GET /ops/v1/evm/reconciliation).
 */
export type KTokenDifference = {
  readonly asset: AssetCode
  readonly variant: KTokenVariant
  readonly vault: string
  /** `index` for a vault's index; `holding` for one LP's shares. */
  readonly kind: 'index' | 'holding'
  readonly partner_id: string | null
  readonly wallet: string | null
  readonly ledger: string
  readonly chain: string
}

export type KTokenReport = {
  readonly ok: boolean
  readonly checked: number
  readonly differences: readonly KTokenDifference[]
}

export type KTokenMirror = {
  reconcile(): Promise<KTokenReport>
  /** Brings the chain to the ledger; returns the calls it confirmed. */
  sync(stillHeld: () => boolean): Promise<number>
  /** What a holder's kToken shows on chain now (tests, the README walkthrough). */
  chainBalance(asset: AssetCode, variant: KTokenVariant, wallet: string): Promise<bigint>
}

/** A variant's plain vault (fx, full) is vault 0 on chain; a multiplier vault (fx@0.3) is keccak256 of its id. */
export function vaultKey(vault: string): Hex {
  return vault === 'fx' || vault === 'full' ? `0x${'0'.repeat(64)}` : keccak256(toHex(vault))
}

type Wanted = {
  asset: AssetCode
  variant: KTokenVariant
  contract: Hex
  vaults: { vault: string; indexRay: bigint }[]
  holdings: { partnerId: string; vault: string; wallet: Hex; shares: bigint }[]
}

export function createKTokenMirror(deps: {
  settings: EvmSettings
  store: Store
  client: PublicClient
  sender: EvmSender
  log?: { error(obj: object, msg: string): void }
}): KTokenMirror {
  const { settings, store, client } = deps
  const environment = settings.environment
  /** Contracts the hot wallet owns: calls to any other would only revert and burn gas. */
  const owned = new Map<string, boolean>()
  async function ownedByUs(contract: Hex): Promise<boolean> {
    const known = owned.get(contract)
    if (known !== undefined) return known
    const owner = await read<string>(contract, 'owner', [])
    const ours = owner.toLowerCase() === deps.sender.address.toLowerCase()
    if (!ours)
      deps.log?.error(
        { environment, contract, owner },
        'kToken contract is not owned by the hot wallet; not mirrored',
      )
    owned.set(contract, ours)
    return ours
  }

  async function wanted(): Promise<Wanted[]> {
    const variants = await store.kysely
      .selectFrom('ktoken_variants')
      .selectAll()
      .where('environment', '=', environment)
      .execute()
    const holdings = await store.kysely
      .selectFrom('lp_holdings')
      .selectAll()
      .where('environment', '=', environment)
      .execute()
    const wallets = await store.kysely
      .selectFrom('lp_deposits')
      .select(['partner_id', 'asset', 'from_address'])
      .where('environment', '=', environment)
      .orderBy('id')
      .execute()
    const walletOf = new Map<string, string>()
    for (const row of wallets) {
      const key = `${row.partner_id}|${row.asset}`
      if (!walletOf.has(key)) walletOf.set(key, row.from_address)
    }
    const out: Wanted[] = []
    for (const asset of ASSET_CODES) {
      for (const variant of KTOKEN_VARIANTS) {
        const contract = settings.kTokens[`${asset}:${variant}`]
        if (contract === undefined) continue
        const mine = (vault: string) => variantOfVault(vault as VaultId) === variant
        out.push({
          asset,
          variant,
          contract,
          vaults: variants
            .filter((row) => row.asset === asset && mine(row.variant))
            .map((row) => ({ vault: row.variant, indexRay: BigInt(row.index_ray) })),
          holdings: holdings
            .filter((row) => row.asset === asset && mine(row.variant))
            .flatMap((row) => {
              const wallet = walletOf.get(`${row.partner_id}|${asset}`)
              return wallet === undefined
                ? []
                : [
                    {
                      partnerId: row.partner_id,
                      vault: row.variant,
                      wallet: getAddress(wallet),
                      shares: BigInt(row.shares),
                    },
                  ]
            }),
        })
      }
    }
    return out
  }

  const read = <T>(contract: Hex, functionName: string, args: readonly unknown[]) =>
    client.readContract({ address: contract, abi: KTOKEN_ABI, functionName, args } as never) as Promise<T>

  async function differences(): Promise<{ report: KTokenReport; calls: (EvmCall & { order: number })[] }> {
    const found: KTokenDifference[] = []
    const calls: (EvmCall & { order: number })[] = []
    let checked = 0
    for (const token of await wanted()) {
      const ours = await ownedByUs(token.contract)
      const call = (functionName: string, args: readonly unknown[], what: string, order: number) => {
        if (!ours) return
        const data = encodeFunctionData({ abi: KTOKEN_ABI, functionName, args } as never)
        calls.push({
          reference: `ktoken:${token.contract}:${randomUUID()}`,
          kind: 'ktoken',
          contract: token.contract,
          data,
          fingerprint: `ktoken|${token.contract}|${what}`,
          order,
        })
      }
      for (const vault of token.vaults) {
        checked++
        const onChain = await read<bigint>(token.contract, 'indexOf', [vaultKey(vault.vault)])
        if (onChain === vault.indexRay) continue
        found.push({
          asset: token.asset,
          variant: token.variant,
          vault: vault.vault,
          kind: 'index',
          partner_id: null,
          wallet: null,
          ledger: vault.indexRay.toString(),
          chain: onChain.toString(),
        })
        call('setIndex', [vaultKey(vault.vault), vault.indexRay], `index ${vault.vault} ${vault.indexRay}`, 0)
      }
      for (const holding of token.holdings) {
        checked++
        const onChain = await read<bigint>(token.contract, 'sharesOf', [holding.wallet])
        if (onChain === holding.shares) continue
        found.push({
          asset: token.asset,
          variant: token.variant,
          vault: holding.vault,
          kind: 'holding',
          partner_id: holding.partnerId,
          wallet: holding.wallet,
          ledger: holding.shares.toString(),
          chain: onChain.toString(),
        })
        const what = `shares ${holding.wallet} ${onChain}->${holding.shares}`
        if (holding.shares > onChain)
          call('mintShares', [holding.wallet, vaultKey(holding.vault), holding.shares - onChain], what, 1)
        else call('burnShares', [holding.wallet, onChain - holding.shares], what, 1)
      }
    }
    return { report: { ok: found.length === 0, checked, differences: found }, calls }
  }

  return {
    async reconcile() {
      return (await differences()).report
    },

    async sync(stillHeld) {
      // Calls already recorded first: the chain state is read only once none of ours is in flight.
      const open = await store.kysely
        .selectFrom('evm_transactions')
        .selectAll()
        .where('environment', '=', environment)
        .where('kind', '=', 'ktoken')
        .where('status', '=', 'SIGNED')
        .orderBy('nonce')
        .execute()
      for (const row of open) {
        if (!stillHeld()) return 0
        await deps.sender.submit({
          reference: row.reference,
          kind: 'ktoken',
          contract: row.contract as Hex,
          data: row.call_data as Hex,
          fingerprint: row.fingerprint,
        })
      }
      if (!stillHeld()) return 0
      const { calls } = await differences()
      // Indexes before shares, so a mint's Transfer event shows the value at the new index.
      const ordered = calls.sort((a, b) => a.order - b.order)
      const outcomes = await Promise.all(ordered.map((call) => deps.sender.submit(call)))
      return outcomes.filter((outcome) => outcome.status === 'CONFIRMED').length
    },

    async chainBalance(asset, variant, wallet) {
      const contract = settings.kTokens[`${asset}:${variant}`]
      if (contract === undefined) return 0n
      return read<bigint>(contract, 'balanceOf', [getAddress(wallet)])
    },
  }
}

/** The ledger's balance of a holding, the same maths as the contract's balanceOf. */
export function ledgerBalance(shares: bigint, indexRay: bigint): bigint {
  return balanceOf(shares, indexRay)
}
