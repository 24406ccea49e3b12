import { sql } from 'kysely'
import type { AssetCode } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'
import type { Reader, Tx } from '../store/store.ts'
import { type AccountKey, accountId, accountKind } from './accounts.ts'

/** Signed: positive credits the account, negative debits it. */
export type Posting = { readonly account: AccountKey; readonly amount: bigint }

export type EntryInput = {
  readonly environment: Environment
  /** What kind of movement this is (`swap`, `faucet`, `genesis`, `reversal`, …). */
  readonly kind: string
  /** Unique per (environment, kind): the same business event can never be posted twice. */
  readonly reference: string
  readonly postings: readonly Posting[]
  readonly memo?: Readonly<Record<string, unknown>>
  readonly atMs: number
  /** Set only by `reverseEntry`. */
  readonly reversesEntryId?: bigint
}

export type PostedEntry = { readonly entryId: bigint; readonly balances: ReadonlyMap<string, bigint> }

export type LedgerRefusal =
  | {
      readonly ok: false
      readonly reason: 'insufficient_balance'
      readonly accountId: string
      readonly asset: AssetCode
      readonly balance: bigint
      readonly debit: bigint
    }
  | { readonly ok: false; readonly reason: 'duplicate_reference' }
  | { readonly ok: false; readonly reason: 'unknown_entry' }
  | { readonly ok: false; readonly reason: 'already_reversed' }

export type LedgerResult = { readonly ok: true; readonly value: PostedEntry } | LedgerRefusal

/**
 * A malformed entry is a bug in the caller, not a business outcome: it throws.
 * Postings must be non-zero, of one environment, and sum to zero per asset.
 */
function assertBalanced(input: EntryInput): void {
  if (input.postings.length < 2) throw new Error(`entry ${input.kind}/${input.reference} needs two postings`)
  const sums = new Map<AssetCode, bigint>()
  for (const posting of input.postings) {
    if (posting.amount === 0n) throw new Error(`entry ${input.kind}/${input.reference} has a zero posting`)
    if (posting.account.environment !== input.environment) {
      throw new Error(`entry ${input.kind}/${input.reference} mixes environments`)
    }
    sums.set(posting.account.asset, (sums.get(posting.account.asset) ?? 0n) + posting.amount)
  }
  for (const [asset, sum] of sums) {
    if (sum !== 0n)
      throw new Error(`entry ${input.kind}/${input.reference} is unbalanced in ${asset} by ${sum}`)
  }
}

/** Creates the accounts an entry names when they do not exist yet. */
export async function ensureAccounts(tx: Tx, keys: readonly AccountKey[], atMs: number): Promise<void> {
  if (keys.length === 0) return
  await tx.kysely
    .insertInto('ledger_accounts')
    .values(
      keys.map((key) => ({
        id: accountId(key),
        environment: key.environment,
        asset: key.asset,
        owner: key.owner,
        purpose: key.purpose,
        kind: accountKind(key.purpose),
        balance: '0',
        created_at: BigInt(atMs),
      })),
    )
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()
}

type LockedAccount = { id: string; kind: string; balance: string }

/** Reads the accounts' balances, locking their rows on PostgreSQL in id order so concurrent writers never deadlock. */
async function lockAccounts(tx: Tx, ids: readonly string[]): Promise<LockedAccount[]> {
  return tx.kysely
    .selectFrom('ledger_accounts')
    .select(['id', 'kind', 'balance'])
    .where('id', 'in', ids)
    .orderBy('id')
    .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
    .execute()
}

export type OpenedEntry = { readonly ok: true; readonly entryId: bigint }

/**
 * Posts one journal entry and updates the balances it touches, in the
 * caller's transaction (SPEC §7.4). Refuses, without writing anything, when
 * an internal account would go negative or the reference was posted before.
 */
export async function postEntry(tx: Tx, input: EntryInput): Promise<LedgerResult> {
  assertBalanced(input)
  const checked = await lockAndCheck(tx, input)
  // A reference posted before is refused as such, whatever the balances say now (a second reversal
  // is `already_reversed`); looked up only on this rare path, the insert below catches it otherwise.
  if (!checked.ok)
    return (await referencePosted(tx, input)) ? { ok: false, reason: 'duplicate_reference' } : checked
  const opened = await insertEntry(tx, input)
  if (!opened.ok) return opened
  await writePostingsAndBalances(tx, opened.entryId, input.postings, checked.balances)
  return { ok: true, value: { entryId: opened.entryId, balances: checked.balances } }
}

/**
 * The first half of `postEntry`: claims the entry's reference and id
 * without touching a balance (no account row is locked yet). A writer whose
 * transaction does more after booking money opens the entry first, does the
 * rest, and completes it last, so the hot account rows (the Active pools, the
 * fee escrow) stay locked for as few round trips as possible. A refused
 * `completeEntry` must then roll the caller's transaction back (returning a
 * failure from `Store.transaction` does).
 */
