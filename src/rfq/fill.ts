import type { AssetCode } from '../config/assets.ts'
import { ASSETS } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'
import { recordEvent } from '../events/events.ts'
import { prefundedAccount, protocolAccount } from '../ledger/accounts.ts'
import type { Posting } from '../ledger/journal.ts'
import { formatDecimal } from '../money/decimal.ts'
import type { Tx } from '../store/store.ts'
import type { StoredRfq } from './stored.ts'

/**
 * Issue 11: an RFQ fill is one journal entry. Per tranche the taker's
 * prefunded source goes to the counterparty's prefunded source, and the
 * counterparty's prefunded destination goes out on chain to the taker's
 * address (as for DIRECT, the chain leg settles it).
 */
export function rfqPostings(
  environment: Environment,
  takerId: string,
  source: AssetCode,
  destination: AssetCode,
  rfq: StoredRfq,
): Posting[] {
  return rfq.tranches.flatMap((t) => [
    { account: prefundedAccount(environment, source, takerId), amount: -BigInt(t.source_minor) },
    { account: prefundedAccount(environment, source, t.counterparty_id), amount: BigInt(t.source_minor) },
    {
      account: prefundedAccount(environment, destination, t.counterparty_id),
      amount: -BigInt(t.destination_minor),
    },
    { account: protocolAccount(environment, destination, 'chain'), amount: BigInt(t.destination_minor) },
  ])
}

/** Each counterparty hears of its fill by a signed `rfq.filled` webhook (one per tranche). */
export async function recordRfqFilled(
  tx: Tx,
  input: {
    environment: Environment
    executionId: string
    pair: string
    side: string
    source: AssetCode
    destination: AssetCode
    rfq: StoredRfq
    atMs: number
  },
): Promise<void> {
  for (const t of input.rfq.tranches) {
    await recordEvent(tx, {
      environment: input.environment,
      partnerId: t.counterparty_id,
      type: 'rfq.filled',
      data: {
        rfq_id: t.rfq_id,
        quote_id: t.counterparty_quote_id,
        execution_id: input.executionId,
        pair: input.pair,
        side: input.side,
        rate: t.rate,
        // From the counterparty's view: what it received and what it paid.
        received: formatDecimal(BigInt(t.source_minor), ASSETS[input.source].decimals),
        received_asset: input.source,
        paid: formatDecimal(BigInt(t.destination_minor), ASSETS[input.destination].decimals),
        paid_asset: input.destination,
        parent_order_id: input.rfq.parent_order_id,
        tranche_id: t.tranche_id,
      },
      atMs: input.atMs,
    })
  }
}
