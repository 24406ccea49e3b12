import { randomUUID } from 'node:crypto'
import type { Clocks } from '../clock/clock.ts'
import { ASSET_CODES, ASSETS, type AssetCode } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'
import { fail, ok, type Result } from '../errors.ts'
import { accountId, prefundedAccount, protocolAccount } from '../ledger/accounts.ts'
import { balancesOf, postEntry } from '../ledger/journal.ts'
import { formatDecimal } from '../money/decimal.ts'
import { r } from '../money/ratio.ts'
import { usdToMinor } from '../pools/model.ts'
import type { UsdRates } from '../pools/usd-rates.ts'
import type { RecordOutcome } from '../store/outcome.ts'
import type { Store } from '../store/store.ts'

/** Largest sandbox faucet credit in one call, in USD equivalent. */
export const FAUCET_CAP_USD = '1000000'

export type BalanceView = { asset: AssetCode; available: string }
export type FaucetReceipt = { asset: AssetCode; amount: string; available: string; entry_id: string }

export type BalanceService = {
  /** SPEC §3: the partner's prefunded balances per asset, every asset listed. */
  balances(environment: Environment, partnerId: string): Promise<BalanceView[]>
  /** SPEC §3 (sandbox only): credits test funds to the partner's prefunded balance through the ledger. */
  faucet(
    partnerId: string,
    asset: AssetCode,
    amountMinor: bigint,
    record?: RecordOutcome,
  ): Promise<Result<FaucetReceipt>>
  /** The per-call faucet cap of an asset, in its smallest unit. */
  faucetCapMinor(asset: AssetCode): bigint
}

export function createBalanceService(deps: {
  store: Store
  clocks: Clocks
  referenceRates: UsdRates
}): BalanceService {
  const { store, clocks } = deps
  // The cap uses the fixed reference rates so it does not move with the market.
  const caps = new Map(
    ASSET_CODES.map((asset) => [asset, usdToMinor(r(FAUCET_CAP_USD), asset, deps.referenceRates)]),
  )
  const capOf = (asset: AssetCode) => caps.get(asset) as bigint

  return {
    async balances(environment, partnerId) {
      const keys = ASSET_CODES.map((asset) => prefundedAccount(environment, asset, partnerId))
      const balance = await balancesOf(store, keys)
      return keys.map((key) => ({
        asset: key.asset,
        available: formatDecimal(balance(key), ASSETS[key.asset].decimals),
      }))
    },

    async faucet(partnerId, asset, amountMinor, record) {
      const decimals = ASSETS[asset].decimals
      if (amountMinor <= 0n) return fail('VALIDATION_ERROR', 'amount must be positive')
      if (amountMinor > capOf(asset)) {
        return fail(
          'VALIDATION_ERROR',
          `amount is above the faucet cap of ${formatDecimal(capOf(asset), decimals)} ${asset} per call`,
        )
      }
      const account = prefundedAccount('sandbox', asset, partnerId)
      return store.transaction(async (tx) => {
        const result = await postEntry(tx, {
          environment: 'sandbox',
          kind: 'faucet',
          reference: randomUUID(),
          postings: [
            { account: protocolAccount('sandbox', asset, 'faucet'), amount: -amountMinor },
            { account, amount: amountMinor },
          ],
          memo: { partner_id: partnerId },
          atMs: clocks.sandbox.now(),
        })
        // The faucet is a world account and the reference is fresh, so the ledger has no reason to refuse.
        if (!result.ok) throw new Error(`faucet entry refused: ${result.reason}`)
        const receipt = {
          asset,
          amount: formatDecimal(amountMinor, decimals),
          available: formatDecimal(result.value.balances.get(accountId(account)) as bigint, decimals),
          entry_id: result.value.entryId.toString(),
        }
        await record?.(tx, { status: 200, body: receipt })
        return ok(receipt)
      })
    },

    faucetCapMinor: capOf,
  }
}
