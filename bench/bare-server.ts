import { createServer } from 'node:http'

/**
 * The baseline for the indicative-quote benchmark: bare node:http answering
 * a JSON body of the same shape and size as GET /v1/quote.
 */
const body = JSON.stringify({
  pair: 'USD-IDR',
  side: 'SELL',
  amount: '1000',
  indicative_rate: '16246.32758456',
  mid: '16249.5937525',
  spread_bps: '4.02',
  state_flag: 'NORMAL',
  timestamp: new Date().toISOString(),
  quote_type: 'INDICATIVE',
})

const server = createServer((_request, response) => {
  response.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  })
  response.end(body)
})
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  if (address !== null && typeof address === 'object')
    process.stdout.write(`listening on http://127.0.0.1:${address.port}\n`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
