import { createHash, randomUUID } from 'node:crypto'
import { recordAudit } from '../../audit/audit.ts'
import { ASSETS, type AssetCode } from '../../config/assets.ts'
import type { Environment } from '../../config/environment.ts'
import { fail, ok, type Result } from '../../errors.ts'
import { protocolAccount } from '../../ledger/accounts.ts'
import { postEntry } from '../../ledger/journal.ts'
import { applyYieldInTx } from '../../liquidity/yield.ts'
import { r } from '../../money/ratio.ts'
import { usdToMinor } from '../../pools/model.ts'
import { referenceUsdRates, type UsdRates } from '../../pools/usd-rates.ts'
import { type EarnVenue, type EarnVenueOptions, startEarnVenue } from '../../sim/earn-venue.ts'
import type { Store, Tx } from '../../store/store.ts'
import { ensureCycle, isAsset, movePosition, type SplitPart, splitOf, validSplit } from './bookings.ts'
import type { EarnChainPayer } from './chain-payer.ts'
import { payOwedOnChain } from './chain-settlements.ts'
import { createEarnClient, EarnCallError, type EarnClient, type EarnVenueConfig } from './client.ts'
import {
  creditInterest,
  dayOf,
  dayStartMs,
  ENTITIES,
  type Entity,
  formatWad,
  fromWadFloor,
  nextDay,
  parseWad,
  settlementDecision,
  toWad,
} from './model.ts'
import { recordVenueSettlement } from './settlement-events.ts'
import { moveAtVenue } from './venue-ledger.ts'

/**
 * Issue 12: the yield venue integration's imperative shell. Sends the
 * booking queue, runs the daily cycle (fetch each entity's report after
 * 00:00 UTC of the environment's clock, ingest it once by its id: interest
 * into the `-full` index, losses to class B then the treasury, reconcile,
 * settle), syncs products, and answers the admin view. In sandbox with no
 * venue configured it starts the bundled simulator in-process, on an
 * ephemeral port, the first time it is needed.
 */
export type EarnVenueSetting =
  | { readonly kind: 'simulator'; readonly options?: EarnVenueOptions }
  | { readonly kind: 'venue'; readonly config: EarnVenueConfig }
  | { readonly kind: 'off' }

export type EarnDeps = {
  readonly store: Store
  readonly clocks: Readonly<Record<Environment, { now(): number }>>
  readonly venues: Readonly<Record<Environment, EarnVenueSetting>>
  /** Settlement threshold in USD (ours: 1,000), converted at the environment's rates. */
  readonly thresholdUsd?: bigint
  readonly moneyRates?: (environment: Environment) => Result<UsdRates>
  readonly log?: { error(obj: object, msg: string): void; warn(obj: object, msg: string): void }
  /** Client retries (tests shorten the backoff). */
  readonly retryDelayMs?: number
  /** The EVM environment's payer (STABLEFX_CHAIN=evm): a configured venue's settlements are paid on chain. */
  readonly chainPayer?: EarnChainPayer | undefined
}

type Doc = {
  id: string
  date: string
  currencies: { currency: string; closing: bigint; outstanding: bigint; settled: bigint }[]
  entries: {
    type: string
    accountId: string | null
    currency: string
    amount: bigint
    reference: string | null
  }[]
  settlements: { currency: string; amount: bigint; txHash: string }[]
}

const DAY_MS = 86_400_000
const PRODUCT_SYNC_MS = 6 * 3_600_000
const SETTLEMENT_ATTEMPTS = 8

function parseDoc(raw: unknown): Doc {
  const bad = (what: string) => new EarnCallError(0, 'BAD_REPORT', `report: ${what}`, false)
  if (typeof raw !== 'object' || raw === null) throw bad('not an object')
  const doc = raw as Record<string, unknown>
  if (typeof doc.id !== 'string' || doc.id.length === 0 || doc.id.length > 200) throw bad('id')
  if (typeof doc.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(doc.date)) throw bad('date')
  const list = (value: unknown, what: string): Record<string, unknown>[] => {
    if (!Array.isArray(value)) throw bad(what)
    return value as Record<string, unknown>[]
  }
  const wad = (value: unknown, what: string): bigint => {
    const parsed = parseWad(value)
    if (parsed === undefined) throw bad(`${what} is not an 18-decimal string`)
    return parsed
  }
  return {
    id: doc.id,
    date: doc.date,
    currencies: list(doc.currencies, 'currencies').map((c) => ({
      currency: String(c.currency),
      closing: wad(c.closingBalance, 'closingBalance'),
      outstanding: wad(c.outstandingBalance, 'outstandingBalance'),
      settled: c.settledToPartner === undefined ? 0n : wad(c.settledToPartner, 'settledToPartner'),
    })),
    entries: list(doc.journalEntries, 'journalEntries').map((e) => ({
      type: String(e.type),
      accountId: typeof e.accountId === 'string' ? e.accountId : null,
      currency: String(e.currency),
      amount: wad(e.amount, 'amount'),
      reference: typeof e.reference === 'string' ? e.reference : null,
    })),
    settlements: list(doc.settlements ?? [], 'settlements').map((s) => ({
      currency: String(s.currency),
      amount: wad(s.amount, 'settlement amount'),
      txHash: String(s.txHash),
    })),
  }
}

