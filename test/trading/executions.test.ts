/**
 * Executions through HTTP (SPEC §3 POST /v1/execute, §4 L9, §7.4 ledger,
 * §10 events): the settled path, partial fills, on-chain reverts, reads and
 * pagination, and at-most-once execution under concurrency.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, it } from 'node:test'
import { createSimulatedChain, SIMULATED_REVERT_ADDRESS } from '../../src/chain/adapter.ts'
import { verifyLedger } from '../../src/ledger/verify.ts'
import { formatDecimal, parseDecimal } from '../../src/money/decimal.ts'
import { createPartner, createTestApp, setMarket, type TestApp } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import {
  ADDRESS,
  ADDRESS_CHECKSUMMED,
  balanceOf,
  execute,
  expectError,
  fund,
  get,
  poolBalance,
  quoteOk,
} from './support.ts'

const T = { timeout: 15_000 }
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

function minor(text: string, decimals: number): bigint {
  const parsed = parseDecimal(text, decimals)
  assert.ok(parsed.ok, `${text} is not a ${decimals}-decimal amount`)
  return parsed.minor
}

const usdt = (text: string) => minor(text, 6)
const idrx = (text: string) => minor(text, 2)

describeEachDialect('executions over HTTP', ({ store }) => {
  let app: TestApp
  before(async () => {
    app = await createTestApp(store())
  })
  after(() => app.close())
  beforeEach(() => setMarket(app))

  async function ledgerOk(): Promise<void> {
    const report = await store().snapshot((db) => verifyLedger(db))
    assert.deepEqual(report.violations, [])
    assert.equal(report.ok, true)
  }

  async function events(partnerId: string, type: string) {
    const rows = await store()
      .kysely.selectFrom('events')
      .selectAll()
      .where('partner_id', '=', partnerId)
      .where('type', '=', type)
      .orderBy('id')
      .execute()
    return rows.map((row) => ({ ...row, data: JSON.parse(row.data) }))
  }

  async function sandboxNow(): Promise<string> {
    return (await app.admin('GET', '/admin/v1/sandbox/clock')).json().now
  }

  it('settles: debits the source once, sends the quoted destination, moves the Active pools', T, async () => {
    const partner = await createPartner(app, { name: 'Happy' })
    await fund(app, partner, 'USDT', '10000')
    const quote = await quoteOk(app, partner, {
      pair: 'USD-IDR',
      side: 'SELL',
      amount: '5000',
      client_ref: 'q-1',
    })
    const activeUsdt = await poolBalance(app, 'USDT')
    const activeIdrx = await poolBalance(app, 'IDRX')
    const now = await sandboxNow()

    const response = await execute(app, partner, {
      quote_id: quote.quote_id,
      destination_address: ADDRESS,
      client_ref: 'x-1',
    })
    assert.equal(response.statusCode, 200, response.body)
    const execution = response.json()
    assert.match(execution.execution_id, UUID)
    assert.match(execution.tx_hash, /^0x[0-9a-f]{64}$/)
    assert.deepEqual(execution, {
      execution_id: execution.execution_id,
      quote_id: quote.quote_id,
      status: 'SETTLED',
      pair: 'USD-IDR',
      side: 'SELL',
      source_asset: 'USDT',
      destination_asset: 'IDRX',
      filled_rate: quote.rate,
      source_amount: '5000',
      destination_amount: quote.destination_amount,
      platform_fee: quote.fee_breakdown.total_fee,
      platform_fee_currency: 'IDRX',
      destination_address: ADDRESS_CHECKSUMMED,
      tx_hash: execution.tx_hash,
      settled_at: now,
      execution_path: 'DIRECT',
      state_flag: 'NORMAL',
      failure_reason: null,
      client_ref: 'x-1',
      created_at: now,
    })

    // The simulated chain is deterministic: the same transfer gets the same hash.
    const resent = await createSimulatedChain().send({
      environment: 'sandbox',
      asset: 'IDRX',
      to: ADDRESS_CHECKSUMMED,
      amountMinor: idrx(quote.destination_amount),
      reference: execution.execution_id,
    })
    assert.deepEqual(resent, { ok: true, txHash: execution.tx_hash })

    // Debited exactly once, and the destination went on chain, not to a balance.
    assert.equal(await balanceOf(app, partner, 'USDT'), '5000')
    assert.equal(await balanceOf(app, partner, 'IDRX'), '0')
    // SPEC §2.2: Active USDT up by the source; Active IDRX down by net + fees.
    assert.equal(usdt(await poolBalance(app, 'USDT')) - usdt(activeUsdt), 5_000_000_000n)
    const paidOut = idrx(quote.destination_amount) + idrx(quote.fee_breakdown.total_fee)
    assert.equal(idrx(activeIdrx) - idrx(await poolBalance(app, 'IDRX')), paidOut)

    // SPEC §7.4: one entry — partner → Active(USDT); Active(IDRX) → chain, and the fees into escrow.
    const entry = await store()
      .kysely.selectFrom('journal_entries')
      .selectAll()
      .where('kind', '=', 'swap')
      .where('reference', '=', execution.execution_id)
      .executeTakeFirstOrThrow()
    const postings = await store()
      .kysely.selectFrom('postings')
      .select(['account_id', 'amount'])
      .where('entry_id', '=', entry.id)
      .execute()
    const fee = idrx(quote.fee_breakdown.total_fee)
    assert.deepEqual(Object.fromEntries(postings.map((p) => [p.account_id, BigInt(p.amount)])), {
      [`sandbox:USDT:partner:${partner.id}:prefunded`]: -5_000_000_000n,
      'sandbox:USDT:protocol:pool.ACTIVE': 5_000_000_000n,
      'sandbox:IDRX:protocol:pool.ACTIVE': -paidOut,
      'sandbox:IDRX:protocol:chain': idrx(quote.destination_amount),
      'sandbox:IDRX:protocol:fee_escrow': fee,
    })
    // SPEC §7.3 at settlement: no LP holds kTokens in this test, so the whole fee goes to the treasury.
    const distribution = await store()
      .kysely.selectFrom('journal_entries')
      .selectAll()
      .where('kind', '=', 'fee_distribution')
      .where('reference', '=', execution.execution_id)
      .executeTakeFirstOrThrow()
    const legs = await store()
      .kysely.selectFrom('postings')
      .select(['account_id', 'amount'])
      .where('entry_id', '=', distribution.id)
      .execute()
    assert.deepEqual(Object.fromEntries(legs.map((p) => [p.account_id, BigInt(p.amount)])), {
      'sandbox:IDRX:protocol:fee_escrow': -fee,
      'sandbox:IDRX:protocol:treasury': fee,
    })

    // GET /v1/executions/{id} shows the same execution.
    const read = await get(app, partner, `/v1/executions/${execution.execution_id}`)
    assert.equal(read.statusCode, 200)
    assert.deepEqual(read.json(), execution)

    // SPEC §10: execution.settled, written with the change.
    const settled = await events(partner.id, 'execution.settled')
    assert.equal(settled.length, 1)
    assert.equal(settled[0]?.environment, 'sandbox')
    assert.deepEqual(settled[0]?.data, execution)
    assert.deepEqual(await events(partner.id, 'execution.failed'), [])
    await ledgerOk()
  })

  it('an on-chain revert: FAILED, the entry reversed, the balance restored exactly', T, async () => {
    const partner = await createPartner(app, { name: 'Reverted' })
    await fund(app, partner, 'MYRC', '1234.567890123456789012')
    const quote = await quoteOk(app, partner, {
      pair: 'MYR-IDR',
      side: 'SELL',
      amount: '1000.000000000000000001',
    })
    const activeMyrc = await poolBalance(app, 'MYRC')
    const activeIdrx = await poolBalance(app, 'IDRX')
    const response = await execute(app, partner, {
      quote_id: quote.quote_id,
      destination_address: SIMULATED_REVERT_ADDRESS,
    })
    assert.equal(response.statusCode, 200, response.body)
    const execution = response.json()
    assert.equal(execution.status, 'FAILED')
    assert.equal(execution.failure_reason, 'ON_CHAIN_REVERT')
    assert.equal(execution.tx_hash, null)
    assert.equal(execution.settled_at, null)
    assert.equal(execution.source_amount, '1000.000000000000000001')
    assert.equal(execution.destination_address, '0x000000000000000000000000000000000000fA11') // EIP-55 form
    assert.equal(await balanceOf(app, partner, 'MYRC'), '1234.567890123456789012')
    assert.equal(await poolBalance(app, 'MYRC'), activeMyrc)
    assert.equal(await poolBalance(app, 'IDRX'), activeIdrx)

    const read = await get(app, partner, `/v1/executions/${execution.execution_id}`)
    assert.deepEqual(read.json(), execution)
    const failed = await events(partner.id, 'execution.failed')
    assert.equal(failed.length, 1)
    assert.equal(failed[0]?.data.execution_id, execution.execution_id)
    assert.equal(failed[0]?.data.status, 'FAILED')
    assert.equal(failed[0]?.data.reason, 'ON_CHAIN_REVERT')
    assert.deepEqual(await events(partner.id, 'execution.settled'), [])

    // The swap entry and its reversal (SPEC §7.4: corrections are reversing entries).
    const swap = await store()
      .kysely.selectFrom('journal_entries')
      .selectAll()
      .where('reference', '=', execution.execution_id)
      .executeTakeFirstOrThrow()
    const reversal = await store()
      .kysely.selectFrom('journal_entries')
      .selectAll()
      .where('reverses_entry_id', '=', swap.id)
      .execute()
    assert.equal(reversal.length, 1)
    await ledgerOk()
  })

  it('lists the partner’s own executions, newest first, with cursor and limit', T, async () => {
    const partner = await createPartner(app, { name: 'Lister' })
    const stranger = await createPartner(app, { name: 'Stranger' })
    await fund(app, partner, 'USDT', '300')
    const ids: string[] = []
    for (const amount of ['100', '100', '100']) {
      const quote = await quoteOk(app, partner, { pair: 'USD-SGD', side: 'SELL', amount })
      const done = await execute(app, partner, { quote_id: quote.quote_id, destination_address: ADDRESS })
      assert.equal(done.statusCode, 200, done.body)
      ids.push(done.json().execution_id)
    }
    const first = await get(app, partner, '/v1/executions?limit=2')
    assert.equal(first.statusCode, 200, first.body)
    const page1 = first.json()
    assert.deepEqual(
      page1.items.map((e: { execution_id: string }) => e.execution_id),
      [ids[2], ids[1]],
    )
    assert.equal(typeof page1.next_cursor, 'string')
    const second = await get(app, partner, `/v1/executions?limit=2&cursor=${page1.next_cursor}`)
    const page2 = second.json()
    assert.deepEqual(
      page2.items.map((e: { execution_id: string }) => e.execution_id),
      [ids[0]],
    )
    assert.equal(page2.next_cursor, null)
    const all = await get(app, partner, '/v1/executions')
    assert.equal(all.json().items.length, 3)
    assert.equal(all.json().next_cursor, null)
    assert.deepEqual(all.json().items[0], (await get(app, partner, `/v1/executions/${ids[2]}`)).json())

    assert.deepEqual((await get(app, stranger, '/v1/executions')).json(), { items: [], next_cursor: null })
    assert.deepEqual((await get(app, partner, '/v1/executions', { environment: 'live' })).json(), {
      items: [],
      next_cursor: null,
    })
    for (const query of ['limit=0', 'limit=101', 'limit=abc', 'cursor=-1']) {
      expectError(await get(app, partner, `/v1/executions?${query}`), 400, 'VALIDATION_ERROR')
    }
  })

  it('a quote executes once under 10 concurrent calls: one 200, nine 409, one debit', T, async () => {
    const partner = await createPartner(app, { name: 'Racer' })
    await fund(app, partner, 'USDT', '1000')
    const quote = await quoteOk(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '100' })
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        execute(app, partner, { quote_id: quote.quote_id, destination_address: ADDRESS }),
      ),
    )
    const statuses = responses.map((r) => r.statusCode).sort()
    assert.deepEqual(statuses, [200, 409, 409, 409, 409, 409, 409, 409, 409, 409])
    for (const refused of responses.filter((r) => r.statusCode === 409)) {
      expectError(refused, 409, 'QUOTE_ALREADY_EXECUTED', 'USD-IDR')
    }
    assert.equal(await balanceOf(app, partner, 'USDT'), '900')
    const rows = await store()
      .kysely.selectFrom('executions')
      .select('status')
      .where('quote_id', '=', quote.quote_id)
      .execute()
    assert.deepEqual(
      rows.map((r) => r.status),
      ['SETTLED'],
    )
    await ledgerOk()
  })

  it(
    'quotes again at once after an execution (pool levels re-read outside the quote transaction)',
    T,
    async () => {
      // Regression: on SQLite a firm quote used to wait forever for the connection its own transaction
      // held when the pool cache was cold, which every execution makes it.
      const partner = await createPartner(app, { name: 'Again' })
      await fund(app, partner, 'USDT', '200')
      const first = await quoteOk(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '100' })
      const done = await execute(app, partner, { quote_id: first.quote_id, destination_address: ADDRESS })
      assert.equal(done.statusCode, 200, done.body)
      const next = await quoteOk(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '100' })
      // The new quote sees the smaller IDRX pool: its max size is 10% of the new balance, in USD.
      // In cents of USD, rounded down: IDRX cents / 100 / 16,250 × 10% × 100.
      const maxCents = (idrx(await poolBalance(app, 'IDRX')) * 100n) / 16_250_000n
      assert.equal(minor(next.max_size, 2), maxCents)
      assert.ok(maxCents < 5_000_000n)
    },
  )
})

describeEachDialect('a partial execution at first-start pools', ({ store }) => {
  let app: TestApp
  before(async () => {
    app = await createTestApp(store())
    await setMarket(app)
  })
  after(() => app.close())

  it('a partial execution: proportionally less destination, the fixed fee still whole', T, async () => {
    const partner = await createPartner(app, { name: 'Partial' })
    await fund(app, partner, 'USDT', '5000')
    const quote = await quoteOk(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '5000' })
    const response = await execute(app, partner, {
      quote_id: quote.quote_id,
      amount: '2500',
      destination_address: ADDRESS,
    })
    assert.equal(response.statusCode, 200, response.body)
    const execution = response.json()
    // At the quote's rate: gross = floor(2500 × bid) in IDRX cents, 5 bips of it rounded up, 10,000 IDRX fixed.
    const [whole, frac = ''] = (quote.rate as string).split('.')
    const rate = { num: BigInt(`${whole}${frac}`), den: 10n ** BigInt(frac.length) }
    const gross = (2_500n * 100n * rate.num) / rate.den
    const variable = (gross * 5n + 9_999n) / 10_000n
    assert.equal(quote.fee_breakdown.fixed_fee, '10000')
    assert.equal(execution.source_amount, '2500')
    assert.equal(execution.filled_rate, quote.rate)
    assert.equal(execution.destination_amount, formatDecimal(gross - variable - 1_000_000n, 2))
    assert.equal(execution.platform_fee, formatDecimal(variable + 1_000_000n, 2))
    // Half the source, but less than half the destination: the fixed fee is charged in full.
    assert.ok(idrx(execution.destination_amount) * 2n < idrx(quote.destination_amount))
    // Fresh pools, so the worked quote of quotes.test.ts: bid 16246.66875;
    // 2,500 × bid = 40,616,671.875 → 40,616,671.87; 5 bips → 20,308.34 (up); − 10,000 fixed.
    assert.equal(quote.rate, '16246.66875')
    assert.equal(execution.destination_amount, '40586363.53')
    assert.equal(execution.platform_fee, '30308.34')
    assert.equal(await balanceOf(app, partner, 'USDT'), '2500')
    // The quote is spent: the other half cannot be executed afterwards.
    const rest = await execute(app, partner, { quote_id: quote.quote_id, destination_address: ADDRESS })
    expectError(rest, 409, 'QUOTE_ALREADY_EXECUTED', 'USD-IDR')
    const report = await store().snapshot((db) => verifyLedger(db))
    assert.equal(report.ok, true)
  })
})
