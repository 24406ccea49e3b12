/**
 * Issue 11 item 5, Proof of Reserve as a risk signal, with the simulated
 * issuer over real HTTP on 127.0.0.1: polled by the `por` worker's round
 * (called directly: tests run no background workers), read by the risk
 * engine, shown in /v1/system/state and /v1/reserve/risk-status.
 *
 * The issuer publishes a supply of 1,000,000 IDRX and polls every 5 s, so a
 * reading is stale after 15 s. IDRX sits in USD-IDR and MYR-IDR; USD-SGD has
 * no issuer and no signal.
 */
import assert from 'node:assert/strict'
import { it, type TestContext } from 'node:test'
import { r } from '../../src/money/ratio.ts'
import { porSignal, reserveRatio } from '../../src/risk/signals/por.ts'
import { startIssuerSim } from '../../src/sim/issuer.ts'
import { advanceWithFreshPrices, openApp, ops, settleRisk, T } from '../risk/engine-support.ts'
import { createPartner, setMarket, T0, type TestApp, type TestPartner } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'

const ISSUER = 'IDRX Issuer'

async function setup(t: TestContext, dialect: 'sqlite' | 'postgres', ratio: string) {
  const app = await openApp(t, dialect)
  await setMarket(app)
  const sim = await startIssuerSim({ asset: 'IDRX', reservesRatio: ratio, circulatingSupply: '1000000' })
  t.after(() => sim.close())
  const issuer = await createPartner(app, {
    name: ISSUER,
    type: 'ISSUER',
    corridors: [],
    issued_asset: 'IDRX',
    mint_url: sim.mintUrl,
    redeem_url: sim.redeemUrl,
    por_url: sim.porUrl,
    por_interval_s: 5,
  })
  const ramp = await createPartner(app, { name: 'Ramp' })
  return { app, sim, issuer, ramp }
}

async function pollAndEvaluate(app: TestApp): Promise<number> {
  const polled = await app.stablefx.services.issuers.pollReserves('sandbox')
  await settleRisk(app)
  return polled
}

async function systemState(app: TestApp, partner: TestPartner) {
  const response = await app.inject({ method: 'GET', url: '/v1/system/state', headers: partner.headers() })
  assert.equal(response.statusCode, 200, response.body)
  return response.json() as {
    system_state: string
    corridors: Record<string, { state: string; reasons: string[] }>
  }
}

const porReasons = (reasons: string[]) => reasons.filter((reason) => reason.startsWith('por:'))

describeEachDialect('Proof of Reserve signal', ({ dialect }) => {
  it('at 100% gives no restriction; at 99% PROTECTs the asset’s corridors with a reason', T, async (t) => {
    const { app, sim, ramp } = await setup(t, dialect, '1')
    assert.equal(await pollAndEvaluate(app), 1)
    let state = await systemState(app, ramp)
    assert.equal(state.system_state, 'NORMAL')
    assert.deepEqual(porReasons(state.corridors['USD-IDR']?.reasons ?? []), [])

    sim.setReservesRatio('0.99')
    // Not due again before its 5 s interval: nothing is polled.
    assert.equal(await app.stablefx.services.issuers.pollReserves('sandbox'), 0)
    await advanceWithFreshPrices(app, 5_000, 5_000)
    assert.equal(await pollAndEvaluate(app), 1)
    state = await systemState(app, ramp)
    const reason = `por: proof of reserve IDRX (${ISSUER}): reserves at 99% of circulating supply, below 100%`
    assert.equal(state.corridors['USD-IDR']?.state, 'PROTECT')
    assert.deepEqual(porReasons(state.corridors['USD-IDR']?.reasons ?? []), [reason])
    assert.equal(state.corridors['MYR-IDR']?.state, 'PROTECT')
    assert.equal(state.corridors['USD-SGD']?.state, 'NORMAL')
    assert.equal(state.system_state, 'PROTECT')

    const status = await ops(app, 'GET', '/v1/reserve/risk-status?environment=sandbox')
    assert.equal(status.statusCode, 200, status.body)
    const body = status.json()
    assert.equal(body.corridors['USD-IDR'].status, 'PROTECT')
    assert.equal(body.corridors['USD-SGD'].status, 'NORMAL')
    assert.equal(body.overall_status, 'PROTECT')
    assert.deepEqual(body.proof_of_reserve, [
      {
        asset: 'IDRX',
        issuer: ISSUER,
        reserves: '990000',
        circulating_supply: '1000000',
        reserve_ratio_pct: '99',
        as_of: body.proof_of_reserve[0].as_of,
        read_at: new Date(T0 + 5_000).toISOString(),
        interval_s: 5,
        state: 'PROTECT',
        reason: reason.slice('por: '.length),
      },
    ])
    // The live environment has its own readings: none polled there yet, so nothing restricts live.
    const live = (await ops(app, 'GET', '/v1/reserve/risk-status?environment=live')).json()
    assert.deepEqual(
      [live.proof_of_reserve[0].state, live.proof_of_reserve[0].reason],
      ['NORMAL', `proof of reserve IDRX (${ISSUER}): awaiting the first reading`],
    )
  })

  it('below 98% HALTs the asset’s corridors', T, async (t) => {
    const { app, ramp } = await setup(t, dialect, '0.97')
    assert.equal(await pollAndEvaluate(app), 1)
    const state = await systemState(app, ramp)
    assert.equal(state.corridors['USD-IDR']?.state, 'HALT')
    assert.equal(state.corridors['MYR-IDR']?.state, 'HALT')
    assert.equal(state.corridors['USD-SGD']?.state, 'NORMAL')
    assert.deepEqual(porReasons(state.corridors['USD-IDR']?.reasons ?? []), [
      `por: proof of reserve IDRX (${ISSUER}): reserves at 97% of circulating supply, below the 98% halt level`,
    ])
  })

  it('a reading older than 3 intervals PROTECTs as stale, saying why polls fail', T, async (t) => {
    const { app, sim, ramp } = await setup(t, dialect, '1')
    assert.equal(await pollAndEvaluate(app), 1)
    sim.setFailureRate(1)
    await advanceWithFreshPrices(app, 20_000, 5_000)
    assert.equal(await pollAndEvaluate(app), 1)
    const state = await systemState(app, ramp)
    assert.equal(state.corridors['USD-IDR']?.state, 'PROTECT')
    assert.deepEqual(porReasons(state.corridors['USD-IDR']?.reasons ?? []), [
      `por: proof of reserve IDRX (${ISSUER}): reading stale, age 20000 ms (max 15000 ms), ` +
        'last reserves at 100% of circulating supply; last poll failed: HTTP 500',
    ])
  })

  it('an issuer that never answers is given three intervals, then PROTECTs', T, async (t) => {
    const { app, sim, ramp } = await setup(t, dialect, '1')
    sim.setFailureRate(1)
    assert.equal(await pollAndEvaluate(app), 1)
    assert.equal((await systemState(app, ramp)).system_state, 'NORMAL')
    await advanceWithFreshPrices(app, 20_000, 5_000)
    assert.equal(await pollAndEvaluate(app), 1)
    const state = await systemState(app, ramp)
    assert.equal(state.corridors['USD-IDR']?.state, 'PROTECT')
    assert.deepEqual(porReasons(state.corridors['USD-IDR']?.reasons ?? []), [
      `por: proof of reserve IDRX (${ISSUER}): no reading in 20000 ms since the first poll (max 15000 ms); ` +
        'last poll failed: HTTP 500',
    ])
  })

  it('an issuer without a por_url gives no signal', T, async (t) => {
    const app = await openApp(t, dialect)
    await setMarket(app)
    const ramp = await createPartner(app, { name: 'Ramp' })
    await createPartner(app, { name: 'Quiet Issuer', type: 'ISSUER', corridors: [], issued_asset: 'tnSGD' })
    assert.equal(await pollAndEvaluate(app), 0)
    const state = await systemState(app, ramp)
    assert.equal(state.system_state, 'NORMAL')
    const body = (await ops(app, 'GET', '/v1/reserve/risk-status?environment=sandbox')).json()
    assert.equal(body.proof_of_reserve, undefined)
  })
})

