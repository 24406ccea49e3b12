import { Type } from 'typebox'
import { SIGNED_HEADERS } from '../rfq/contract.ts'

/**
 * Issue 11 "Contracts": what an ISSUER partner implements at its `mint_url`,
 * `redeem_url` and `por_url`, as OpenAPI 3.1 `webhooks` entries (served in
 * /openapi.json). Mint and redeem are signed like every webhook; the issuer
 * completes each through `POST /v1/issuer/{mints|redeems}/{id}/complete`.
 */
const Request = (kind: 'mint' | 'redeem') =>
  Type.Object({
    request_id: Type.String({ format: 'uuid' }),
    asset: Type.String({ description: `the issued asset to ${kind}` }),
    amount: Type.String({ description: 'decimal' }),
    destination: Type.String({ description: 'the protocol Reserve’s wallet' }),
    pay_with: Type.Object(
      { asset: Type.String(), amount: Type.String() },
      {
        description:
          kind === 'mint' ? 'what the Reserve pays for the mint' : 'what the issuer pays for the redemption',
      },
    ),
    purpose: Type.Union([Type.Literal('DEFICIT_RECOVERY'), Type.Literal('EMERGENCY')]),
  })

const accepted = (field: 'mint_id' | 'redeem_id') => ({
  202: {
    description: `accepted; completed later with the issuer's key`,
    content: { 'application/json': { schema: Type.Object({ [field]: Type.String({ maxLength: 200 }) }) } },
  },
})

export const ISSUER_WEBHOOKS = {
  issuerMint: {
    post: {
      operationId: 'issuerMint',
      summary: 'Mint request to an issuer (POST to its mint_url)',
      parameters: SIGNED_HEADERS,
      requestBody: { required: true, content: { 'application/json': { schema: Request('mint') } } },
      responses: accepted('mint_id'),
    },
  },
  issuerRedeem: {
    post: {
      operationId: 'issuerRedeem',
      summary: 'Redemption request to an issuer (POST to its redeem_url)',
      parameters: SIGNED_HEADERS,
      requestBody: { required: true, content: { 'application/json': { schema: Request('redeem') } } },
      responses: accepted('redeem_id'),
    },
  },
  issuerProofOfReserve: {
    get: {
      operationId: 'issuerProofOfReserve',
      summary: 'Proof of Reserve reading (GET its por_url, every por_interval_s)',
      responses: {
        200: {
          description: 'the latest reading',
          content: {
            'application/json': {
              schema: Type.Object({
                asset: Type.String(),
                reserves: Type.String({ description: 'decimal' }),
                circulating_supply: Type.String({ description: 'decimal' }),
                as_of: Type.String({ format: 'date-time' }),
              }),
            },
          },
        },
      },
    },
  },
}
