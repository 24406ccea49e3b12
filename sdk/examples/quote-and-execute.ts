/**
 * A USD-IDR SELL of 100 USDT in the sandbox: fund by the faucet, firm-quote,
 * execute to an address, print the execution.
 *
 *   STABLEFX_URL=http://127.0.0.1:8080 STABLEFX_PARTNER_ID=… STABLEFX_API_KEY=sk_test_… \
 *     node sdk/examples/quote-and-execute.ts
 */
import { createStablefxClient, ok } from '@stablefx/sdk'

function env(name: string): string {
  const value = process.env[name]
  if (value) return value
  console.error(`${name} is not set`)
  process.exit(2)
}

const client = createStablefxClient({
  baseUrl: env('STABLEFX_URL'),
  partnerId: env('STABLEFX_PARTNER_ID'),
  apiKey: env('STABLEFX_API_KEY'),
})
ok(await client.POST('/v1/sandbox/faucet', { body: { asset: 'USDT', amount: '100' } }))
const quote = ok(await client.POST('/v1/quote', { body: { pair: 'USD-IDR', side: 'SELL', amount: '100' } }))
const execution = ok(
  await client.POST('/v1/execute', {
    body: { quote_id: quote.quote_id, destination_address: '0x52908400098527886E0F7030069857D2E4169EE7' },
  }),
)
console.log(JSON.stringify(execution, null, 2))
