import { randomUUID } from 'node:crypto'
import { recordAudit } from '../audit/audit.ts'
import { ASSETS, type AssetCode } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'
import { fail, ok, type Result } from '../errors.ts'
import { ownedPoolAccount, protocolAccount } from '../ledger/accounts.ts'
import { type Posting, postEntry } from '../ledger/journal.ts'
import { formatDecimal } from '../money/decimal.ts'
import { minBig, mulDiv } from '../money/rounding.ts'
import { readPoolHoldings } from '../pools/holdings.ts'
import type { Store, Tx } from '../store/store.ts'
import { absorbLoss, applyIndexDelta, type VariantState } from './ktoken.ts'
import { kTokenSymbol } from './model.ts'
import { loadVariant, saveVariant } from './vaults.ts'

export type YieldView = {
  asset: AssetCode
  ktoken: string
  amount: string
  /** What class B's kTokens gained (profit) or lost (loss). */
  class_b: string
  /** What the protocol's own capital at the venue gained, or what the treasury absorbed of a loss. */
  protocol: string
  index: string
  entry_id: string
}

type Split = { classBMinor: bigint; protocolMinor: bigint; full: VariantState; legs: Posting[] }

/**
 * A profit: shared by what each owner has at the venue (class B's Yield
 * capital and the protocol's), class B's part raising the `-full` index;
 * what the index cannot promise (dust, or nobody holding `-full`) is the
 * protocol's.
 */
function profit(
  full: VariantState,
  profitMinor: bigint,
  venue: { classB: bigint; protocol: bigint },
  accounts: { classBYield: Posting['account']; protocolYield: Posting['account'] },
): Split {
  const share = mulDiv(profitMinor, venue.classB, venue.classB + venue.protocol, 'floor')
  const raised = applyIndexDelta(full, share)
  const classBMinor = raised.ok ? raised.value.backingDeltaMinor : 0n
  const protocolMinor = profitMinor - classBMinor
  return {
    classBMinor,
    protocolMinor,
    full: raised.ok ? raised.value.variant : full,
    legs: [
      { account: accounts.classBYield, amount: classBMinor },
      { account: accounts.protocolYield, amount: protocolMinor },
    ],
  }
}

/**
 * A loss (SPEC §15): the venue lost money out of the Yield pool, class B's
 * capital there first, then the protocol's. Class B's holders absorb the loss
 * down to their whole claim: beyond what class B had at the venue, its
 * Reserve capital makes the protocol whole. What remains beyond class B's
 * claim is the treasury's absorption (the protocol's capital at the venue).
 * Class A is never touched.
 */
function loss(
  full: VariantState,
  lossMinor: bigint,
  venue: { classB: bigint; protocol: bigint },
  accounts: {
    classBYield: Posting['account']
    protocolYield: Posting['account']
    classBReserve: Posting['account']
    treasury: Posting['account']
  },
): Split {
  const absorbed = absorbLoss(full, lossMinor)
  const classBAtVenue = minBig(lossMinor, venue.classB)
  const fromClassBReserve =
    absorbed.absorbedMinor > classBAtVenue ? absorbed.absorbedMinor - classBAtVenue : 0n
  return {
    classBMinor: -absorbed.absorbedMinor,
    protocolMinor: -(lossMinor - absorbed.absorbedMinor),
    full: absorbed.variant,
    legs: [
      { account: accounts.classBYield, amount: -classBAtVenue },
      { account: accounts.protocolYield, amount: -(lossMinor - classBAtVenue) },
      { account: accounts.classBReserve, amount: -fromClassBReserve },
      { account: accounts.treasury, amount: fromClassBReserve },
    ],
  }
}

export type YieldInput = {
  environment: Environment
  asset: AssetCode
  deltaMinor: bigint
  reason: string
  actor: string
  atMs: number
  /** The journal reference; a fresh one when absent. A reference posts once. */
  reference?: string
  /**
   * Issue 12: interest and losses reported by the venue are on what is booked
   * there, which is class B's capital only (the protocol's Yield capital is
   * index dust, never booked): all of a profit goes to class B's index.
   */
  classBOnly?: boolean
}

