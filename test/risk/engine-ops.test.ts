/**
 * The operations API of SPEC §13 behind the ops token (issue 4, scope 5):
 * GET /v1/reserve/risk-status with every field, worked by hand after a known
 * execution; live firm quotes counting in gross exposure; the audited state
 * override, which tightens at once and loosens only until it expires;
 * POST /v1/risk/evaluate running recovery; and who may call these routes.
 *
 * Sandbox figures: Reserve pools start at 90 % of target, $4.5M + $1.8M +
 * $1.8M + $0.9M = $9,000,000 of reserve capital; σ_1d of USD-IDR is 0.5 %
 * (config/exposure.ts), so a corridor's VaR is exposure × 1.645 × 0.005.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { ADMIN_TOKEN, createPartner, setMarket, T0 } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import { expectError, firmQuote, fund, quoteOk } from '../trading/support.ts'
import {
  advanceWithFreshPrices,
  corridorState,
  iso,
  openApp,
  ops,
  override,
  settleRisk,
  sourcePrice,
  T,
  trade,
  transitions,
} from './engine-support.ts'

const HOUR_MS = 3_600_000

/** The risk status of a corridor nothing has touched. */
function untouched(oracleMid: string) {
  return {
    inventory_units: '0',
    waop: null,
    oracle_mid: oracleMid,
    gross_exposure_usd: '0',
    unrealised_pnl_usd: '0',
    var_1d_usd: '0',
    var_pct_of_capital: '0',
    concentration_pct: '0',
    status: 'NORMAL',
    oldest_batch_age_hours: null,
  }
}

