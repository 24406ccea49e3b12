import type { RfqOrder } from './service.ts'

/**
 * What an EXTERNAL_RFQ firm quote keeps for its fill, stored beside the
 * quote's terms (in the same JSON, under `rfq`): per tranche the
 * counterparty, its quote id and rate, and the two amounts.
 */
export type StoredTranche = {
  readonly rfq_id: string
  readonly tranche_id: string | null
  readonly counterparty_id: string
  readonly counterparty_quote_id: string
  readonly rate: string
  readonly source_minor: string
  readonly destination_minor: string
}

export type StoredRfq = {
  readonly parent_order_id: string | null
  readonly tranches: readonly StoredTranche[]
}

export function storedRfq(order: RfqOrder): StoredRfq {
  return {
    parent_order_id: order.parentOrderId,
    tranches: order.tranches.map((t) => ({
      rfq_id: t.rfqId,
      tranche_id: t.trancheId,
      counterparty_id: t.counterpartyId,
      counterparty_quote_id: t.quoteId,
      rate: t.rateText,
      source_minor: t.sourceMinor.toString(),
      destination_minor: t.destinationMinor.toString(),
    })),
  }
}

/** Adds the RFQ fill to a quote's encoded terms. */
export function withRfq(encodedTerms: string, rfq: StoredRfq): string {
  return JSON.stringify({ ...(JSON.parse(encodedTerms) as object), rfq })
}

/** The RFQ fill of a quote's stored terms; undefined for a DIRECT quote. */
export function rfqOf(encodedTerms: string): StoredRfq | undefined {
  return (JSON.parse(encodedTerms) as { rfq?: StoredRfq }).rfq
}
