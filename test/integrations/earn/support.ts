/**
 * Helpers for the yield venue tests (issue 12): a test app whose sandbox
 * venue is the bundled simulator (in-process, over HTTP on 127.0.0.1, on the
 * sandbox clock) with short retry delays, a class B LP, and readers of the
 * venue tables and the `-full` index.
 */
import assert from 'node:assert/strict'
import { createStablefx } from '../../../src/app.ts'
import { createManualClock } from '../../../src/clock/clock.ts'
import { createEarnClient } from '../../../src/integrations/earn/client.ts'
import type { EarnVenueOptions } from '../../../src/sim/earn-venue.ts'
import type { Store } from '../../../src/store/store.ts'
import { advance, DAY_S, readyLp, walletAddress } from '../../liquidity/lp-support.ts'
import {
  ADMIN_TOKEN,
  OPS_TOKEN,
  setMarket,
  T0,
  type TestApp,
  type TestPartner,
  testAppOf,
} from '../../support/app.ts'

export async function createEarnApp(store: Store, venue: EarnVenueOptions = {}): Promise<TestApp> {
  const clock = createManualClock(T0)
  const stablefx = await createStablefx({
    store,
    adminToken: ADMIN_TOKEN,
    opsToken: OPS_TOKEN,
    liveClock: clock,
    logLevel: 'silent',
    rateLimit: false,
    processMetrics: false,
    oracleMode: 'manual',
    rebalancer: false,
    earn: { sandbox: { kind: 'simulator', options: venue }, retryDelayMs: 1 },
  })
  return testAppOf(stablefx, clock, store)
}

export const earn = (app: TestApp) => app.stablefx.services.earn

/** A class B LP with a cooled wallet and `funds` USDT at the faucet; the clock ends 25 h later (mid-day). */
export async function classBLp(
  app: TestApp,
  n: number,
  funds: string[],
): Promise<{ lp: TestPartner; wallet: string }> {
  await setMarket(app)
  const wallet = walletAddress(n)
  const lp = await readyLp(app, { liquidityClass: 'B', wallet, funds: { USDT: funds }, name: `LP B ${n}` })
  await advance(app, DAY_S + 3600)
  return { lp, wallet }
}

/** The `-full` index of an asset (27-decimal integer text). */
export async function fullIndex(store: Store, asset = 'USDT'): Promise<string> {
  const row = await store.kysely
    .selectFrom('ktoken_variants')
    .selectAll()
    .where('environment', '=', 'sandbox')
    .where('asset', '=', asset)
    .where('variant', '=', 'full')
    .executeTakeFirst()
  assert.ok(row, 'no -full variant')
  return String((row as Record<string, unknown>).index_ray)
}

export async function outbox(store: Store) {
  return store.kysely.selectFrom('earn_outbox').selectAll().orderBy('seq').orderBy('reference').execute()
}

/** The ledger's balance of an account (0 when it does not exist yet), as integer text in smallest units. */
export async function ledgerBalance(store: Store, id: string): Promise<string> {
  const row = await store.kysely
    .selectFrom('ledger_accounts')
    .select('balance')
    .where('id', '=', id)
    .executeTakeFirst()
  return String(row?.balance ?? '0')
}

/** A client of our own on the sandbox simulator's credentials (what the venue publishes, or bookings behind our back). */
export async function venueClient(app: TestApp) {
  const venue = await earn(app).simulator('sandbox')
  assert.ok(venue)
  const client = createEarnClient({
    config: { baseUrl: venue.url, tokenUrl: venue.tokenUrl, credentials: venue.credentials },
    now: () => app.stablefx.services.clocks.sandbox.now(),
    baseDelayMs: 1,
  })
  return { venue, client }
}

/**
 * Books at the simulated venue, in the LP's lending account, what our ledger
 * never moved (someone else's deposit or withdrawal there): the next report
 * disagrees with our books.
 */
export async function bookBehindOurBack(
  app: TestApp,
  store: Store,
  lpId: string,
  booking: 'deposits' | 'withdrawals',
  amount: string,
): Promise<void> {
  const { client } = await venueClient(app)
  const account = await store.kysely
    .selectFrom('earn_accounts')
    .select('venue_account_id')
    .where('entity', '=', 'lending')
    .where('owner', '=', lpId)
    .executeTakeFirstOrThrow()
  await client.call('lending', 'POST', `/v1/accounts/${account.venue_account_id}/${booking}`, {
    amount,
    reference: 'not-ours',
  })
}