describeEachDialect('risk operations API', ({ dialect }) => {
  it('risk-status shows every SPEC §13 field, worked by hand after one execution', T, async (t) => {
    const app = await openApp(t, dialect)
    await setMarket(app)
    const partner = await createPartner(app)
    await fund(app, partner, 'USDT', '10000')
    // SELL 5,000 USDT at 4.1 bps (4 base + 10 × 5,000 / 500,000): bid 16246.66875, so the pools take in
    // 5,000 USDT and pay out 81,233,343.75 IDRX (net to the partner plus fees).
    const { quote } = await trade(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '5000' })
    assert.equal(quote.rate, '16246.66875')

    const response = await ops(app, 'GET', '/v1/reserve/risk-status?environment=sandbox')
    assert.equal(response.statusCode, 200, response.body)
    assert.deepEqual(response.json(), {
      environment: 'sandbox',
      snapshot_time: iso(T0),
      reserve_capital_usd: '9000000',
      // 41.125 × (1 − 15 %) = 34.95625; of $9M capital 0.000388…%, shown to 4 digits rounded up.
      portfolio_var_usd: '34.95',
      portfolio_var_pct: '0.0004',
      overall_status: 'NORMAL',
      last_emergency_rfq: null,
      corridors: {
        'USD-IDR': {
          inventory_units: '5000',
          // 81,233,343.75 IDRX / 5,000 USDT.
          waop: '16246.66875',
          oracle_mid: '16250',
          // The larger side: 5,000 USDT against 81,233,343.75 / 16250 = $4,998.975.
          gross_exposure_usd: '5000',
          // 5,000 − 4,998.975 = $1.025: the spread the pools earned, marked at mid.
          unrealised_pnl_usd: '1.02',
          // 5,000 × 1.645 × 0.5 % = 41.125.
          var_1d_usd: '41.12',
          var_pct_of_capital: '0.0005',
          concentration_pct: '100',
          status: 'NORMAL',
          oldest_batch_age_hours: '0',
          // SPEC §6.2 warns at 50 % in one corridor; the signal itself waits for a material book
          // (10 % of capital, [ours]), so the corridor stays NORMAL.
          breach_type: 'CONCENTRATION_WARNING',
        },
        'USD-SGD': untouched('1.3'),
        'MYR-IDR': untouched('3869.04761905'),
      },
    })

    // An hour and a half later the bag is that old.
    await advanceWithFreshPrices(app, 1.5 * HOUR_MS, 1.5 * HOUR_MS)
    const later = (await ops(app, 'GET', '/v1/reserve/risk-status?environment=sandbox')).json()
    assert.equal(later.snapshot_time, iso(T0 + 1.5 * HOUR_MS))
    assert.equal(later.corridors['USD-IDR'].oldest_batch_age_hours, '1.5')
    assert.equal(later.corridors['USD-IDR'].gross_exposure_usd, '5000')
  })

  it('a live firm quote counts in gross exposure until it expires or executes', T, async (t) => {
    const app = await openApp(t, dialect)
    await setMarket(app)
    const partner = await createPartner(app)
    const exposure = async () => {
      const body = (await ops(app, 'GET', '/v1/reserve/risk-status?environment=sandbox')).json()
      const c = body.corridors['USD-IDR']
      return {
        gross: c.gross_exposure_usd,
        var: c.var_1d_usd,
        units: c.inventory_units,
        portfolioVar: body.portfolio_var_usd,
      }
    }
    // Firm, not executed: $2,000 of exposure, VaR 2,000 × 0.008225 = 16.45, portfolio 13.9825. A quote
    // counts only as far as the partner's balance could execute it (SPEC §15), so the partner is funded.
    await fund(app, partner, 'USDT', '2000')
    await quoteOk(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '2000' })
    assert.deepEqual(await exposure(), { gross: '2000', var: '16.45', units: '0', portfolioVar: '13.98' })
    await advanceWithFreshPrices(app, 44_000)
    assert.deepEqual(await exposure(), { gross: '2000', var: '16.45', units: '0', portfolioVar: '13.98' })
    // SPEC §3: a firm quote lives 45 s; at its expiry it stops counting.
    await advanceWithFreshPrices(app, 1_000)
    assert.deepEqual(await exposure(), { gross: '0', var: '0', units: '0', portfolioVar: '0' })

    // Executed: it counts once, as the position, no longer as a quote (else $7,000 below). The partner
    // holds 5,000 USDT, 3,000 of it left after the trade: enough to back the open $3,000 quote.
    await fund(app, partner, 'USDT', '3000')
    await quoteOk(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '3000' })
    assert.deepEqual(await exposure(), { gross: '3000', var: '24.67', units: '0', portfolioVar: '20.97' })
    await trade(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '2000' })
    // The open $3,000 quote and the $2,000 position: 5,000 × 0.008225 = 41.125.
    assert.deepEqual(await exposure(), { gross: '5000', var: '41.12', units: '2000', portfolioVar: '34.95' })
  })

  it('an override that tightens takes effect at once, is audited, and lapses at expiry', T, async (t) => {
    const app = await openApp(t, dialect)
    await setMarket(app)
    const partner = await createPartner(app)
    const expiresAt = iso(T0 + 30 * 60_000)
    const body = await override(app, {
      corridor: 'USD-IDR',
      state: 'HALT',
      reason: 'custodian outage',
      expires_at: expiresAt,
      environment: 'sandbox',
    })
    const reason = `override: HALT until ${expiresAt}: custodian outage`
    const changeId: string = body.changes[0]?.id
    assert.deepEqual(body, {
      corridor: 'USD-IDR',
      state: 'HALT',
      expires_at: expiresAt,
      changes: [
        {
          id: changeId,
          corridor: 'USD-IDR',
          previous_state: 'NORMAL',
          state: 'HALT',
          reasons: [reason],
          trigger: 'override',
          // The manual clock has not moved during the call.
          timestamp: iso(app.stablefx.services.clocks.sandbox.now()),
        },
      ],
    })
    // At once: no evaluation, no price needed.
    expectError(
      await firmQuote(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '100' }),
      503,
      'QUOTE_HALTED',
      'USD-IDR',
    )
    const stored = await transitions(app, 'sandbox', 'USD-IDR')
    assert.deepEqual(stored.at(-1), {
      id: changeId,
      corridor: 'USD-IDR',
      previous_state: 'NORMAL',
      state: 'HALT',
      reasons: [reason],
      trigger: 'override',
      at: T0,
    })
    const status = (await ops(app, 'GET', '/v1/reserve/risk-status?environment=sandbox')).json()
    assert.equal(status.corridors['USD-IDR'].status, 'HALT')

    const audit = await app.admin('GET', '/admin/v1/audit?action=risk.state_override')
    assert.equal(audit.statusCode, 200, audit.body)
    const items = audit.json().items
    assert.equal(items.length, 1)
    assert.deepEqual(
      { ...items[0], id: undefined },
      {
        id: undefined,
        actor: 'ops',
        action: 'risk.state_override',
        target_type: 'corridor',
        target_id: 'sandbox:USD-IDR',
        before: { state: 'NORMAL' },
        after: { state: 'HALT', reason: 'custodian outage', expires_at: expiresAt },
        at: iso(T0),
      },
    )

    // One second before expiry the override holds, even through a recovery evaluation.
    await advanceWithFreshPrices(app, 30 * 60_000 - 1_000, 30 * 60_000)
    await app.stablefx.services.risk.evaluateNow('sandbox', 'recover', 'timer')
    assert.equal((await corridorState(app, partner, 'USD-IDR')).state, 'HALT')
    // At expiry the computed state applies: NORMAL, with nothing of the HALT held over.
    await advanceWithFreshPrices(app, 1_000)
    const after = await corridorState(app, partner, 'USD-IDR')
    assert.equal(after.state, 'NORMAL')
    assert.deepEqual(after.reasons, [])
    const quote = await quoteOk(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '100' })
    assert.equal(quote.state_flag, 'NORMAL')
  })

  it('an override that loosens a HALT from the signals holds only until it expires', T, async (t) => {
    const app = await openApp(t, dialect)
    await setMarket(app)
    const partner = await createPartner(app)
    // Live pools start empty: the inventory signal halts every live corridor (both pools below 20 % of
    // target, each halting the side the other needs).
    const computedReason =
      'inventory: USD-IDR USDT Active pool at 0% of target (IR -100%), below 20% of target, and IDRX Active pool at 0% of target (IR -100%), below 20% of target: both directions halted'
    const halted = await corridorState(app, partner, 'USD-IDR', 'live')
    assert.equal(halted.state, 'HALT')
    assert.deepEqual(halted.reasons, [computedReason])

    // The environment defaults to live on the operations API.
    const expiresAt = iso(T0 + 10 * 60_000)
    const body = await override(app, {
      corridor: 'USD-IDR',
      state: 'NORMAL',
      reason: 'market maker refilling',
      expires_at: expiresAt,
    })
    assert.deepEqual(
      body.changes.map((c: { previous_state: string; state: string }) => [c.previous_state, c.state]),
      [['HALT', 'NORMAL']],
    )
    const loosened = await corridorState(app, partner, 'USD-IDR', 'live')
    assert.equal(loosened.state, 'NORMAL')
    assert.deepEqual(loosened.allowed_directions, ['BUY', 'SELL'])
    // The override's reason first, then what the signals still say.
    assert.deepEqual(loosened.reasons, [
      `override: NORMAL until ${expiresAt}: market maker refilling`,
      computedReason,
    ])
    // Sandbox is untouched.
    assert.equal((await corridorState(app, partner, 'USD-IDR')).state, 'NORMAL')

    // Degradation and recovery evaluations leave the override in force until it expires.
    await advanceWithFreshPrices(app, 10 * 60_000 - 1_000, 10 * 60_000)
    const evaluated = await ops(app, 'POST', '/v1/risk/evaluate', {})
    assert.equal(evaluated.statusCode, 200, evaluated.body)
    assert.deepEqual(evaluated.json(), { environment: 'live', changes: [] })
    assert.equal((await corridorState(app, partner, 'USD-IDR', 'live')).state, 'NORMAL')

    const before = await transitions(app, 'live', 'USD-IDR')
    await advanceWithFreshPrices(app, 1_000)
    const expired = await corridorState(app, partner, 'USD-IDR', 'live')
    assert.equal(expired.state, 'HALT')
    assert.deepEqual(expired.reasons, [computedReason])
    assert.deepEqual(expired.allowed_directions, [])
    const added = (await transitions(app, 'live', 'USD-IDR')).slice(before.length)
    assert.deepEqual(
      added.map(({ previous_state, state, reasons, at }) => ({ previous_state, state, reasons, at })),
      [{ previous_state: 'NORMAL', state: 'HALT', reasons: [computedReason], at: T0 + 10 * 60_000 }],
    )
  })

  it('expires_at must be in the future and at most 7 days ahead', T, async (t) => {
    const app = await openApp(t, dialect)
    await setMarket(app)
    const partner = await createPartner(app)
    const attempt = (expires_at: string) =>
      ops(app, 'POST', '/v1/reserve/state-override', {
        corridor: 'USD-IDR',
        state: 'HALT',
        reason: 'boundary',
        expires_at,
        environment: 'sandbox',
      })
    const sevenDaysMs = 7 * 24 * HOUR_MS
    const past = expectError(await attempt(iso(T0 - 1_000)), 400, 'VALIDATION_ERROR')
    assert.equal(past.message, 'expires_at must be in the future')
    expectError(await attempt(iso(T0)), 400, 'VALIDATION_ERROR')
    const far = expectError(await attempt(iso(T0 + sevenDaysMs + 1_000)), 400, 'VALIDATION_ERROR')
    assert.equal(far.message, 'an override may last at most 7 days')
    expectError(await attempt('2026-11-23 01:00'), 400, 'VALIDATION_ERROR')
    // Refused overrides change nothing and are not stored or audited.
    assert.equal((await corridorState(app, partner, 'USD-IDR')).state, 'NORMAL')
    const stored = await app.store.kysely.selectFrom('risk_overrides').select('id').execute()
    assert.equal(stored.length, 0)
    const audit = (await app.admin('GET', '/admin/v1/audit?action=risk.state_override')).json()
    assert.equal(audit.items.length, 0)

    // Exactly 7 days is allowed.
    const response = await attempt(iso(T0 + sevenDaysMs))
    assert.equal(response.statusCode, 200, response.body)
    assert.equal((await corridorState(app, partner, 'USD-IDR')).state, 'HALT')
  })

  it('the operations routes take the ops token only', T, async (t) => {
    const app = await openApp(t, dialect)
    await setMarket(app)
    const partner = await createPartner(app)
    const overrideBody = {
      corridor: 'USD-IDR',
      state: 'HALT',
      reason: 'auth',
      expires_at: iso(T0 + HOUR_MS),
      environment: 'sandbox',
    }
    const routes = [
      { method: 'GET', url: '/v1/reserve/risk-status' },
      { method: 'POST', url: '/v1/reserve/state-override', payload: overrideBody },
      { method: 'POST', url: '/v1/risk/evaluate', payload: {} },
    ] as const
    for (const route of routes) {
      const as = (headers: Record<string, string>) =>
        app.inject({
          method: route.method,
          url: route.url,
          headers,
          ...('payload' in route ? { payload: route.payload } : {}),
        })
      expectError(await as({ authorization: `Bearer ${ADMIN_TOKEN}` }), 401, 'UNAUTHORIZED')
      expectError(await as({}), 401, 'UNAUTHORIZED')
      expectError(await as(partner.headers('sandbox')), 403, 'FORBIDDEN')
      expectError(await as(partner.headers('live')), 403, 'FORBIDDEN')
    }
    // Nothing got through.
    assert.equal((await corridorState(app, partner, 'USD-IDR')).state, 'NORMAL')
    // The ops token is no admin token either.
    expectError(await ops(app, 'GET', '/admin/v1/audit'), 401, 'UNAUTHORIZED')
  })

  it('POST /v1/risk/evaluate runs the recovery evaluation now', T, async (t) => {
    const app = await openApp(t, dialect)
    await setMarket(app)
    const partner = await createPartner(app)
    // PROTECT from a near-stale oracle: both USD-IDR primaries 16 s old (80 % of 20 s).
    await sourcePrice(app, 'primary_a', 'USD-IDR', '16250', 16_000)
    await sourcePrice(app, 'primary_b', 'USD-IDR', '16250', 16_000)
    await settleRisk(app)
    assert.equal((await corridorState(app, partner, 'USD-IDR')).state, 'PROTECT')
    // Fresh prices clear the signal, but a degradation check keeps PROTECT.
    await sourcePrice(app, 'primary_a', 'USD-IDR', '16250')
    await sourcePrice(app, 'primary_b', 'USD-IDR', '16250')
    await settleRisk(app)
    assert.equal((await corridorState(app, partner, 'USD-IDR')).state, 'PROTECT')

    const response = await ops(app, 'POST', '/v1/risk/evaluate', { environment: 'sandbox' })
    assert.equal(response.statusCode, 200, response.body)
    const body = response.json()
    assert.deepEqual(body, {
      environment: 'sandbox',
      changes: [
        {
          id: body.changes[0]?.id,
          corridor: 'USD-IDR',
          previous_state: 'PROTECT',
          state: 'NORMAL',
          reasons: [],
          trigger: 'operator',
          timestamp: iso(app.stablefx.services.clocks.sandbox.now()),
        },
      ],
    })
    assert.equal((await transitions(app, 'sandbox', 'USD-IDR')).at(-1)?.trigger, 'operator')
    assert.equal((await corridorState(app, partner, 'USD-IDR')).state, 'NORMAL')
  })
})
