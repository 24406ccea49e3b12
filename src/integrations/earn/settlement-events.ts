import { ASSETS, type AssetCode } from '../../config/assets.ts'
import type { Environment } from '../../config/environment.ts'
import { recordEvent } from '../../events/events.ts'
import type { Tx } from '../../store/store.ts'
import { fromWadFloor } from './model.ts'

/**
 * Issue 12 item 4: `settlement.confirmed` / `settlement.failed` for a
 * settlement with the yield venue, written in the transaction of the state
 * change. They are operator events: a venue settlement is stablefx's own
 * business with the venue, so no partner's feed, stream or webhook carries
 * them (GET /admin/v1/events lists them). The data's variant is documented
 * in src/events/catalogue.ts.
 */
export async function recordVenueSettlement(
  tx: Tx,
  settlement: {
    readonly id: string
    readonly environment: string
    readonly entity: string
    readonly asset: string
    readonly direction: string
    readonly amount_wad: string
    readonly tx_hash: string | null
  },
  outcome: { readonly status: 'confirmed' } | { readonly status: 'failed'; readonly reason: string },
  atMs: number,
): Promise<string> {
  const asset = settlement.asset as AssetCode
  const amountWad = BigInt(settlement.amount_wad)
  return recordEvent(tx, {
    environment: settlement.environment as Environment,
    partnerId: null,
    audience: 'operator',
    type: outcome.status === 'confirmed' ? 'settlement.confirmed' : 'settlement.failed',
    data: {
      source: 'yield_venue',
      settlement_id: settlement.id,
      entity: settlement.entity,
      asset,
      direction: settlement.direction,
      amount: fromWadFloor(amountWad, ASSETS[asset].decimals).minor.toString(),
      amount_wad: amountWad.toString(),
      tx_hash: settlement.tx_hash,
      ...(outcome.status === 'failed' ? { reason: outcome.reason } : {}),
    },
    atMs,
  })
}