export async function openEntry(tx: Tx, input: EntryInput): Promise<OpenedEntry | LedgerRefusal> {
  assertBalanced(input)
  return insertEntry(tx, input)
}

async function referencePosted(tx: Tx, input: EntryInput): Promise<boolean> {
  const row = await tx.kysely
    .selectFrom('journal_entries')
    .select('id')
    .where('environment', '=', input.environment)
    .where('kind', '=', input.kind)
    .where('reference', '=', input.reference)
    .executeTakeFirst()
  return row !== undefined
}

/** Inserts the entry's row; a reference posted before (or being posted) is a duplicate. */
async function insertEntry(tx: Tx, input: EntryInput): Promise<OpenedEntry | LedgerRefusal> {
  const inserted = await tx.kysely
    .insertInto('journal_entries')
    .values({
      environment: input.environment,
      kind: input.kind,
      reference: input.reference,
      reverses_entry_id: input.reversesEntryId ?? null,
      memo: input.memo === undefined ? null : JSON.stringify(input.memo, jsonBigint),
      created_at: BigInt(input.atMs),
    })
    .onConflict((oc) => oc.columns(['environment', 'kind', 'reference']).doNothing())
    .returning('id')
    .executeTakeFirst()
  if (inserted === undefined) return { ok: false, reason: 'duplicate_reference' }
  return { ok: true, entryId: inserted.id }
}

/**
 * The second half: locks the accounts (in id order), refuses when an
 * internal account would go negative, else writes the postings and every
 * balance in one statement each.
 */
export async function completeEntry(tx: Tx, entryId: bigint, input: EntryInput): Promise<LedgerResult> {
  if (tx.dialect === 'postgres') return completeInOneStatement(tx, entryId, input)
  const checked = await lockAndCheck(tx, input)
  if (!checked.ok) return checked
  await writePostingsAndBalances(tx, entryId, input.postings, checked.balances)
  return { ok: true, value: { entryId, balances: checked.balances } }
}

/**
 * PostgreSQL: the postings first (they lock no account), then one statement
 * that locks the accounts in id order and adds every delta, returning the new
 * balances: the accounts are held from that statement to the commit only. A
 * refusal is found after the update, so the caller's transaction must roll
 * back (see `openEntry`).
 */
async function completeInOneStatement(tx: Tx, entryId: bigint, input: EntryInput): Promise<LedgerResult> {
  const { keysById, ids } = accountsOf(input)
  const deltas = new Map<string, bigint>()
  for (const posting of input.postings) {
    const id = accountId(posting.account)
    deltas.set(id, (deltas.get(id) ?? 0n) + posting.amount)
  }
  const existing = await tx.kysely.selectFrom('ledger_accounts').select('id').where('id', 'in', ids).execute()
  await createMissing(tx, input, keysById, existing)
  await insertPostings(tx, entryId, input.postings)
  const values = sql.join(ids.map((id) => sql`(${id}, ${(deltas.get(id) as bigint).toString()}::numeric)`))
  const { rows } = await sql<{ id: string; kind: string; balance: string }>`
    with locked as (
      select id from ledger_accounts where id in (${sql.join(ids)}) order by id for no key update
    )
    update ledger_accounts as a set balance = a.balance + d.delta
    from (values ${values}) as d(id, delta)
    where a.id = d.id and a.id in (select id from locked)
    returning a.id, a.kind, a.balance::text as balance`.execute(tx.kysely)
  const balances = new Map<string, bigint>(rows.map((row) => [row.id, BigInt(row.balance)]))
  const overdrawn = rows.find((row) => BigInt(row.balance) < 0n && row.kind !== 'world')
  if (overdrawn !== undefined) return insufficient(input, keysById, overdrawn.id, BigInt(overdrawn.balance))
  return { ok: true, value: { entryId, balances } }
}

/** The accounts an entry names, by id, and their ids in the order writers lock them in. */
function accountsOf(input: EntryInput): { keysById: Map<string, AccountKey>; ids: string[] } {
  const keysById = new Map(input.postings.map((p) => [accountId(p.account), p.account]))
  return { keysById, ids: [...keysById.keys()].sort() }
}

/** Creates the entry's accounts that are not among `present`; true when it created any. */
async function createMissing(
  tx: Tx,
  input: EntryInput,
  keysById: ReadonlyMap<string, AccountKey>,
  present: readonly { id: string }[],
): Promise<boolean> {
  if (present.length >= keysById.size) return false
  const found = new Set(present.map((row) => row.id))
  const missing = [...keysById].filter(([id]) => !found.has(id)).map(([, key]) => key)
  await ensureAccounts(tx, missing, input.atMs)
  return true
}

/** The refusal for an internal account the entry would take to `balanceAfter` (< 0). */
function insufficient(
  input: EntryInput,
  keysById: ReadonlyMap<string, AccountKey>,
  id: string,
  balanceAfter: bigint,
): LedgerRefusal {
  const debit = input.postings
    .filter((p) => accountId(p.account) === id)
    .reduce((sum, p) => sum - p.amount, 0n)
  return {
    ok: false,
    reason: 'insufficient_balance',
    accountId: id,
    asset: (keysById.get(id) as AccountKey).asset,
    balance: balanceAfter + debit,
    debit,
  }
}

