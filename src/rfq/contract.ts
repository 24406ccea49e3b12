import { Type } from 'typebox'

/**
 * Issue 11 "Contracts", the calls stablefx makes to a counterparty's own
 * endpoints, as OpenAPI 3.1 `webhooks` entries (served in /openapi.json):
 * what an RFQ counterparty implements at its `rfq_url`. Signed like every
 * webhook (Standard Webhooks headers, the partner's secret).
 */
const RfqRequest = Type.Object({
  rfq_id: Type.String({ format: 'uuid' }),
  environment: Type.Union([Type.Literal('sandbox'), Type.Literal('live')]),
  pair: Type.String({ examples: ['USD-IDR'] }),
  side: Type.Union([Type.Literal('BUY'), Type.Literal('SELL')], {
    description: 'the taker’s side (SPEC §1)',
  }),
  amount: Type.String({ description: 'decimal, in amount_currency' }),
  amount_currency: Type.String({ examples: ['USDT'] }),
  purpose: Type.Union([Type.Literal('CLIENT_ORDER'), Type.Literal('REBALANCE'), Type.Literal('EMERGENCY')]),
  parent_order_id: Type.Optional(Type.String({ description: 'only on tranches of a large order' })),
  tranche_id: Type.Optional(Type.String()),
  respond_by: Type.String({ format: 'date-time' }),
})

const RfqAnswer = Type.Object({
  rfq_id: Type.String(),
  quote_id: Type.String({ maxLength: 200, description: 'the counterparty’s own id' }),
  rate: Type.String({ description: 'QUOTE per BASE, a decimal string, up to 18 decimals' }),
  expires_at: Type.String({ format: 'date-time', description: 'the rate is firm until then' }),
})

export const SIGNED_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => ({
  name,
  in: 'header',
  required: true,
  schema: { type: 'string' },
  description: 'Standard Webhooks signature header (the partner’s webhook secret)',
}))

export const RFQ_WEBHOOKS = {
  rfqRequest: {
    post: {
      operationId: 'counterpartyRfq',
      summary: 'RFQ to a market maker (POST to its rfq_url)',
      description:
        'stablefx asks every eligible RFQ_COUNTERPARTY at once and takes the best answer within 50 bps of the oracle mid that arrives before respond_by and that the counterparty’s prefunded balance can fill. A fill is one journal entry between prefunded balances, announced by the signed `rfq.filled` event.',
      parameters: SIGNED_HEADERS,
      requestBody: { required: true, content: { 'application/json': { schema: RfqRequest } } },
      responses: {
        200: { description: 'a firm quote', content: { 'application/json': { schema: RfqAnswer } } },
        204: { description: 'no quote' },
      },
    },
  },
}
