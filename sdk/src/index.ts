export {
  type ApiErrorBody,
  backoffMs,
  createStablefxClient,
  isRetryableStatus,
  ok,
  type RetryOptions,
  retryAfterMs,
  retryingFetch,
  StablefxApiError,
  type StablefxClient,
  type StablefxClientOptions,
} from './client.ts'
export type { components, operations, paths } from './schema.d.ts'
export {
  verifyWebhook,
  type WebhookEvent,
  type WebhookHeaders,
  WebhookVerificationError,
} from './webhooks.ts'
