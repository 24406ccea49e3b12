import { EventEnvelopeSchema } from '../events/catalogue.ts'
import { SIGNED_HEADERS } from '../rfq/contract.ts'

/**
 * SPEC §10, §15: what a partner's webhook endpoint receives, as an OpenAPI
 * 3.1 `webhooks` entry (served in /openapi.json): every event in the SPEC §10
 * envelope, one alternative per type, signed with the partner's secret.
 */
export const PARTNER_WEBHOOKS = {
  partnerEvent: {
    post: {
      operationId: 'partnerEvent',
      summary: 'An event delivered to the partner’s webhook URL (PUT /v1/webhook)',
      description:
        'Verify the Standard Webhooks signature with your webhook secret, answer 2xx within 5 s; anything else is retried with backoff, then dead-lettered. The verification is a `webhook.verification` whose `data.challenge` you echo.',
      parameters: SIGNED_HEADERS,
      requestBody: { required: true, content: { 'application/json': { schema: EventEnvelopeSchema } } },
      responses: { 200: { description: 'received (any 2xx)' } },
    },
  },
}
