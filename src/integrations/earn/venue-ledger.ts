import type { AssetCode } from '../../config/assets.ts'
import type { Environment } from '../../config/environment.ts'
import { atVenueAccount, atVenueContraAccount } from '../../ledger/accounts.ts'
import { postEntry } from '../../ledger/journal.ts'
import type { Tx } from '../../store/store.ts'
import type { Entity } from './model.ts'

/**
 * Issue 12 item 3, "the ledger shows money at the venue per entity as its
 * own accounts". The Yield pool accounts (`pool.YIELD`, per owner) say whose
 * capital it is; they do not say where it is, and they stay as they are (the
 * `-full` index, recalls and escalation read them). Where the money is, is a
 * second, memorandum dimension: per environment, asset and legal entity, an
 * account `at_venue` (owner `venue.lending` or `venue.defi`), and one account
 * `at_venue_contra` (owner protocol) on the other side of every such entry,
 * so each entry balances and a pool figure never moves.
 *
 * An `at_venue` account moves only by what the venue confirmed, in the
 * transaction that records it: a booking the venue accepted (deposit up,
 * withdrawal down), and a report's interest or loss as credited to the pools
 * (rounded down to the asset, the dust carried, as `credited` in
 * `earn_balances`). So after a report is ingested it equals the venue's
 * closing balance for that entity rounded down to the unit (what the
 * reconciliation calls `expected`); between reports it lacks only the
 * interest of days not yet ingested. `at_venue_contra` is minus their sum.
 *
 * Both are world accounts (they stand for the venue's books of us, outside
 * stablefx): a memorandum must never refuse a move the books of record (the
 * pools, the index) make, so a report or a confirmed booking is never
 * blocked by it. Whether an `at_venue` account agrees with the venue is the
 * daily reconciliation's check (MISMATCH and the alert), not a balance floor.
 * Settlements move crypto, not bookings, and do not move these accounts; the
 * partner margin is the treasury's income owed by the venue, not money
 * booked at it.
 */
export const VENUE_ENTRY_KIND = 'earn_venue'

export async function moveAtVenue(
  tx: Tx,
  move: {
    readonly environment: Environment
    readonly entity: Entity
    readonly asset: AssetCode
    /** Positive: more at the venue (a deposit, interest); negative: less (a withdrawal, a loss). */
    readonly deltaMinor: bigint
    /** Unique per move: `booking:<outbox reference>` or `report:<entity>:<report id>:<asset>`. */
    readonly reference: string
    readonly reason: string
    readonly atMs: number
  },
): Promise<void> {
  if (move.deltaMinor === 0n) return
  const posted = await postEntry(tx, {
    environment: move.environment,
    kind: VENUE_ENTRY_KIND,
    reference: move.reference,
    postings: [
      { account: atVenueAccount(move.environment, move.asset, move.entity), amount: move.deltaMinor },
      { account: atVenueContraAccount(move.environment, move.asset), amount: -move.deltaMinor },
    ],
    memo: { reason: move.reason },
    atMs: move.atMs,
  })
  // A duplicate is the same move recorded before (a re-run): nothing more to do.
  if (!posted.ok && posted.reason !== 'duplicate_reference')
    throw new Error(
      `the ${move.entity} ${move.asset} venue account refused ${move.deltaMinor} (${move.reference}): ${posted.reason}`,
    )
}