describeEachDialect('issuer config', ({ dialect }) => {
  it('checks URLs by the webhook policy, the asset and the interval', T, async (t) => {
    const app = await openApp(t, dialect)
    const refused = async (body: Record<string, unknown>, message: string) => {
      const response = await app.admin('POST', '/admin/v1/partners', { name: 'I', type: 'ISSUER', ...body })
      assert.equal(response.statusCode, 400, response.body)
      assert.equal(response.json().error.message, message)
    }
    await refused({ mint_url: 'ftp://example.com/mint' }, 'mint_url: url must use https')
    await refused(
      { por_url: 'https://user:pw@example.com/por' },
      'por_url: url must not carry credentials; authenticate deliveries by their signature',
    )
    await refused({ por_interval_s: 1 }, 'por_interval_s must be a whole number of seconds from 5 to 86400')
    const created = await app.admin('POST', '/admin/v1/partners', {
      name: 'I',
      type: 'ISSUER',
      issued_asset: 'IDRX',
      mint_url: 'https://issuer.example/mint',
    })
    assert.equal(created.statusCode, 201, created.body)
    const view = created.json()
    assert.deepEqual(
      [view.mint_url, view.redeem_url, view.issued_asset, view.por_url, view.por_interval_s],
      ['https://issuer.example/mint', null, 'IDRX', null, 60],
    )
  })
})

it('the pure signal: ratio thresholds and staleness', () => {
  const config = { haltBelow: r('0.98'), staleIntervals: 3 }
  const proof = (reserves: string, readAtMs: number | null) => ({
    issuer: 'X',
    asset: 'IDRX' as const,
    reserves: r(reserves),
    circulatingSupply: r('100'),
    asOfMs: 0,
    readAtMs,
    firstPolledAtMs: 0,
    intervalS: 60,
    error: null,
  })
  const at = (reserves: string, readAtMs: number | null = 0) =>
    porSignal(proof(reserves, readAtMs), 180_000, config).state
  assert.deepEqual(
    [at('100'), at('101'), at('99.99'), at('98'), at('97.99')],
    ['NORMAL', 'NORMAL', 'PROTECT', 'PROTECT', 'HALT'],
  )
  // 180 s is exactly 3 × 60 s: still fresh; a millisecond more is stale.
  assert.equal(porSignal(proof('100', -1), 180_000, config).state, 'PROTECT')
  // No good reading: NORMAL for three intervals after the first poll, then stale.
  assert.equal(at('100', null), 'NORMAL')
  assert.equal(porSignal(proof('100', null), 180_001, config).state, 'PROTECT')
  assert.deepEqual(reserveRatio({ reserves: r('5'), circulatingSupply: r('0') }), r('1'))
})
