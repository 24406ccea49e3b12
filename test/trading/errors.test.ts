/**
 * One HTTP test per SPEC §3 error code the FX engine (issue 3) can raise,
 * each triggered through the API, asserting the status, the code, the
 * corridor where the refusal concerns one, and the request id.
 *
 * Executions here trade USD-SGD only, so the IDRX Active pool stays at its
 * first-start level and the USD-IDR size limit keeps its literal value.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, beforeEach, it } from 'node:test'
import { SIMULATED_REVERT_ADDRESS } from '../../src/chain/adapter.ts'
import { openStore } from '../../src/store/store.ts'
import {
  ADMIN_TOKEN,
  createPartner,
  createTestApp,
  recover,
  setMarket,
  setPrice,
  type TestApp,
  type TestPartner,
} from '../support/app.ts'
import { createTestDatabase, describeEachDialect } from '../support/databases.ts'
import {
  ADDRESS,
  ADDRESS_CHECKSUMMED,
  advanceSandbox,
  afterVolatilityWindow,
  balanceOf,
  corridorState,
  execute,
  expectError,
  firmQuote,
  fund,
  gatedChain,
  get,
  post,
  quoteOk,
  riskTick,
} from './support.ts'

/** A hung request (a deadlock) fails its test instead of stalling the run. */
const T = { timeout: 10_000 }

const SGD_100 = { pair: 'USD-SGD', side: 'SELL', amount: '100' }