export type EarnService = ReturnType<typeof createEarnService>

export function createEarnService(deps: EarnDeps) {
  const { store } = deps
  const thresholdUsd = deps.thresholdUsd ?? 1000n
  const clients = new Map<Environment, Promise<{ client: EarnClient; venue?: EarnVenue } | undefined>>()
  const lastProductSync = new Map<Environment, number>()
  const now = (environment: Environment) => deps.clocks[environment].now()

  function clientFor(environment: Environment) {
    let made = clients.get(environment)
    if (made === undefined) {
      const setting = deps.venues[environment]
      made = (async () => {
        if (setting.kind === 'off') return undefined
        const retry = deps.retryDelayMs === undefined ? {} : { baseDelayMs: deps.retryDelayMs }
        if (setting.kind === 'venue')
          return {
            client: createEarnClient({ config: setting.config, now: () => now(environment), ...retry }),
          }
        // The simulator's books live in our database: every node's simulator is the same venue, across restarts.
        const key = `earn_simulator_state:${environment}`
        const read = async (k: string) =>
          (await store.kysely.selectFrom('settings').select('value').where('key', '=', k).executeTakeFirst())
            ?.value
        const write = (tx: Tx, k: string, value: string) =>
          tx.kysely
            .insertInto('settings')
            .values({ key: k, value })
            .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
            .execute()
        const persist = {
          version: () => read(`${key}:version`),
          load: () => read(key),
          save: (snapshot: string) =>
            store.transaction(async (tx) => {
              const version = randomUUID()
              await write(tx, key, snapshot)
              await write(tx, `${key}:version`, version)
              return version
            }),
        }
        const venue = await startEarnVenue({ now: () => now(environment), persist, ...setting.options })
        const config = { baseUrl: venue.url, tokenUrl: venue.tokenUrl, credentials: venue.credentials }
        return { client: createEarnClient({ config, now: () => now(environment), ...retry }), venue }
      })()
      made.catch(() => clients.delete(environment))
      clients.set(environment, made)
    }
    return made
  }

  function ratesOf(environment: Environment): UsdRates {
    const rates = deps.moneyRates?.(environment)
    return rates?.ok === true ? rates.value : referenceUsdRates()
  }

  // ——— bookings ———

  async function ensureAccount(
    client: EarnClient,
    environment: Environment,
    row: { entity: Entity; owner: string; product_id: string },
  ): Promise<string> {
    const known = await store.kysely
      .selectFrom('earn_accounts')
      .select('venue_account_id')
      .where('environment', '=', environment)
      .where('entity', '=', row.entity)
      .where('owner', '=', row.owner)
      .where('product_id', '=', row.product_id)
      .executeTakeFirst()
    if (known !== undefined) return known.venue_account_id
    let user = await store.kysely
      .selectFrom('earn_users')
      .select('venue_user_id')
      .where('environment', '=', environment)
      .where('entity', '=', row.entity)
      .where('owner', '=', row.owner)
      .executeTakeFirst()
    if (user === undefined) {
      // The venue answers the same user for the same externalId: a crash before we store it is harmless.
      const made = await client.call<{ id: string }>(row.entity, 'POST', '/v1/users', {
        externalId: `${environment}:${row.owner}`,
      })
      await store.kysely
        .insertInto('earn_users')
        .values({
          environment,
          entity: row.entity,
          owner: row.owner,
          venue_user_id: made.id,
          created_at: BigInt(now(environment)),
        })
        .onConflict((oc) => oc.columns(['environment', 'entity', 'owner']).doNothing())
        .execute()
      user = { venue_user_id: made.id }
    }
    const account = await client.call<{ id: string }>(
      row.entity,
      'POST',
      `/v1/users/${encodeURIComponent(user.venue_user_id)}/accounts`,
      { productId: row.product_id },
    )
    await store.kysely
      .insertInto('earn_accounts')
      .values({
        environment,
        entity: row.entity,
        owner: row.owner,
        product_id: row.product_id,
        venue_account_id: account.id,
        created_at: BigInt(now(environment)),
      })
      .onConflict((oc) => oc.columns(['environment', 'entity', 'owner', 'product_id']).doNothing())
      .execute()
    return account.id
  }

  /**
   * Sends due bookings in queue order; an entity whose venue fails keeps its
   * order (its later bookings wait), the other entity goes on. A booking the
   * venue refuses for good is REJECTED and logged for an operator.
   */
  async function sendBookings(
    environment: Environment,
    stillHeld: () => boolean = () => true,
  ): Promise<number> {
    const due = await store.kysely
      .selectFrom('earn_outbox')
      .selectAll()
      .where('environment', '=', environment)
      .where('status', '=', 'PENDING')
      .orderBy('seq')
      .orderBy('reference')
      .limit(200)
      .execute()
    if (due.length === 0) return 0
    const made = await clientFor(environment)
    if (made === undefined) return 0
    const blocked = new Set<string>()
    let sent = 0
    for (const row of due) {
      if (!stillHeld()) break
      if (blocked.has(row.entity)) continue
      const nowMs = now(environment)
      if (Number(row.next_attempt_at) > nowMs) {
        blocked.add(row.entity)
        continue
      }
      const entity = row.entity as Entity
      try {
        const accountId = await ensureAccount(made.client, environment, { ...row, entity })
        const booking = await made.client.call<{ id: string; bookedAt: string }>(
          entity,
          'POST',
          `/v1/accounts/${encodeURIComponent(accountId)}/${row.kind === 'DEPOSIT' ? 'deposits' : 'withdrawals'}`,
          {
            amount: formatWad(toWad(BigInt(row.amount), ASSETS[row.asset as AssetCode].decimals)),
            reference: row.reference,
          },
        )
        const bookedAt = Date.parse(booking.bookedAt)
        // The booking and the money it puts at (or takes from) the entity's venue account, together.
        await store.transaction(async (tx) => {
          await ensureCycle(tx, environment, entity, Number.isFinite(bookedAt) ? bookedAt : nowMs)
          const marked = await tx.kysely
            .updateTable('earn_outbox')
            .set({
              status: 'SENT',
              venue_booking_id: booking.id,
              booked_at: BigInt(Number.isFinite(bookedAt) ? bookedAt : nowMs),
              attempts: row.attempts + 1n,
              last_error: null,
              updated_at: BigInt(nowMs),
            })
            .where('reference', '=', row.reference)
            .where('status', '=', 'PENDING')
            .executeTakeFirst()
          if (BigInt(marked.numUpdatedRows) === 0n) return
          await moveAtVenue(tx, {
            environment,
            entity,
            asset: row.asset as AssetCode,
            deltaMinor: (row.kind === 'DEPOSIT' ? 1n : -1n) * BigInt(row.amount),
            reference: `booking:${row.reference}`,
            reason: `venue ${row.kind.toLowerCase()} booking ${booking.id} (${row.cause})`,
            atMs: nowMs,
          })
        })
        sent++
      } catch (error) {
        const retryable = !(error instanceof EarnCallError) || error.retryable || error.status === 401
        const attempts = row.attempts + 1n
        const backoffMs = Math.min(300_000, 1_000 * 2 ** Math.min(Number(attempts), 20))
        await store.kysely
          .updateTable('earn_outbox')
          .set({
            status: retryable ? 'PENDING' : 'REJECTED',
            attempts,
            next_attempt_at: BigInt(nowMs + (retryable ? backoffMs : 0)),
            last_error: (error as Error).message,
            updated_at: BigInt(nowMs),
          })
          .where('reference', '=', row.reference)
          .execute()
        if (!retryable)
          deps.log?.error(
            { reference: row.reference, entity },
            `yield venue refused a booking: ${(error as Error).message}`,
          )
        blocked.add(row.entity)
      }
    }
    return sent
  }

  // ——— daily cycle ———

  async function sentNet(
    tx: Tx,
    environment: Environment,
    entity: Entity,
    asset: AssetCode,
    range: { from?: number; until: number },
  ): Promise<bigint> {
    const rows = await tx.kysely
      .selectFrom('earn_outbox')
      .select(['kind', 'amount', 'booked_at'])
      .where('environment', '=', environment)
      .where('entity', '=', entity)
      .where('asset', '=', asset)
      .where('status', '=', 'SENT')
      .where('booked_at', '<', BigInt(range.until))
      .$if(range.from !== undefined, (q) => q.where('booked_at', '>=', BigInt(range.from ?? 0)))
      .execute()
    return rows.reduce((sum, row) => sum + (row.kind === 'DEPOSIT' ? 1n : -1n) * BigInt(row.amount), 0n)
  }

  /** Books the day's interest or loss into the pools: the `-full` index, else (no class B to take it) the treasury. */
  async function bookYield(
    tx: Tx,
    input: {
      environment: Environment
      entity: Entity
      asset: AssetCode
      deltaMinor: bigint
      reportId: string
      date: string
      atMs: number
    },
  ): Promise<string> {
    const reference = `earn:${input.entity}:${input.reportId}:${input.asset}`
    const applied = await applyYieldInTx(tx, {
      environment: input.environment,
      asset: input.asset,
      deltaMinor: input.deltaMinor,
      reason: `venue report ${input.reportId} (${input.entity}, ${input.date})`,
      actor: 'earn-cycle',
      atMs: input.atMs,
      reference,
      classBOnly: true,
    })
    if (applied.ok) return 'kToken'
    const posted = await postEntry(tx, {
      environment: input.environment,
      kind: 'yield',
      reference,
      postings: [
        {
          account: protocolAccount(input.environment, input.asset, 'yield_venue'),
          amount: -input.deltaMinor,
        },
        { account: protocolAccount(input.environment, input.asset, 'treasury'), amount: input.deltaMinor },
      ],
      memo: { reason: `venue report ${input.reportId}: ${applied.message}` },
      atMs: input.atMs,
    })
    if (!posted.ok) throw new Error(`venue yield of report ${input.reportId} refused: ${posted.reason}`)
    return 'treasury'
  }

  /**
   * Ingests one report, once: its id is the idempotency reference (a second
   * ingestion, concurrent or not, changes nothing). In one transaction:
   * interest and losses into the pools (rounded down to the asset, the dust
   * carried), positions per owner, reconciliation, settlements due.
   */
  async function ingestReport(
    environment: Environment,
    entity: Entity,
    raw: unknown,
  ): Promise<'ingested' | 'duplicate'> {
    const doc = parseDoc(raw)
    const nowMs = now(environment)
    const outcome = await store.transaction(async (tx) => {
      const inserted = await tx.kysely
        .insertInto('earn_reports')
        .values({
          environment,
          entity,
          report_id: doc.id,
          date: doc.date,
          status: 'PENDING',
          summary: '{}',
          ingested_at: BigInt(nowMs),
        })
        .onConflict((oc) => oc.columns(['environment', 'entity', 'report_id']).doNothing())
        .executeTakeFirst()
      if (BigInt(inserted.numInsertedOrUpdatedRows ?? 0n) === 0n) return { kind: 'duplicate' as const }
      const accounts = new Map(
        (
          await tx.kysely
            .selectFrom('earn_accounts')
            .select(['venue_account_id', 'owner', 'product_id'])
            .where('environment', '=', environment)
            .where('entity', '=', entity)
            .execute()
        ).map((a) => [a.venue_account_id, a]),
      )
      const dayStart = dayStartMs(doc.date)
      const dayEnd = dayStart + DAY_MS
      const bookedAssets = await tx.kysely
        .selectFrom('earn_outbox')
        .select('asset')
        .distinct()
        .where('environment', '=', environment)
        .where('entity', '=', entity)
        .where('status', '=', 'SENT')
        .execute()
      const currencies = new Set([
        ...doc.currencies.map((c) => c.currency),
        ...bookedAssets.map((a) => a.asset),
      ])
      const ourPayments = new Set(
        (
          await tx.kysely
            .selectFrom('earn_settlements')
            .select('tx_hash')
            .where('environment', '=', environment)
            .where('entity', '=', entity)
            .where('direction', '=', 'TO_VENUE')
            .execute()
        ).map((s) => s.tx_hash),
      )
      const lines: Record<string, unknown>[] = []
      let mismatch = false
      for (const currency of [...currencies].sort()) {
        if (!isAsset(currency)) {
          mismatch = true
          lines.push({ currency, problem: 'a currency stablefx does not hold' })
          continue
        }
        const asset = currency
        const decimals = ASSETS[asset].decimals
        const figure = doc.currencies.find((c) => c.currency === currency)
        const entries = doc.entries.filter((e) => e.currency === currency)
        const sum = (type: string) =>
          entries.filter((e) => e.type === type).reduce((s, e) => s + e.amount, 0n)
        const interest = sum('Interest')
        const lost = sum('Loss')
        for (const e of entries) {
          if ((e.type !== 'Interest' && e.type !== 'Loss') || e.accountId === null) continue
          const account = accounts.get(e.accountId)
          if (account === undefined) continue
          await movePosition(
            tx,
            { environment, entity, owner: account.owner, asset, productId: account.product_id },
            e.amount,
          )
        }
        const balance = await tx.kysely
          .selectFrom('earn_balances')
          .selectAll()
          .where('environment', '=', environment)
          .where('entity', '=', entity)
          .where('asset', '=', asset)
          .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
          .executeTakeFirst()
        const credit = creditInterest(interest + lost, BigInt(balance?.dust_wad ?? '0'), decimals)
        let bookedTo: string | null = null
        if (credit.creditMinor !== 0n)
          bookedTo = await bookYield(tx, {
            environment,
            entity,
            asset,
            deltaMinor: credit.creditMinor,
            reportId: doc.id,
            date: doc.date,
            atMs: nowMs,
          })
        const credited = BigInt(balance?.credited ?? '0') + credit.creditMinor
        await moveAtVenue(tx, {
          environment,
          entity,
          asset,
          deltaMinor: credit.creditMinor,
          reference: `report:${entity}:${doc.id}:${asset}`,
          reason: `venue report ${doc.id} (${entity}, ${doc.date}): interest less losses`,
          atMs: nowMs,
        })
        // The partner margin is the treasury's income, owed by the venue until it settles.
        const margin = creditInterest(sum('Margin'), BigInt(balance?.margin_dust_wad ?? '0'), decimals)
        if (margin.creditMinor > 0n) {
          const posted = await postEntry(tx, {
            environment,
            kind: 'earn_margin',
            reference: `earn-margin:${entity}:${doc.id}:${asset}`,
            postings: [
              { account: protocolAccount(environment, asset, 'yield_venue'), amount: -margin.creditMinor },
              { account: protocolAccount(environment, asset, 'treasury'), amount: margin.creditMinor },
            ],
            memo: { reason: `partner margin, venue report ${doc.id} (${entity}, ${doc.date})` },
            atMs: nowMs,
          })
          if (!posted.ok) throw new Error(`venue margin of report ${doc.id} refused: ${posted.reason}`)
        }
        const marginCredited = BigInt(balance?.margin_credited ?? '0') + margin.creditMinor
        const expected = (await sentNet(tx, environment, entity, asset, { until: dayEnd })) + credited
        const reportedWad = figure?.closing ?? 0n
        const reported = fromWadFloor(reportedWad, decimals).minor
        const difference = reported - expected
        // Settlement: what the venue says is outstanding, checked against our own bookings of the day.
        const previous = BigInt(balance?.outstanding_wad ?? '0')
        const dayNet = toWad(
          await sentNet(tx, environment, entity, asset, { from: dayStart, until: dayEnd }),
          decimals,
        )
        const paid = entries
          .filter((e) => e.type === 'Settlement' && e.reference !== null && ourPayments.has(e.reference))
          .reduce((s, e) => s + e.amount, 0n)
        const expectedBefore = previous - dayNet + sum('Margin') + paid
        const settledToUs = doc.settlements.filter((s) => s.currency === currency)
        const settledWad = settledToUs.reduce((s, x) => s + x.amount, 0n)
        const outstanding = figure?.outstanding ?? 0n
        const outstandingDifference = outstanding - (expectedBefore - settledWad)
        for (const inbound of settledToUs) {
          const matched = inbound.amount === expectedBefore
          const reason = `expected ${formatWad(expectedBefore)}, the venue paid ${formatWad(inbound.amount)}`
          const settlement = {
            id: `${doc.id}:${currency}:in:${inbound.txHash}`,
            environment,
            entity,
            asset,
            direction: 'FROM_VENUE',
            amount_wad: inbound.amount.toString(),
            tx_hash: inbound.txHash,
          }
          await tx.kysely
            .insertInto('earn_settlements')
            .values({
              ...settlement,
              report_id: doc.id,
              status: matched ? 'CONFIRMED' : 'FAILED',
              attempts: 0n,
              next_attempt_at: BigInt(nowMs),
              last_error: matched ? null : reason,
              created_at: BigInt(nowMs),
              updated_at: BigInt(nowMs),
            })
            .execute()
          await recordVenueSettlement(
            tx,
            settlement,
            matched ? { status: 'confirmed' } : { status: 'failed', reason },
            nowMs,
          )
          if (!matched) mismatch = true
        }
        // Our payments the venue has now reported are reconciled; one not yet sent is replaced by today's figure;
        // one sent after the cycle is still on its way and counts as paid.
        const reportedPayments = entries
          .filter((e) => e.type === 'Settlement' && e.reference !== null)
          .map((e) => e.reference as string)
        if (reportedPayments.length > 0)
          await tx.kysely
            .updateTable('earn_settlements')
            .set({ status: 'RECONCILED', updated_at: BigInt(nowMs) })
            .where('environment', '=', environment)
            .where('entity', '=', entity)
            .where('status', '=', 'CONFIRMED')
            .where('tx_hash', 'in', reportedPayments)
            .execute()
        await tx.kysely
          .updateTable('earn_settlements')
          .set({ status: 'SUPERSEDED', updated_at: BigInt(nowMs) })
          .where('environment', '=', environment)
          .where('entity', '=', entity)
          .where('asset', '=', asset)
          .where('direction', '=', 'TO_VENUE')
          .where('status', '=', 'PENDING')
          .execute()
        const inFlight = (
          await tx.kysely
            .selectFrom('earn_settlements')
            .select('amount_wad')
            .where('environment', '=', environment)
            .where('entity', '=', entity)
            .where('asset', '=', asset)
            .where('direction', '=', 'TO_VENUE')
            // SENDING: paid on chain, maybe not mined yet; counted as on its way.
            .where('status', 'in', ['CONFIRMED', 'SENDING'])
            .execute()
        ).reduce((total, row) => total + BigInt(row.amount_wad), 0n)
        const threshold = toWad(usdToMinor(r(thresholdUsd.toString()), asset, ratesOf(environment)), decimals)
        const decision = settlementDecision(outstanding + inFlight, threshold)
        if (decision?.direction === 'TO_VENUE') {
          await tx.kysely
            .insertInto('earn_settlements')
            .values({
              id: `${doc.id}:${currency}:out`,
              environment,
              entity,
              asset,
              report_id: doc.id,
              direction: 'TO_VENUE',
              amount_wad: decision.amountWad.toString(),
              status: 'PENDING',
              tx_hash: null,
              attempts: 0n,
              next_attempt_at: BigInt(nowMs),
              last_error: null,
              created_at: BigInt(nowMs),
              updated_at: BigInt(nowMs),
            })
            .execute()
        }
        if (difference !== 0n || outstandingDifference !== 0n) mismatch = true
        lines.push({
          currency,
          interest: formatWad(interest),
          loss: formatWad(-lost),
          credited: credit.creditMinor.toString(),
          booked_to: bookedTo,
          dust_wad: formatWad(credit.dustWad),
          margin: formatWad(sum('Margin')),
          margin_credited: margin.creditMinor.toString(),
          expected: expected.toString(),
          reported: reported.toString(),
          difference: difference.toString(),
          outstanding: formatWad(outstanding),
          outstanding_difference: formatWad(outstandingDifference),
          settlement: decision === undefined ? 'CARRIED' : decision.direction,
        })
        const values = {
          credited: credited.toString(),
          dust_wad: credit.dustWad.toString(),
          margin_credited: marginCredited.toString(),
          margin_dust_wad: margin.dustWad.toString(),
          outstanding_wad: outstanding.toString(),
          reported_wad: reportedWad.toString(),
          expected: expected.toString(),
          difference: difference.toString(),
          last_report_id: doc.id,
          last_report_date: doc.date,
          updated_at: BigInt(nowMs),
        }
        await tx.kysely
          .insertInto('earn_balances')
          .values({ environment, entity, asset, ...values })
          .onConflict((oc) => oc.columns(['environment', 'entity', 'asset']).doUpdateSet(values))
          .execute()
      }
      const status = mismatch ? 'MISMATCH' : 'OK'
      const summary = { report_id: doc.id, entity, date: doc.date, status, currencies: lines }
      await tx.kysely
        .updateTable('earn_reports')
        .set({ status, summary: JSON.stringify(summary) })
        .where('environment', '=', environment)
        .where('entity', '=', entity)
        .where('report_id', '=', doc.id)
        .execute()
      await tx.kysely
        .updateTable('earn_cycles')
        .set({ next_date: nextDay(doc.date), last_error: null, last_attempt_at: BigInt(nowMs) })
        .where('environment', '=', environment)
        .where('entity', '=', entity)
        .where('next_date', '<=', doc.date)
        .execute()
      await recordAudit(tx, {
        actor: 'earn-cycle',
        action: mismatch ? 'yield.venue.mismatch' : 'yield.venue.report',
        targetType: 'yield_venue',
        targetId: `${environment}:${entity}`,
        before: null,
        after: summary,
        atMs: nowMs,
      })
      return { kind: 'ingested' as const, summary, mismatch }
    })
    if (outcome.kind === 'ingested' && outcome.mismatch)
      // The alert: an operator's error log line (and MISMATCH in the admin view until a clean report).
      deps.log?.error({ environment, entity, report: outcome.summary }, 'yield venue reconciliation mismatch')
    return outcome.kind
  }

  /** Fetches and ingests every report due: one per entity per day closed on the environment's clock, in order. */
  async function runCycle(environment: Environment, stillHeld: () => boolean = () => true): Promise<number> {
    const cycles = await store.kysely
      .selectFrom('earn_cycles')
      .selectAll()
      .where('environment', '=', environment)
      .execute()
    const today = dayOf(now(environment))
    if (!cycles.some((c) => c.next_date < today)) return 0
    const made = await clientFor(environment)
    if (made === undefined) return 0
    let ingested = 0
    for (const cycle of cycles) {
      const entity = cycle.entity as Entity
      let date = cycle.next_date
      while (date < today && stillHeld()) {
        try {
          const listed = await made.client.call<{ items: { id: string; date: string }[] }>(
            entity,
            'GET',
            `/v1/reports?type=Report&date=${encodeURIComponent(date)}`,
          )
          const item = listed.items.find((i) => i.date === date)
          if (item === undefined) {
            await noteCycle(environment, entity, `the report of ${date} is not published yet`)
            break
          }
          const link = await made.client.call<{ uri: string }>(
            entity,
            'GET',
            `/v1/reports/${encodeURIComponent(item.id)}/download-uri`,
          )
          const document = await made.client.download<unknown>(entity, link.uri)
          if ((await ingestReport(environment, entity, document)) === 'ingested') ingested++
          else await advance(environment, entity, date)
          date = nextDay(date)
        } catch (error) {
          await noteCycle(environment, entity, (error as Error).message)
          break
        }
      }
    }
    return ingested
  }

  async function advance(environment: Environment, entity: Entity, date: string): Promise<void> {
    await store.kysely
      .updateTable('earn_cycles')
      .set({ next_date: nextDay(date) })
      .where('environment', '=', environment)
      .where('entity', '=', entity)
      .where('next_date', '<=', date)
      .execute()
  }

  async function noteCycle(environment: Environment, entity: Entity, problem: string): Promise<void> {
    await store.kysely
      .updateTable('earn_cycles')
      .set({ last_error: problem, last_attempt_at: BigInt(now(environment)) })
      .where('environment', '=', environment)
      .where('entity', '=', entity)
      .execute()
  }

  // ——— settlements ———

  /**
   * What we owe above the threshold is paid. In sandbox the simulator's
   * `POST /v1/settlements` stands for the chain transfer; a configured venue
   * is paid on chain through the environment's EVM sender when it has one and
   * the entity has a settlement address (src/integrations/earn/chain-settlements.ts),
   * else by an operator (the settlement stays PENDING, on the admin view, until then).
   */
  async function sendSettlements(environment: Environment): Promise<number> {
    const setting = deps.venues[environment]
    if (setting.kind === 'simulator') return payThroughSimulator(environment)
    const payer = deps.chainPayer
    if (setting.kind !== 'venue' || payer === undefined || payer.environment !== environment) return 0
    return payOwedOnChain(
      {
        store,
        now: () => now(environment),
        payer,
        addresses: setting.config.settlementAddresses ?? {},
        log: deps.log,
      },
      environment,
    )
  }

  async function payThroughSimulator(environment: Environment): Promise<number> {
    const due = await store.kysely
      .selectFrom('earn_settlements')
      .selectAll()
      .where('environment', '=', environment)
      .where('direction', '=', 'TO_VENUE')
      .where('status', '=', 'PENDING')
      .where('next_attempt_at', '<=', BigInt(now(environment)))
      .orderBy('id')
      .execute()
    if (due.length === 0 || deps.venues[environment].kind !== 'simulator') return 0
    const made = await clientFor(environment)
    if (made === undefined) return 0
    let confirmed = 0
    for (const row of due) {
      const nowMs = now(environment)
      const txHash = `0x${createHash('sha256').update(`earn-settlement|${environment}|${row.id}`).digest('hex')}`
      try {
        await made.client.call(row.entity as Entity, 'POST', '/v1/settlements', {
          currency: row.asset,
          amount: formatWad(BigInt(row.amount_wad)),
          txHash,
        })
        await store.transaction(async (tx) => {
          await tx.kysely
            .updateTable('earn_settlements')
            .set({
              status: 'CONFIRMED',
              tx_hash: txHash,
              attempts: row.attempts + 1n,
              updated_at: BigInt(nowMs),
            })
            .where('id', '=', row.id)
            .execute()
          await recordVenueSettlement(tx, { ...row, tx_hash: txHash }, { status: 'confirmed' }, nowMs)
          await recordAudit(tx, {
            actor: 'earn-cycle',
            action: 'yield.venue.settlement.confirmed',
            targetType: 'yield_venue',
            targetId: `${environment}:${row.entity}`,
            before: null,
            after: {
              id: row.id,
              asset: row.asset,
              amount: formatWad(BigInt(row.amount_wad)),
              tx_hash: txHash,
            },
            atMs: nowMs,
          })
        })
        confirmed++
      } catch (error) {
        const attempts = row.attempts + 1n
        const failed = attempts >= BigInt(SETTLEMENT_ATTEMPTS)
        await store.transaction(async (tx) => {
          await tx.kysely
            .updateTable('earn_settlements')
            .set({
              status: failed ? 'FAILED' : 'PENDING',
              attempts,
              next_attempt_at: BigInt(nowMs + Math.min(3_600_000, 1_000 * 2 ** Number(attempts))),
              last_error: (error as Error).message,
              updated_at: BigInt(nowMs),
            })
            .where('id', '=', row.id)
            .execute()
          if (!failed) return
          const reason = `gave up after ${attempts} attempts: ${(error as Error).message}`
          await recordVenueSettlement(tx, row, { status: 'failed', reason }, nowMs)
          await recordAudit(tx, {
            actor: 'earn-cycle',
            action: 'yield.venue.settlement.failed',
            targetType: 'yield_venue',
            targetId: `${environment}:${row.entity}`,
            before: null,
            after: { id: row.id, asset: row.asset, reason: (error as Error).message },
            atMs: nowMs,
          })
        })
        if (failed) deps.log?.error({ id: row.id }, 'yield venue settlement failed')
      }
    }
    return confirmed
  }

  // ——— products and configuration ———

  async function syncProducts(environment: Environment): Promise<number> {
    const made = await clientFor(environment)
    if (made === undefined) return 0
    let count = 0
    for (const entity of ENTITIES) {
      const listed = await made.client.call<{
        items: { id: string; name?: string; currency: string; apy: string }[]
      }>(entity, 'GET', '/v1/products')
      const nowMs = BigInt(now(environment))
      for (const p of listed.items) {
        const values = {
          name: String(p.name ?? p.id),
          currency: String(p.currency),
          apy: String(p.apy),
          synced_at: nowMs,
        }
        await store.kysely
          .insertInto('earn_products')
          .values({ environment, entity, product_id: String(p.id), ...values })
          .onConflict((oc) => oc.columns(['environment', 'entity', 'product_id']).doUpdateSet(values))
          .execute()
        count++
      }
    }
    lastProductSync.set(environment, now(environment))
    return count
  }

  async function setSplit(
    environment: Environment,
    asset: AssetCode,
    split: unknown,
    actor: string,
  ): Promise<Result<{ environment: Environment; asset: AssetCode; split: SplitPart[] }>> {
    if (!validSplit(split))
      return fail(
        'VALIDATION_ERROR',
        'split: one part per entity (lending, defi), each {entity, product_id, pct}, whole percentages summing to 100',
      )
    const nowMs = now(environment)
    return store.transaction(async (tx) => {
      const before = await splitOf(tx, environment, asset)
      const values = { split: JSON.stringify(split), updated_at: BigInt(nowMs) }
      await tx.kysely
        .insertInto('earn_splits')
        .values({ environment, asset, ...values })
        .onConflict((oc) => oc.columns(['environment', 'asset']).doUpdateSet(values))
        .execute()
      await recordAudit(tx, {
        actor,
        action: 'yield.venue.split',
        targetType: 'yield_venue',
        targetId: `${environment}:${asset}`,
        before,
        after: split,
        atMs: nowMs,
      })
      return ok({ environment, asset, split })
    })
  }

  async function view(environment: Environment) {
    const made =
      clients.get(environment) === undefined ? undefined : await clientFor(environment).catch(() => undefined)
    const health = made?.client.tokenHealth() ?? []
    const entities = []
    for (const entity of ENTITIES) {
      const balances = await store.kysely
        .selectFrom('earn_balances')
        .selectAll()
        .where('environment', '=', environment)
        .where('entity', '=', entity)
        .orderBy('asset')
        .execute()
      const report = await store.kysely
        .selectFrom('earn_reports')
        .select(['report_id', 'date', 'status', 'ingested_at', 'summary'])
        .where('environment', '=', environment)
        .where('entity', '=', entity)
        .orderBy('date', 'desc')
        .limit(1)
        .executeTakeFirst()
      const queue = await store.kysely
        .selectFrom('earn_outbox')
        .select(['status', 'kind', 'amount', 'asset', 'last_error'])
        .where('environment', '=', environment)
        .where('entity', '=', entity)
        .where('status', '!=', 'SENT')
        .execute()
      const settlements = await store.kysely
        .selectFrom('earn_settlements')
        .selectAll()
        .where('environment', '=', environment)
        .where('entity', '=', entity)
        .where('status', 'not in', ['CONFIRMED', 'RECONCILED', 'SUPERSEDED'])
        .execute()
      const cycle = await store.kysely
        .selectFrom('earn_cycles')
        .selectAll()
        .where('environment', '=', environment)
        .where('entity', '=', entity)
        .executeTakeFirst()
      const differences = balances
        .filter((b) => b.difference !== '0')
        .map((b) => ({
          asset: b.asset,
          booked: b.expected,
          reported: fromWadFloor(
            BigInt(b.reported_wad),
            ASSETS[b.asset as AssetCode].decimals,
          ).minor.toString(),
          difference: b.difference,
        }))
      const token = health.find((h) => h.entity === entity)
      const ledger = new Map(
        (
          await store.kysely
            .selectFrom('ledger_accounts')
            .select(['asset', 'balance'])
            .where('environment', '=', environment)
            .where('owner', '=', `venue.${entity}`)
            .where('purpose', '=', 'at_venue')
            .execute()
        ).map((row) => [row.asset, BigInt(row.balance)]),
      )
      entities.push({
        entity,
        token:
          token === undefined
            ? { status: 'NONE', expires_at: null, last_error: null }
            : { status: token.status, expires_at: token.expires_at, last_error: token.last_error },
        balances: balances.map((b) => {
          const decimals = ASSETS[b.asset as AssetCode].decimals
          return {
            asset: b.asset,
            booked: formatMinor(BigInt(b.expected), decimals),
            // The ledger's own account of money at this entity (src/integrations/earn/venue-ledger.ts).
            ledger: formatMinor(ledger.get(b.asset) ?? 0n, decimals),
            reported: formatWad(BigInt(b.reported_wad)),
            interest_credited: formatMinor(BigInt(b.credited), decimals),
            dust: formatWad(BigInt(b.dust_wad)),
            margin_credited: formatMinor(BigInt(b.margin_credited), decimals),
            outstanding: formatWad(BigInt(b.outstanding_wad)),
          }
        }),
        last_report:
          report === undefined
            ? null
            : {
                id: report.report_id,
                date: report.date,
                status: report.status,
                ingested_at: new Date(Number(report.ingested_at)).toISOString(),
              },
        next_report_date: cycle?.next_date ?? null,
        cycle_error: cycle?.last_error ?? null,
        reconciliation_status: report?.status === 'MISMATCH' || differences.length > 0 ? 'MISMATCH' : 'OK',
        differences,
        pending_bookings: queue.filter((q) => q.status === 'PENDING').length,
        rejected_bookings: queue.filter((q) => q.status === 'REJECTED').length,
        unplaced_bookings: queue.filter((q) => q.status === 'UNPLACED').length,
        outstanding_settlements: settlements.map((s) => ({
          id: s.id,
          asset: s.asset,
          direction: s.direction,
          amount: formatWad(BigInt(s.amount_wad)),
          status: s.status,
          last_error: s.last_error,
        })),
      })
    }
    return { environment, venue: deps.venues[environment].kind, entities }
  }

  /** One run of the environment's worker: bookings, then due reports, then settlements, and products a few times a day. */
  async function tick(environment: Environment, stillHeld: () => boolean = () => true): Promise<void> {
    await sendBookings(environment, stillHeld)
    await runCycle(environment, stillHeld)
    await sendSettlements(environment)
    const synced = lastProductSync.get(environment)
    const active = clients.has(environment)
    if (active && (synced === undefined || now(environment) - synced >= PRODUCT_SYNC_MS))
      await syncProducts(environment).catch((error) =>
        deps.log?.warn({ err: (error as Error).message }, 'yield venue product sync failed'),
      )
  }

  return {
    sendBookings,
    runCycle,
    ingestReport,
    sendSettlements,
    syncProducts,
    setSplit,
    view,
    tick,
    /** The in-process simulator of an environment, once started (tests reach its fault modes). */
    async simulator(environment: Environment): Promise<EarnVenue | undefined> {
      if (deps.venues[environment].kind !== 'simulator') return undefined
      return (await clientFor(environment))?.venue
    },
    async close(): Promise<void> {
      for (const made of clients.values()) {
        const value = await made.catch(() => undefined)
        await value?.venue?.close()
      }
      clients.clear()
    },
  }
}

function formatMinor(minor: bigint, decimals: number): string {
  const negative = minor < 0n
  const abs = negative ? -minor : minor
  if (decimals === 0) return `${negative ? '-' : ''}${abs}`
  const unit = 10n ** BigInt(decimals)
  return `${negative ? '-' : ''}${abs / unit}.${(abs % unit).toString().padStart(decimals, '0')}`
}