/**
 * SPEC §7.2, §12.2, §15: a yield profit (positive) or loss (negative) from
 * the external venue. Only the `-full` index moves; class A never sees
 * yield. Refused: a Yield pool with nothing at the venue, and a loss larger
 * than the Yield pool holds. Audited.
 */
export async function applyYield(store: Store, input: YieldInput): Promise<Result<YieldView>> {
  if (input.deltaMinor === 0n) return fail('VALIDATION_ERROR', 'amount must not be zero')
  return store.transaction((tx) => applyYieldInTx(tx, input))
}

/** `applyYield` inside the caller's transaction (the venue's daily report ingestion). */
export async function applyYieldInTx(tx: Tx, input: YieldInput): Promise<Result<YieldView>> {
  const { environment, asset, deltaMinor } = input
  if (deltaMinor === 0n) return fail('VALIDATION_ERROR', 'amount must not be zero')
  const key = { environment, asset, variant: 'full' as const }
  {
    const full = await loadVariant(tx, key, true)
    const pool = (await readPoolHoldings(tx, environment)).get(asset)
    const held = { classB: pool?.YIELD.byOwner.class_b ?? 0n, protocol: pool?.YIELD.byOwner.protocol ?? 0n }
    if (held.classB + held.protocol === 0n) {
      return fail(
        'KTOKEN_EMPTY_VARIANT',
        `the ${asset} Yield pool holds nothing at the venue to gain or lose`,
      )
    }
    if (-deltaMinor > held.classB + held.protocol) {
      return fail('INSUFFICIENT_FUNDS', `the ${asset} Yield pool holds less than this loss`)
    }
    const venue =
      input.classBOnly === true && deltaMinor > 0n && held.classB > 0n
        ? { classB: held.classB, protocol: 0n }
        : held
    const accounts = {
      classBYield: ownedPoolAccount(environment, asset, 'YIELD', 'class_b'),
      protocolYield: ownedPoolAccount(environment, asset, 'YIELD', 'protocol'),
      classBReserve: ownedPoolAccount(environment, asset, 'RESERVE', 'class_b'),
      treasury: protocolAccount(environment, asset, 'treasury'),
    }
    const split =
      deltaMinor > 0n ? profit(full, deltaMinor, venue, accounts) : loss(full, -deltaMinor, venue, accounts)
    const posted = await postEntry(tx, {
      environment,
      kind: 'yield',
      reference: input.reference ?? randomUUID(),
      postings: [
        { account: protocolAccount(environment, asset, 'yield_venue'), amount: -deltaMinor },
        ...split.legs,
      ].filter((leg) => leg.amount !== 0n),
      memo: { reason: input.reason },
      atMs: input.atMs,
    })
    if (!posted.ok) {
      if (posted.reason === 'insufficient_balance')
        return fail('INSUFFICIENT_FUNDS', `the ${asset} pools cannot cover this loss`)
      return fail('CONFLICT', 'this yield event was recorded already')
    }
    await saveVariant(tx, key, split.full, input.atMs)
    const decimals = ASSETS[asset].decimals
    const view: YieldView = {
      asset,
      ktoken: kTokenSymbol(asset, 'full'),
      amount: formatDecimal(deltaMinor, decimals),
      class_b: formatDecimal(split.classBMinor, decimals),
      protocol: formatDecimal(split.protocolMinor, decimals),
      index: formatDecimal(split.full.indexRay, 27),
      entry_id: posted.value.entryId.toString(),
    }
    await recordAudit(tx, {
      actor: input.actor,
      action: 'yield.event',
      targetType: 'ktoken',
      targetId: `${environment}:${kTokenSymbol(asset, 'full')}`,
      before: null,
      after: { ...view, reason: input.reason },
      atMs: input.atMs,
    })
    return ok(view)
  }
}