describeEachDialect('FX engine error codes (SPEC §3)', ({ store, dialect }) => {
  let app: TestApp
  let partner: TestPartner
  let other: TestPartner
  before(async () => {
    app = await createTestApp(store())
    partner = await createPartner(app)
    other = await createPartner(app, { name: 'Other Ramp' })
  })
  after(() => app.close())
  beforeEach(() => setMarket(app))

  /** A firm USD-SGD quote of 100 USDT, funded, for the execution tests. */
  async function fundedQuote(who: TestPartner = partner) {
    await fund(app, who, 'USDT', '100')
    return quoteOk(app, who, SGD_100)
  }

  // --- 400 VALIDATION_ERROR -------------------------------------------------

  const invalidQuotes: [string, Record<string, unknown> | string, string | undefined][] = [
    ['an unknown field', { pair: 'USD-IDR', side: 'SELL', amount: '100', memo: 'x' }, undefined],
    ['1e3 as a JSON number', '{"pair":"USD-IDR","side":"SELL","amount":1e3}', undefined],
    [
      'both amount and destination_amount',
      { pair: 'USD-IDR', side: 'SELL', amount: '100', destination_amount: '1000000' },
      'USD-IDR',
    ],
    ['neither amount nor destination_amount', { pair: 'USD-IDR', side: 'SELL' }, 'USD-IDR'],
    [
      'more fraction digits than USDT has',
      { pair: 'USD-IDR', side: 'SELL', amount: '100.0000001' },
      'USD-IDR',
    ],
    ['a zero amount', { pair: 'USD-IDR', side: 'SELL', amount: '0' }, 'USD-IDR'],
    ['an unknown pair', { pair: 'USD-EUR', side: 'SELL', amount: '100' }, undefined],
    ['an unknown side', { pair: 'USD-IDR', side: 'HOLD', amount: '100' }, undefined],
  ]
  for (const [what, body, corridor] of invalidQuotes) {
    it(`VALIDATION_ERROR: a firm quote with ${what}`, T, async () => {
      const response = await firmQuote(app, partner, body)
      expectError(response, 400, 'VALIDATION_ERROR', corridor)
    })
  }

  it('VALIDATION_ERROR: an indicative quote with an exponent amount', T, async () => {
    const response = await get(app, partner, '/v1/quote?pair=USD-IDR&side=SELL&amount=1e3')
    const error = expectError(response, 400, 'VALIDATION_ERROR', 'USD-IDR')
    assert.equal(error.message, 'amount is not a plain decimal number (USDT)')
  })

  it('VALIDATION_ERROR: a destination address that is not 20 bytes of hex', T, async () => {
    const quote = await fundedQuote()
    for (const address of ['0x1234', `${ADDRESS}00`, `0x${'zz'.repeat(20)}`, 'ab'.repeat(20)]) {
      const response = await execute(app, partner, { quote_id: quote.quote_id, destination_address: address })
      const error = expectError(response, 400, 'VALIDATION_ERROR')
      assert.equal(error.message, 'destination_address must be 0x followed by 40 hex digits')
    }
  })

  it('VALIDATION_ERROR: a mixed-case address with a bad EIP-55 checksum', T, async () => {
    const quote = await fundedQuote()
    // Flip the case of one letter of the valid checksummed form.
    const broken = `${ADDRESS_CHECKSUMMED.slice(0, 3)}b${ADDRESS_CHECKSUMMED.slice(4)}`
    assert.notEqual(broken, ADDRESS_CHECKSUMMED)
    const response = await execute(app, partner, { quote_id: quote.quote_id, destination_address: broken })
    const error = expectError(response, 400, 'VALIDATION_ERROR')
    assert.equal(error.message, 'destination_address has an invalid EIP-55 checksum')
    // The quote is untouched: the correctly checksummed address then executes it.
    const ok = await execute(app, partner, {
      quote_id: quote.quote_id,
      destination_address: ADDRESS_CHECKSUMMED,
    })
    assert.equal(ok.statusCode, 200, ok.body)
    assert.equal(ok.json().destination_address, ADDRESS_CHECKSUMMED)
  })

  it('VALIDATION_ERROR: executing more than the quoted amount, or zero', T, async () => {
    const quote = await fundedQuote()
    for (const amount of ['100.000001', '0']) {
      const response = await execute(app, partner, {
        quote_id: quote.quote_id,
        amount,
        destination_address: ADDRESS,
      })
      expectError(response, 400, 'VALIDATION_ERROR', 'USD-SGD')
    }
  })

  // --- 400 BELOW_MIN_TRANSACTION_SIZE ----------------------------------------

  it('BELOW_MIN_TRANSACTION_SIZE: USD-IDR below $10, and $10 passes', T, async () => {
    const below = await firmQuote(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '9.99' })
    const error = expectError(below, 400, 'BELOW_MIN_TRANSACTION_SIZE', 'USD-IDR')
    assert.equal(error.message, 'the minimum for USD-IDR is 10 USD')
    const indicative = await get(app, partner, '/v1/quote?pair=USD-IDR&side=SELL&amount=9.99')
    expectError(indicative, 400, 'BELOW_MIN_TRANSACTION_SIZE', 'USD-IDR')
    const at = await firmQuote(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '10' })
    assert.equal(at.statusCode, 200, at.body)
  })

  it('BELOW_MIN_TRANSACTION_SIZE: MYR-IDR below 50 MYR, and 50 MYRC passes', T, async () => {
    const below = await firmQuote(app, partner, { pair: 'MYR-IDR', side: 'SELL', amount: '49' })
    const error = expectError(below, 400, 'BELOW_MIN_TRANSACTION_SIZE', 'MYR-IDR')
    assert.equal(error.message, 'the minimum for MYR-IDR is 50 MYR')
    const at = await firmQuote(app, partner, { pair: 'MYR-IDR', side: 'SELL', amount: '50' })
    assert.equal(at.statusCode, 200, at.body)
  })

  // --- 400 ABOVE_MAX_TRANSACTION_SIZE ----------------------------------------

  it('ABOVE_MAX_TRANSACTION_SIZE: above 10% of the IDRX Active pool ($50,000) in NORMAL', T, async () => {
    // SPEC §5: min($200,000, 10% of the destination Active pool) = 10% of $500,000.
    const at = await firmQuote(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '50000' })
    assert.equal(at.statusCode, 200, at.body)
    assert.equal(at.json().max_size, '50000')
    const above = await firmQuote(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '50000.000001' })
    const error = expectError(above, 400, 'ABOVE_MAX_TRANSACTION_SIZE', 'USD-IDR')
    assert.equal(error.message, 'the largest USD-IDR trade now is 50000 USD')
  })

  // --- 400 ARB_CHECK_FAILED --------------------------------------------------

  it('ARB_CHECK_FAILED: direct MYR-IDR more than 0.30% away from USD-IDR ÷ USD-MYR', T, async () => {
    // Its own app, so the moved MYR-IDR mid does not add volatility to the other tests' quotes.
    const own = await createTestApp(store())
    try {
      await setMarket(own)
      // What the code does inside the 0.30% band: 0.20% above the cross (3876.79) is refused too, by the
      // triangle USD→MYR (market bid) → IDR (our MYR-IDR bid) → USD (our USD-IDR ask), which leaves about
      // ±10 bps plus the MYR-IDR add-ons. See the report: SPEC §4 writes the triangle differently.
      await setPrice(own, 'MYR-IDR', '3876.79')
      // A 0.20% move within 5 minutes is also a volatility event (SPEC §6.2: 0.15–0.30% → RESTRICT), and
      // RESTRICT quotes at maximum spreads with a 0.50% direct/synthetic allowance (SPEC §4 L8), so no
      // check would fail. The window passes and the corridor recovers (SPEC §6.3) before quoting in NORMAL.
      await afterVolatilityWindow(own, { 'MYR-IDR': '3876.79' })
      assert.equal(await corridorState(own, partner, 'MYR-IDR'), 'NORMAL')
      const inBand = await firmQuote(own, partner, { pair: 'MYR-IDR', side: 'SELL', amount: '100' })
      const triangle = expectError(inBand, 400, 'ARB_CHECK_FAILED', 'MYR-IDR')
      assert.equal(triangle.message, 'a USD-IDR-MYR round trip would return more than it started with')
      // A failed arbitrage check puts the corridor in RESTRICT at once (SPEC §4 L8, §6.1).
      await riskTick(own)
      assert.equal(await corridorState(own, partner, 'MYR-IDR'), 'RESTRICT')
      // Synthetic = 16250 / 4.2 = 3869.0476…; 3881.06 is 0.3104% above it. The 0.11% move is PROTECT
      // (SPEC §6.2), and outside NORMAL the gap allowed is 0.50%: the window passes again and the corridor
      // recovers (SPEC §6.3), so the 0.30% NORMAL gap applies. A recovery re-opens a corridor held by an
      // arbitrage failure; the check runs again on the next quote.
      await setPrice(own, 'MYR-IDR', '3881.06')
      await afterVolatilityWindow(own, { 'MYR-IDR': '3881.06' })
      assert.equal(await corridorState(own, partner, 'MYR-IDR'), 'NORMAL')
      const response = await firmQuote(own, partner, { pair: 'MYR-IDR', side: 'SELL', amount: '100' })
      const error = expectError(response, 400, 'ARB_CHECK_FAILED', 'MYR-IDR')
      assert.equal(error.message, 'direct and synthetic MYR-IDR disagree beyond the allowed gap')
      // That failure put MYR-IDR in RESTRICT again (0.50% allowed): back to NORMAL (SPEC §6.3) before the BUY side.
      await riskTick(own)
      assert.equal(await corridorState(own, partner, 'MYR-IDR'), 'RESTRICT')
      await recover(own)
      assert.equal(await corridorState(own, partner, 'MYR-IDR'), 'NORMAL')
      const buy = await firmQuote(own, partner, { pair: 'MYR-IDR', side: 'BUY', amount: '1000000' })
      const buyError = expectError(buy, 400, 'ARB_CHECK_FAILED', 'MYR-IDR')
      assert.equal(buyError.message, 'direct and synthetic MYR-IDR disagree beyond the allowed gap')
    } finally {
      await own.close()
    }
  })

  // --- 400 QUOTE_EXPIRED -----------------------------------------------------

  it('QUOTE_EXPIRED: a firm quote lives 45 s on the sandbox clock', T, async () => {
    await fund(app, partner, 'USDT', '200')
    const first = await quoteOk(app, partner, SGD_100)
    const second = await quoteOk(app, partner, SGD_100)
    await advanceSandbox(app, 44)
    // The oracle ages with the sandbox clock too: refresh it so only the quote's lifetime is tested.
    await setMarket(app)
    const inTime = await execute(app, partner, { quote_id: first.quote_id, destination_address: ADDRESS })
    assert.equal(inTime.statusCode, 200, inTime.body)
    await advanceSandbox(app, 2)
    await setMarket(app)
    const late = await execute(app, partner, { quote_id: second.quote_id, destination_address: ADDRESS })
    const error = expectError(late, 400, 'QUOTE_EXPIRED', 'USD-SGD')
    assert.equal(error.message, 'this quote has expired')
  })

  // --- 401 UNAUTHORIZED ------------------------------------------------------

  it('UNAUTHORIZED: no key, a wrong key, or a key of another partner', T, async () => {
    const none = await app.inject({ method: 'GET', url: '/v1/quote?pair=USD-IDR&side=SELL&amount=100' })
    expectError(none, 401, 'UNAUTHORIZED')
    const wrong = await firmQuote(app, partner, SGD_100, {
      headers: { authorization: 'Bearer sk_test_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    })
    expectError(wrong, 401, 'UNAUTHORIZED')
    const mixed = await execute(
      app,
      partner,
      { quote_id: randomUUID(), destination_address: ADDRESS },
      { headers: { 'x-partner-id': other.id } },
    )
    expectError(mixed, 401, 'UNAUTHORIZED')
    const admin = await get(app, partner, '/v1/executions', {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
    expectError(admin, 401, 'UNAUTHORIZED')
  })

  // --- 403 CORRIDOR_NOT_ENABLED ---------------------------------------------

  it('CORRIDOR_NOT_ENABLED: a corridor not enabled for the partner', T, async () => {
    const sgdOnly = await createPartner(app, { name: 'SGD only', corridors: ['USD-SGD'] })
    const firm = await firmQuote(app, sgdOnly, { pair: 'USD-IDR', side: 'SELL', amount: '100' })
    const error = expectError(firm, 403, 'CORRIDOR_NOT_ENABLED', 'USD-IDR')
    assert.equal(
      error.message,
      "corridor USD-IDR is not enabled for this partner; an admin enables it in the partner's corridors",
    )
    const indicative = await get(app, sgdOnly, '/v1/quote?pair=MYR-IDR&side=BUY&amount=1000000')
    expectError(indicative, 403, 'CORRIDOR_NOT_ENABLED', 'MYR-IDR')
    const allowed = await firmQuote(app, sgdOnly, SGD_100)
    assert.equal(allowed.statusCode, 200, allowed.body)
  })

  it('FORBIDDEN: the faucet with a live key', T, async () => {
    const response = await post(
      app,
      partner,
      '/v1/sandbox/faucet',
      { asset: 'USDT', amount: '1' },
      { environment: 'live' },
    )
    expectError(response, 403, 'FORBIDDEN')
  })

  // --- 404 NOT_FOUND ---------------------------------------------------------

  it('NOT_FOUND: an unknown quote id, and one that is not a UUID', T, async () => {
    for (const id of [randomUUID(), 'not-a-quote']) {
      const response = await execute(app, partner, { quote_id: id, destination_address: ADDRESS })
      const error = expectError(response, 404, 'NOT_FOUND')
      assert.equal(error.message, 'no such quote')
    }
    // A sandbox quote does not exist for the partner's live key (SPEC §1: environments never meet).
    const quote = await fundedQuote()
    const live = await execute(
      app,
      partner,
      { quote_id: quote.quote_id, destination_address: ADDRESS },
      { environment: 'live' },
    )
    expectError(live, 404, 'NOT_FOUND')
  })

  it("NOT_FOUND: another partner's quote id, which stays executable by its owner", T, async () => {
    const quote = await fundedQuote()
    await fund(app, other, 'USDT', '100')
    const before = await balanceOf(app, other, 'USDT')
    const stolen = await execute(app, other, { quote_id: quote.quote_id, destination_address: ADDRESS })
    expectError(stolen, 404, 'NOT_FOUND')
    assert.equal(await balanceOf(app, other, 'USDT'), before)
    const own = await execute(app, partner, { quote_id: quote.quote_id, destination_address: ADDRESS })
    assert.equal(own.statusCode, 200, own.body)
  })

  it("NOT_FOUND: another partner's execution id, and an unknown one", T, async () => {
    const quote = await fundedQuote()
    const done = await execute(app, partner, { quote_id: quote.quote_id, destination_address: ADDRESS })
    assert.equal(done.statusCode, 200, done.body)
    const id = done.json().execution_id
    const mine = await get(app, partner, `/v1/executions/${id}`)
    assert.equal(mine.statusCode, 200, mine.body)
    expectError(await get(app, other, `/v1/executions/${id}`), 404, 'NOT_FOUND')
    expectError(await get(app, partner, `/v1/executions/${randomUUID()}`), 404, 'NOT_FOUND')
    expectError(await get(app, partner, '/v1/executions/12345'), 404, 'NOT_FOUND')
    // The same execution id is invisible with the partner's live key too (SPEC §1: environments never meet).
    expectError(await get(app, partner, `/v1/executions/${id}`, { environment: 'live' }), 404, 'NOT_FOUND')
  })

  // --- 409 QUOTE_ALREADY_EXECUTED --------------------------------------------

  it('QUOTE_ALREADY_EXECUTED: a quote executes once, even after a revert', T, async () => {
    const quote = await fundedQuote()
    const first = await execute(app, partner, { quote_id: quote.quote_id, destination_address: ADDRESS })
    assert.equal(first.statusCode, 200, first.body)
    const again = await execute(app, partner, { quote_id: quote.quote_id, destination_address: ADDRESS })
    const error = expectError(again, 409, 'QUOTE_ALREADY_EXECUTED', 'USD-SGD')
    assert.equal(error.message, 'this quote was executed already')

    const reverted = await fundedQuote()
    const failed = await execute(app, partner, {
      quote_id: reverted.quote_id,
      destination_address: SIMULATED_REVERT_ADDRESS,
    })
    assert.equal(failed.json().status, 'FAILED')
    const retry = await execute(app, partner, { quote_id: reverted.quote_id, destination_address: ADDRESS })
    expectError(retry, 409, 'QUOTE_ALREADY_EXECUTED', 'USD-SGD')
  })

  // --- 409 IDEMPOTENCY_KEY_IN_USE --------------------------------------------

  it('IDEMPOTENCY_KEY_IN_USE: the same key while the first request is still running', T, async () => {
    const gated = gatedChain()
    const held = await createTestApp(store(), { chain: gated.chain })
    try {
      await setMarket(held)
      const p = await createPartner(held, { name: 'Held' })
      await fund(held, p, 'USDT', '100')
      const quote = await quoteOk(held, p, SGD_100)
      const body = { quote_id: quote.quote_id, destination_address: ADDRESS }
      const key = `exec-${randomUUID()}`
      const first = execute(held, p, body, { idempotencyKey: key })
      await gated.entered
      const second = await execute(held, p, body, { idempotencyKey: key })
      const error = expectError(second, 409, 'IDEMPOTENCY_KEY_IN_USE')
      assert.equal(error.message, 'a request with this Idempotency-Key is still running')
      gated.release()
      const done = await first
      assert.equal(done.statusCode, 200, done.body)
      assert.equal(done.json().status, 'SETTLED')
      const replay = await execute(held, p, body, { idempotencyKey: key })
      assert.equal(replay.statusCode, 200)
      assert.equal(replay.body, done.body)
      assert.equal(await balanceOf(held, p, 'USDT'), '0')
    } finally {
      gated.release()
      await held.close()
    }
  })

  // --- 422 IDEMPOTENCY_KEY_REUSED --------------------------------------------

  it('IDEMPOTENCY_KEY_REUSED: the same key with a different body', T, async () => {
    const key = `quote-${randomUUID()}`
    const first = await firmQuote(app, partner, SGD_100, { idempotencyKey: key })
    assert.equal(first.statusCode, 200, first.body)
    const second = await firmQuote(app, partner, { ...SGD_100, amount: '101' }, { idempotencyKey: key })
    const error = expectError(second, 422, 'IDEMPOTENCY_KEY_REUSED')
    assert.equal(error.message, 'this Idempotency-Key was used with a different request')
    // The same body on the alias path is another request too (the path is part of the hash).
    const alias = await post(app, partner, '/v1/firm-quote', SGD_100, { idempotencyKey: key })
    expectError(alias, 422, 'IDEMPOTENCY_KEY_REUSED')
  })

  // --- 422 CROSS_LEG_INSUFFICIENT --------------------------------------------

  it('CROSS_LEG_INSUFFICIENT: MYR-IDR direct feed stale and the USD-MYR leg stale', T, async () => {
    // Past every max age of the pairs involved (MYR-IDR 15 s, USD-MYR 20 s), then only USD-IDR is refreshed.
    app.clock.advance(21_000)
    await setPrice(app, 'USD-IDR', '16250')
    // USD-IDR was stale too (21 s > 20 s) until its sources arrived one by one, and degradation is
    // immediate (SPEC §6.1): it went HALT and stays there until a recovery evaluation (SPEC §6.3).
    await recover(app)
    const response = await firmQuote(app, partner, { pair: 'MYR-IDR', side: 'SELL', amount: '100' })
    const error = expectError(response, 422, 'CROSS_LEG_INSUFFICIENT', 'MYR-IDR')
    assert.equal(error.message, 'MYR-IDR has no usable direct feed and USD-MYR cannot be quoted')
    const indicative = await get(app, partner, '/v1/quote?pair=MYR-IDR&side=BUY&amount=1000000')
    expectError(indicative, 422, 'CROSS_LEG_INSUFFICIENT', 'MYR-IDR')
    // USD-IDR itself still quotes.
    const usd = await firmQuote(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '100' })
    assert.equal(usd.statusCode, 200, usd.body)
    assert.equal(usd.json().state_flag, 'NORMAL')
  })

  // --- 422 VOLUME_LIMIT_EXCEEDED ---------------------------------------------

  it(
    'VOLUME_LIMIT_EXCEEDED: live firm quotes count against the daily limit until they expire',
    T,
    async () => {
      const limited = await createPartner(app, {
        name: 'Limited',
        limits: { daily_per_corridor_usd: '1000' },
      })
      const usd = (amount: string) => ({ pair: 'USD-IDR', side: 'SELL', amount })
      assert.equal((await firmQuote(app, limited, usd('600'))).statusCode, 200)
      const over = await firmQuote(app, limited, usd('600'))
      const error = expectError(over, 422, 'VOLUME_LIMIT_EXCEEDED', 'USD-IDR')
      assert.equal(error.message, 'the daily limit for USD-IDR would be exceeded')
      // Exactly at the limit is allowed: 600 + 400 = 1,000.
      assert.equal((await firmQuote(app, limited, usd('400'))).statusCode, 200)
      expectError(await firmQuote(app, limited, usd('10')), 422, 'VOLUME_LIMIT_EXCEEDED', 'USD-IDR')
      // The limit is per corridor: USD-SGD is untouched.
      assert.equal((await firmQuote(app, limited, SGD_100)).statusCode, 200)
      await advanceSandbox(app, 46)
      await setMarket(app)
      const later = await firmQuote(app, limited, usd('600'))
      assert.equal(later.statusCode, 200, later.body)
    },
  )

  it(
    'VOLUME_LIMIT_EXCEEDED: executed volume counts, a reverted execution gives its volume back',
    T,
    async () => {
      const limited = await createPartner(app, {
        name: 'Executed',
        limits: { daily_per_corridor_usd: '1000' },
      })
      await fund(app, limited, 'USDT', '1000')
      const sgd = (amount: string) => ({ pair: 'USD-SGD', side: 'SELL', amount })
      const first = await quoteOk(app, limited, sgd('600'))
      const settled = await execute(app, limited, { quote_id: first.quote_id, destination_address: ADDRESS })
      assert.equal(settled.json().status, 'SETTLED')
      expectError(await firmQuote(app, limited, sgd('600')), 422, 'VOLUME_LIMIT_EXCEEDED', 'USD-SGD')
      const second = await quoteOk(app, limited, sgd('400'))
      const failed = await execute(app, limited, {
        quote_id: second.quote_id,
        destination_address: SIMULATED_REVERT_ADDRESS,
      })
      assert.equal(failed.json().status, 'FAILED')
      // 600 settled + 400 quoted now = 1,000: the failed 400 no longer counts.
      const third = await firmQuote(app, limited, sgd('400'))
      assert.equal(third.statusCode, 200, third.body)
      expectError(await firmQuote(app, limited, sgd('10')), 422, 'VOLUME_LIMIT_EXCEEDED', 'USD-SGD')
    },
  )

  it('VOLUME_LIMIT_EXCEEDED: concurrent firm quotes cannot jointly pass the limit', T, async () => {
    const limited = await createPartner(app, {
      name: 'Concurrent',
      limits: { daily_per_corridor_usd: '1000' },
    })
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        firmQuote(app, limited, { pair: 'USD-IDR', side: 'SELL', amount: '300' }),
      ),
    )
    const statuses = responses.map((r) => r.statusCode).sort()
    assert.deepEqual(statuses, [200, 200, 200, 422, 422])
    for (const refused of responses.filter((r) => r.statusCode === 422)) {
      expectError(refused, 422, 'VOLUME_LIMIT_EXCEEDED', 'USD-IDR')
    }
  })

  it('VOLUME_LIMIT_EXCEEDED: the monthly limit counts every corridor', T, async () => {
    const limited = await createPartner(app, {
      name: 'Monthly',
      limits: { daily_per_corridor_usd: '1000', monthly_usd: '1500' },
    })
    assert.equal(
      (await firmQuote(app, limited, { pair: 'USD-IDR', side: 'SELL', amount: '900' })).statusCode,
      200,
    )
    const over = await firmQuote(app, limited, { pair: 'USD-SGD', side: 'SELL', amount: '700' })
    const error = expectError(over, 422, 'VOLUME_LIMIT_EXCEEDED', 'USD-SGD')
    assert.equal(error.message, 'the monthly limit would be exceeded')
    assert.equal(
      (await firmQuote(app, limited, { pair: 'USD-SGD', side: 'SELL', amount: '600' })).statusCode,
      200,
    )
  })

  // --- 422 INSUFFICIENT_FUNDS ------------------------------------------------

  it('INSUFFICIENT_FUNDS: executing without prefunded balance leaves the quote open', T, async () => {
    const poor = await createPartner(app, { name: 'Unfunded' })
    const quote = await quoteOk(app, poor, SGD_100)
    const response = await execute(app, poor, { quote_id: quote.quote_id, destination_address: ADDRESS })
    const error = expectError(response, 422, 'INSUFFICIENT_FUNDS', 'USD-SGD')
    assert.equal(error.message, 'the prefunded USDT balance is too low')
    await fund(app, poor, 'USDT', '99.999999')
    const short = await execute(app, poor, { quote_id: quote.quote_id, destination_address: ADDRESS })
    expectError(short, 422, 'INSUFFICIENT_FUNDS', 'USD-SGD')
    await fund(app, poor, 'USDT', '0.000001')
    const funded = await execute(app, poor, { quote_id: quote.quote_id, destination_address: ADDRESS })
    assert.equal(funded.statusCode, 200, funded.body)
    assert.equal(await balanceOf(app, poor, 'USDT'), '0')
  })

  // --- 429 RATE_LIMITED ------------------------------------------------------

  it('RATE_LIMITED: beyond the Standard burst of 20, with Retry-After', T, async () => {
    const limitedApp = await createTestApp(store(), { rateLimit: true })
    try {
      await setMarket(limitedApp)
      const busy = await createPartner(limitedApp, { name: 'Busy' })
      const responses = []
      for (let i = 0; i < 25; i++) {
        responses.push(await get(limitedApp, busy, '/v1/quote?pair=USD-IDR&side=SELL&amount=100'))
      }
      assert.deepEqual(
        responses.slice(0, 20).map((r) => r.statusCode),
        Array(20).fill(200),
      )
      const refused = responses.find((r) => r.statusCode === 429)
      assert.ok(refused, 'no request was rate limited')
      expectError(refused, 429, 'RATE_LIMITED')
      assert.equal(refused.headers['retry-after'], '1')
    } finally {
      await limitedApp.close()
    }
  })

  // --- 503 ORACLE_STALE / ORACLE_DEVIATION -----------------------------------

  it('ORACLE_STALE: no price younger than the pair’s max age', T, async () => {
    app.clock.advance(21_000) // USD-IDR max age is 20 s (SPEC §6.2)
    const indicative = await get(app, partner, '/v1/quote?pair=USD-IDR&side=SELL&amount=100')
    const error = expectError(indicative, 503, 'ORACLE_STALE', 'USD-IDR')
    assert.equal(error.message, 'the USD-IDR price is stale')
    const firm = await firmQuote(app, partner, { pair: 'USD-IDR', side: 'BUY', amount: '1625000' })
    expectError(firm, 503, 'ORACLE_STALE', 'USD-IDR')
    // USD-SGD (30 s) is still fresh.
    assert.equal((await firmQuote(app, partner, SGD_100)).statusCode, 200)
  })

  it('ORACLE_STALE: a fresh server with no prices at all', T, async () => {
    // A database of its own: a second server on this one would share the prices already logged (SPEC §15).
    const database = await createTestDatabase(dialect)
    const emptyStore = await openStore(database.url)
    const empty = await createTestApp(emptyStore)
    try {
      const fresh = await createPartner(empty)
      const response = await get(empty, fresh, '/v1/quote?pair=USD-SGD&side=BUY&amount=130')
      expectError(response, 503, 'ORACLE_STALE', 'USD-SGD')
    } finally {
      await empty.close()
      await emptyStore.close()
      await database.drop()
    }
  })

  it('ORACLE_DEVIATION: the primaries 1% apart with no reference to break the tie', T, async () => {
    app.clock.advance(31_000) // every source of every pair is now stale, the reference included
    for (const [source, price] of [
      ['primary_a', '16250'],
      ['primary_b', '16412.5'],
    ]) {
      const response = await app.admin('POST', '/admin/v1/oracle/prices', { source, pair: 'USD-IDR', price })
      assert.equal(response.statusCode, 200, response.body)
    }
    const response = await firmQuote(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '100' })
    const error = expectError(response, 503, 'ORACLE_DEVIATION', 'USD-IDR')
    assert.equal(error.message, 'the USD-IDR sources disagree beyond the threshold')
    // A fresh reference siding with primary_a breaks the tie, and quoting resumes at its price.
    await app.admin('POST', '/admin/v1/oracle/prices', {
      source: 'reference',
      pair: 'USD-IDR',
      price: '16250',
    })
    // The deviation (and the stale moment before primary_b arrived) put USD-IDR in HALT at once (SPEC §6.1);
    // it leaves HALT only on a recovery evaluation (SPEC §6.3). A price resting on one primary and the
    // reference is usable but has lost its redundancy [ours]: some conditions clear → PROTECT.
    await recover(app)
    const resolved = await firmQuote(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '100' })
    assert.equal(resolved.statusCode, 200, resolved.body)
    assert.equal(resolved.json().mid, '16250')
    assert.equal(resolved.json().state_flag, 'PROTECT')
  })

  // --- 503 QUOTE_HALTED ------------------------------------------------------

  it('QUOTE_HALTED: executing a firm quote while its corridor is halted', T, async () => {
    const halted = await createPartner(app, { name: 'Halted' })
    const quote = await fundedQuote(halted)
    // USD-SGD goes stale after 30 s (SPEC §6.2), within the quote's 45 s lifetime: the corridor is HALT.
    app.clock.advance(31_000)
    // Ageing alone degrades on the engine's 1-second tick, which test apps do not start: run it once.
    await riskTick(app)
    const state = await get(app, halted, '/v1/system/state')
    assert.equal(state.json().corridors['USD-SGD'].state, 'HALT')
    const response = await execute(app, halted, { quote_id: quote.quote_id, destination_address: ADDRESS })
    const error = expectError(response, 503, 'QUOTE_HALTED', 'USD-SGD')
    assert.equal(error.message, 'trading on USD-SGD is halted')
    assert.equal(await balanceOf(app, halted, 'USDT'), '100')
    // A new quote in that state stops at L5 (oracle), which runs before L6 (state): ORACLE_STALE.
    const indicative = await get(app, halted, '/v1/quote?pair=USD-SGD&side=SELL&amount=100')
    expectError(indicative, 503, 'ORACLE_STALE', 'USD-SGD')
    // Prices back within the quote's lifetime: the same quote executes.
    await setMarket(app)
    const resumed = await execute(app, halted, { quote_id: quote.quote_id, destination_address: ADDRESS })
    assert.equal(resumed.statusCode, 200, resumed.body)
    assert.equal(await balanceOf(app, halted, 'USDT'), '0')
  })
})