/** Locks the entry's accounts (creating missing ones) and computes their balances after it, or refuses. */
async function lockAndCheck(
  tx: Tx,
  input: EntryInput,
): Promise<{ readonly ok: true; readonly balances: Map<string, bigint> } | LedgerRefusal> {
  const { keysById, ids } = accountsOf(input)
  let rows = await lockAccounts(tx, ids)
  if (await createMissing(tx, input, keysById, rows)) rows = await lockAccounts(tx, ids)
  const balances = new Map<string, bigint>(rows.map((row) => [row.id, BigInt(row.balance)]))
  const kinds = new Map(rows.map((row) => [row.id, row.kind]))
  for (const posting of input.postings) {
    const id = accountId(posting.account)
    balances.set(id, (balances.get(id) as bigint) + posting.amount)
  }
  for (const [id, balance] of balances) {
    if (balance < 0n && kinds.get(id) !== 'world') return insufficient(input, keysById, id, balance)
  }
  return { ok: true, balances }
}

async function writePostingsAndBalances(
  tx: Tx,
  entryId: bigint,
  postings: readonly Posting[],
  balances: ReadonlyMap<string, bigint>,
): Promise<void> {
  await insertPostings(tx, entryId, postings)
  // Every balance in one statement: one round trip on PostgreSQL however many accounts the entry touches.
  const numeric = tx.dialect === 'postgres' ? sql`::numeric` : sql``
  const cases = [...balances].map(([id, balance]) => sql`when ${id} then ${balance.toString()}${numeric}`)
  await tx.kysely
    .updateTable('ledger_accounts')
    .set({ balance: sql<string>`case id ${sql.join(cases, sql` `)} end` })
    .where('id', 'in', [...balances.keys()])
    .execute()
}

async function insertPostings(tx: Tx, entryId: bigint, postings: readonly Posting[]): Promise<void> {
  await tx.kysely
    .insertInto('postings')
    .values(
      postings.map((p) => ({
        entry_id: entryId,
        account_id: accountId(p.account),
        amount: p.amount.toString(),
      })),
    )
    .execute()
}

/** BigInt values in memos are written as decimal strings. */
export function jsonBigint(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value
}

/**
 * Corrects an entry by posting its exact negation (entries are immutable).
 * An entry is reversed at most once; the reversal may be refused when money
 * it moved has since left an internal account.
 */
export async function reverseEntry(
  tx: Tx,
  entryId: bigint,
  reason: string,
  atMs: number,
): Promise<LedgerResult> {
  const original = await tx.kysely
    .selectFrom('journal_entries')
    .select(['id', 'environment', 'kind', 'reference'])
    .where('id', '=', entryId)
    .executeTakeFirst()
  if (original === undefined) return { ok: false, reason: 'unknown_entry' }
  const postings = await tx.kysely
    .selectFrom('postings')
    .innerJoin('ledger_accounts', 'ledger_accounts.id', 'postings.account_id')
    .select([
      'postings.amount',
      'ledger_accounts.environment',
      'ledger_accounts.asset',
      'ledger_accounts.owner',
    ])
    .select('ledger_accounts.purpose')
    .where('postings.entry_id', '=', entryId)
    .orderBy('postings.id')
    .execute()
  const negated: Posting[] = postings.map((p) => ({
    account: {
      environment: p.environment as Environment,
      asset: p.asset as AssetCode,
      owner: p.owner,
      purpose: p.purpose as AccountKey['purpose'],
    },
    amount: -BigInt(p.amount),
  }))
  const result = await postEntry(tx, {
    environment: original.environment as Environment,
    kind: 'reversal',
    reference: String(entryId),
    postings: negated,
    memo: { reverses: { kind: original.kind, reference: original.reference }, reason },
    atMs,
    reversesEntryId: entryId,
  })
  if (!result.ok && result.reason === 'duplicate_reference') return { ok: false, reason: 'already_reversed' }
  return result
}

export async function balanceOf(db: Reader, key: AccountKey): Promise<bigint> {
  const row = await db.kysely
    .selectFrom('ledger_accounts')
    .select('balance')
    .where('id', '=', accountId(key))
    .executeTakeFirst()
  return row === undefined ? 0n : BigInt(row.balance)
}

/** Several accounts' balances in one read, looked up by key; an account never written to reads 0. */
export async function balancesOf(
  db: Reader,
  keys: readonly AccountKey[],
): Promise<(key: AccountKey) => bigint> {
  if (keys.length === 0) return () => 0n
  const rows = await db.kysely
    .selectFrom('ledger_accounts')
    .select(['id', 'balance'])
    .where('id', 'in', keys.map(accountId))
    .execute()
  const balances = new Map(rows.map((row) => [row.id, BigInt(row.balance)]))
  return (key) => balances.get(accountId(key)) ?? 0n
}
