import type { Reader } from '../store/store.ts'

export type Violation = { readonly rule: string; readonly detail: string }

export type VerifyReport = {
  readonly ok: boolean
  readonly accounts: number
  readonly entries: number
  readonly postings: number
  /** The first violations found (at most MAX_LISTED); `violationCount` counts them all. */
  readonly violations: readonly Violation[]
  readonly violationCount: number
}

const PAGE = 5_000
const MAX_LISTED = 100

type AccountState = { environment: string; asset: string; kind: string; stored: bigint; summed: bigint }
type EntryRow = { id: bigint; environment: string; reverses_entry_id: bigint | null }
type PostingRow = { entry_id: bigint; account_id: string; amount: string }

/**
 * Recomputes every balance from the postings and checks every ledger
 * invariant of SPEC §7.4 and §14.2: each entry sums to zero per asset and
 * stays in one environment; stored balances equal the sum of postings; no
 * internal account is negative; a reversal is the exact negation of the entry
 * it reverses. Reads page by page so a large journal fits in memory.
 * Call it inside a snapshot (`readSnapshot`) for a consistent answer.
 */
export async function verifyLedger(db: Reader): Promise<VerifyReport> {
  const violations: Violation[] = []
  let violationCount = 0
  const report = (rule: string, detail: string) => {
    violationCount++
    if (violations.length < MAX_LISTED) violations.push({ rule, detail })
  }
  const accounts = await loadAccounts(db)
  const reversals: EntryRow[] = []
  let entries = 0
  let postings = 0
  let after = -1n
  for (;;) {
    const page = await db.kysely
      .selectFrom('journal_entries')
      .select(['id', 'environment', 'reverses_entry_id'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE)
      .execute()
    if (page.length === 0) break
    const last = page[page.length - 1] as EntryRow
    const rows = await db.kysely
      .selectFrom('postings')
      .select(['entry_id', 'account_id', 'amount'])
      .where('entry_id', '>', after)
      .where('entry_id', '<=', last.id)
      .orderBy('entry_id')
      .orderBy('id')
      .execute()
    const byEntry = groupByEntry(rows)
    for (const entry of page) {
      entries++
      const entryPostings = byEntry.get(entry.id) ?? []
      postings += entryPostings.length
      checkEntry(entry, entryPostings, accounts, report)
      if (entry.reverses_entry_id !== null) reversals.push(entry)
    }
    after = last.id
  }
  for (const [id, account] of accounts) {
    if (account.stored !== account.summed) {
      report('balance_matches_postings', `${id}: stored ${account.stored}, postings sum to ${account.summed}`)
    }
    if (account.kind !== 'world' && account.stored < 0n)
      report('no_negative_balance', `${id}: ${account.stored}`)
  }
  for (const reversal of reversals) await checkReversal(db, reversal, report)
  return { ok: violationCount === 0, accounts: accounts.size, entries, postings, violations, violationCount }
}

async function loadAccounts(db: Reader): Promise<Map<string, AccountState>> {
  const rows = await db.kysely
    .selectFrom('ledger_accounts')
    .select(['id', 'environment', 'asset', 'kind', 'balance'])
    .execute()
  return new Map(
    rows.map((row) => [
      row.id,
      {
        environment: row.environment,
        asset: row.asset,
        kind: row.kind,
        stored: BigInt(row.balance),
        summed: 0n,
      },
    ]),
  )
}

function groupByEntry(rows: readonly PostingRow[]): Map<bigint, PostingRow[]> {
  const grouped = new Map<bigint, PostingRow[]>()
  for (const row of rows) {
    const list = grouped.get(row.entry_id)
    if (list === undefined) grouped.set(row.entry_id, [row])
    else list.push(row)
  }
  return grouped
}

function checkEntry(
  entry: EntryRow,
  rows: readonly PostingRow[],
  accounts: Map<string, AccountState>,
  report: (rule: string, detail: string) => void,
): void {
  if (rows.length < 2) report('entry_has_postings', `entry ${entry.id} has ${rows.length} posting(s)`)
  const sums = new Map<string, bigint>()
  for (const row of rows) {
    const account = accounts.get(row.account_id)
    const amount = BigInt(row.amount)
    if (account === undefined) {
      report('posting_account_exists', `entry ${entry.id} posts to unknown account ${row.account_id}`)
      continue
    }
    account.summed += amount
    if (account.environment !== entry.environment) {
      report('one_environment', `entry ${entry.id} (${entry.environment}) posts to ${row.account_id}`)
    }
    sums.set(account.asset, (sums.get(account.asset) ?? 0n) + amount)
  }
  for (const [asset, sum] of sums) {
    if (sum !== 0n) report('entry_balances', `entry ${entry.id} is off by ${sum} in ${asset}`)
  }
}

async function checkReversal(
  db: Reader,
  reversal: EntryRow,
  report: (rule: string, detail: string) => void,
): Promise<void> {
  const original = reversal.reverses_entry_id as bigint
  const rows = await db.kysely
    .selectFrom('postings')
    .select(['entry_id', 'account_id', 'amount'])
    .where('entry_id', 'in', [original, reversal.id])
    .execute()
  const net = new Map<string, bigint>()
  let originalCount = 0
  for (const row of rows) {
    if (row.entry_id === original) originalCount++
    net.set(row.account_id, (net.get(row.account_id) ?? 0n) + BigInt(row.amount))
  }
  const exact = originalCount > 0 && [...net.values()].every((sum) => sum === 0n)
  if (!exact)
    report('reversal_negates_original', `entry ${reversal.id} does not exactly reverse entry ${original}`)
}
