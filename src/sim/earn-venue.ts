import { randomBytes, timingSafeEqual } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseArgs } from 'node:util'
import {
  dailyInterestWad,
  dayOf,
  dayStartMs,
  ENTITIES,
  type Entity,
  formatWad,
  isEntity,
  nextDay,
  parseApy,
  parseWad,
} from '../integrations/earn/model.ts'
import { formatRatio, type Ratio } from '../money/ratio.ts'

/**
 * Issue 12: a simulated yield venue (an "Earn API", SPEC §12.2), a real HTTP
 * server on 127.0.0.1 implementing the contract stablefx's client depends on:
 *
 * - `POST /oauth/token` — OAuth2 client credentials (RFC 6749 §4.4), client
 *   authentication by HTTP Basic or `client_id`/`client_secret` in the form;
 *   one credential set per legal entity (`lending`, `defi`), strictly separate.
 * - `GET /v1/products`; `POST /v1/users {externalId}`; `POST /v1/users/{id}/accounts {productId}`;
 *   `GET /v1/accounts/{id}`; `POST /v1/accounts/{id}/deposits|withdrawals {amount, reference}`
 *   (bookings: nothing moves on chain; a reference books once).
 * - A daily accounting cycle at 00:00 UTC of its clock: interest = previous
 *   closing balance × ((1 + APY)^(1/365) − 1), rounded down to 18 decimals;
 *   the partner margin likewise; then the day's report.
 * - `GET /v1/reports?type=Report&date=`, `GET /v1/reports/{id}/download-uri`
 *   and the document it points to: per-currency `outstandingBalance`
 *   (negative: the partner owes the venue) and the day's journal entries.
 * - `POST /v1/settlements {currency, amount, txHash}`: stands for the
 *   partner's on-chain transfer to the venue's wallet (sandbox only).
 *
 * Its clock is a function, so in sandbox it follows the sandbox test clock:
 * cycles run, in order, for every midnight the clock passed, when the next
 * request arrives. Fault modes: token endpoint down, every call 5xx, slow,
 * reports published late, a loss at the next cycle.
 */
export type EarnProductConfig = {
  readonly id: string
  readonly name?: string
  readonly currency: string
  /** Decimal APY, "0.05" = 5%. */
  readonly apy: string
  /** The partner's margin, paid by the venue on the same balance; "0" by default. */
  readonly marginApy?: string
}

export type EarnCredentials = { readonly clientId: string; readonly clientSecret: string }

export type EarnVenueOptions = {
  readonly now?: () => number
  readonly port?: number
  /** Per entity; the defaults give each entity a USDT product. */
  readonly products?: Partial<Record<Entity, readonly EarnProductConfig[]>>
  /** Per entity; generated when absent (read them back from `credentials`). */
  readonly credentials?: Partial<Record<Entity, EarnCredentials>>
  /** Access token lifetime in seconds of the venue's clock (default 3600). */
  readonly tokenTtlSeconds?: number
  /** What the venue itself settles towards the partner: at least this much owed, in wad (default: anything). */
  readonly settleToPartnerMinWad?: bigint
  /**
   * Where the venue keeps its books between requests. In-process in sandbox,
   * stablefx keeps them in its database, so a restarted node, or another node
   * of the cluster with its own simulator, serves the same venue.
   */
  readonly persist?: EarnVenueStore
}

/** The venue's books kept outside the process: a version (cheap to read) and the books themselves. */
export type EarnVenueStore = {
  version(): Promise<string | undefined>
  load(): Promise<string | undefined>
  /** Writes the books under a new version, which it returns. */
  save(snapshot: string): Promise<string>
}

export type EarnFaults = {
  tokenDown: boolean
  /** Every /v1 call answers 503. */
  serverError: boolean
  /** Added before every answer (wall-clock ms). */
  slowMs: number
  /** A report becomes listable this long (venue clock ms) after its cycle. */
  reportDelayMs: number
}

type Product = { id: string; name: string; currency: string; apy: Ratio; marginApy: Ratio }
type Account = {
  id: string
  userId: string
  productId: string
  currency: string
  balance: bigint
  closing: bigint
}
type JournalEntry = {
  id: string
  type: 'Deposit' | 'Withdrawal' | 'Interest' | 'Margin' | 'Loss' | 'Settlement'
  userId: string | null
  accountId: string | null
  productId: string | null
  currency: string
  amount: string
  reference: string | null
  bookedAt: string
}
type Booking = {
  id: string
  accountId: string
  type: 'Deposit' | 'Withdrawal'
  amount: string
  reference: string
  bookedAt: string
  balance: string
}
type Report = {
  id: string
  date: string
  publishAtMs: number
  downloadToken: string
  document: Record<string, unknown>
}
type EntityState = {
  readonly entity: Entity
  readonly credentials: EarnCredentials
  readonly products: Map<string, Product>
  readonly users: Map<string, { id: string; externalId: string }>
  readonly usersByExternal: Map<string, string>
  readonly accounts: Map<string, Account>
  readonly bookings: Map<string, Booking>
  journal: JournalEntry[]
  readonly outstanding: Map<string, bigint>
  readonly reports: Report[]
  readonly losses: Map<string, bigint>
  settledToPartner: { currency: string; amount: string; txHash: string }[]
}

export type EarnVenue = {
  readonly url: string
  readonly tokenUrl: string
  readonly credentials: Readonly<Record<Entity, EarnCredentials>>
  readonly faults: EarnFaults
  /** Runs every cycle whose midnight the clock has passed (requests do this too). */
  catchUp(): Promise<void>
  /** A loss of `amount` (wad) of a currency at an entity, spread over its accounts at the next cycle. */
  scheduleLoss(entity: Entity, currency: string, amountWad: bigint): Promise<void>
  /** Every issued token stops working now (a mid-day expiry). */
  expireTokens(): Promise<void>
  /** What the venue holds for an entity, per currency (wad). */
  balances(entity: Entity): Promise<Record<string, bigint>>
  /** Users of an entity (by our external id). */
  users(entity: Entity): Promise<string[]>
  /** Counts of calls per path family, for tests. */
  readonly calls: Record<string, number>
  close(): Promise<void>
}

const MAX_BODY_BYTES = 65_536
const DAY_MS = 86_400_000

const SIM_ASSETS = ['USDT', 'IDRX', 'tnSGD', 'MYRC'] as const

/** Each entity offers a product per stablefx asset, named as stablefx's default split expects. */
const DEFAULT_PRODUCTS: Record<Entity, readonly EarnProductConfig[]> = {
  lending: SIM_ASSETS.map((c) => ({
    id: `lend-${c.toLowerCase()}`,
    name: `${c} Lending`,
    currency: c,
    apy: '0.05',
  })),
  defi: SIM_ASSETS.map((c) => ({
    id: `defi-${c.toLowerCase()}`,
    name: `${c} DeFi`,
    currency: c,
    apy: '0.08',
  })),
}

function newId(prefix: string): string {
  return `${prefix}_${randomBytes(8).toString('hex')}`
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

function productOf(config: EarnProductConfig): Product {
  const apy = parseApy(config.apy)
  const marginApy = parseApy(config.marginApy ?? '0')
  if (apy === undefined || marginApy === undefined) throw new Error(`product ${config.id}: bad APY`)
  return {
    id: config.id,
    name: config.name ?? config.id,
    currency: config.currency,
    apy,
    marginApy,
  }
}

export async function startEarnVenue(options: EarnVenueOptions = {}): Promise<EarnVenue> {
  const now = options.now ?? Date.now
  const tokenTtl = options.tokenTtlSeconds ?? 3600
  const settleMin = options.settleToPartnerMinWad ?? 1n
  const faults: EarnFaults = { tokenDown: false, serverError: false, slowMs: 0, reportDelayMs: 0 }
  const calls: Record<string, number> = {}
  let tokens = new Map<string, { entity: Entity; expiresAtMs: number }>()
  let states = new Map<Entity, EntityState>()
  for (const entity of ENTITIES) {
    const given = options.credentials?.[entity]
    states.set(entity, {
      entity,
      credentials: given ?? {
        clientId: `${entity}-${randomBytes(4).toString('hex')}`,
        clientSecret: randomBytes(24).toString('base64url'),
      },
      products: new Map(
        (options.products?.[entity] ?? DEFAULT_PRODUCTS[entity]).map((p) => [p.id, productOf(p)]),
      ),
      users: new Map(),
      usersByExternal: new Map(),
      accounts: new Map(),
      bookings: new Map(),
      journal: [],
      outstanding: new Map(),
      reports: [],
      losses: new Map(),
      settledToPartner: [],
    })
  }
  const stateOf = (entity: Entity) => states.get(entity) as EntityState
  /** The accounting day still open; cycles close it at the next midnight. */
  let openDay = dayOf(now())
  const persist = options.persist
  const snapshot = () => JSON.stringify({ tokens, states, openDay }, replacer)
  function hydrate(text: string): void {
    const saved = JSON.parse(text, reviver) as {
      tokens: typeof tokens
      states: typeof states
      openDay: string
    }
    tokens = saved.tokens
    states = saved.states
    openDay = saved.openDay
  }
  let version: string | undefined
  let written = ''
  if (persist !== undefined) {
    version = await persist.version()
    const saved = version === undefined ? undefined : await persist.load()
    if (saved === undefined) {
      written = snapshot()
      version = await persist.save(written)
    } else {
      hydrate(saved)
      written = saved
    }
  }
  // One request at a time: with persistence each one reads the books (when another process changed them),
  // changes them and writes them back (when it changed them).
  let queue: Promise<unknown> = Promise.resolve()
  function exclusive<T>(work: () => T | Promise<T>): Promise<T> {
    const run = queue.then(async () => {
      if (persist !== undefined) {
        const current = await persist.version()
        if (current !== version) {
          const saved = await persist.load()
          if (saved !== undefined) {
            hydrate(saved)
            written = saved
          }
          version = current
        }
      }
      const result = await work()
      if (persist !== undefined) {
        const books = snapshot()
        if (books !== written) {
          version = await persist.save(books)
          written = books
        }
      }
      return result
    })
    queue = run.catch(() => undefined)
    return run
  }

  function entry(
    state: EntityState,
    fields: Omit<JournalEntry, 'id' | 'bookedAt'> & { atMs: number },
  ): JournalEntry {
    const { atMs, ...rest } = fields
    const made = { id: newId('je'), ...rest, bookedAt: new Date(atMs).toISOString() }
    state.journal.push(made)
    return made
  }

  /** The accounting cycle closing `day` for one entity, at 00:00 UTC of the next day. */
  function cycle(state: EntityState, day: string): void {
    const atMs = dayStartMs(nextDay(day))
    const accounts = [...state.accounts.values()]
    // A scheduled loss: spread over the currency's accounts by balance, rounded down, the rest on the largest.
    for (const [currency, lossWad] of state.losses) {
      const held = accounts.filter((a) => a.currency === currency && a.balance > 0n)
      const total = held.reduce((sum, a) => sum + a.balance, 0n)
      const loss = lossWad > total ? total : lossWad
      let rest = loss
      const shares = held.map((a) => {
        const share = (loss * a.balance) / total
        rest -= share
        return { account: a, share }
      })
      shares.sort((x, y) => (x.account.balance > y.account.balance ? -1 : 1))
      if (shares[0] !== undefined) shares[0].share += rest
      for (const { account, share } of shares) {
        if (share === 0n) continue
        account.balance -= share
        entry(state, {
          type: 'Loss',
          userId: account.userId,
          accountId: account.id,
          productId: account.productId,
          currency,
          amount: formatWad(-share),
          reference: null,
          atMs,
        })
      }
    }
    state.losses.clear()
    const margins = new Map<string, bigint>()
    for (const account of accounts) {
      const product = state.products.get(account.productId) as Product
      const interest = dailyInterestWad(account.closing, product.apy)
      const margin = dailyInterestWad(account.closing, product.marginApy)
      if (interest > 0n) {
        account.balance += interest
        entry(state, {
          type: 'Interest',
          userId: account.userId,
          accountId: account.id,
          productId: account.productId,
          currency: account.currency,
          amount: formatWad(interest),
          reference: null,
          atMs,
        })
      }
      if (margin > 0n) margins.set(account.currency, (margins.get(account.currency) ?? 0n) + margin)
      account.closing = account.balance
    }
    for (const [currency, margin] of margins) {
      entry(state, {
        type: 'Margin',
        userId: null,
        accountId: null,
        productId: null,
        currency,
        amount: formatWad(margin),
        reference: null,
        atMs,
      })
    }
    // Netting per currency: deposits (owed to the venue) against withdrawals, margin and what was paid.
    const currencies = new Set<string>([
      ...accounts.map((a) => a.currency),
      ...state.journal.map((j) => j.currency),
      ...state.outstanding.keys(),
    ])
    const figures: Record<string, unknown>[] = []
    const settledToday: { currency: string; amount: string; txHash: string }[] = []
    for (const currency of [...currencies].sort()) {
      const sum = (type: JournalEntry['type']) =>
        state.journal
          .filter((j) => j.currency === currency && j.type === type)
          .reduce((total, j) => total + (parseWad(j.amount) ?? 0n), 0n)
      const deposits = sum('Deposit')
      const withdrawals = sum('Withdrawal')
      const margin = sum('Margin')
      const paid = sum('Settlement')
      const opening = state.outstanding.get(currency) ?? 0n
      let outstanding = opening + withdrawals + margin - deposits + paid
      const beforeSettlement = outstanding
      let settled = 0n
      if (outstanding >= settleMin) {
        settled = outstanding
        const txHash = `0x${randomBytes(32).toString('hex')}`
        settledToday.push({ currency, amount: formatWad(settled), txHash })
        outstanding = 0n
      }
      state.outstanding.set(currency, outstanding)
      const held = accounts.filter((a) => a.currency === currency)
      figures.push({
        currency,
        openingOutstandingBalance: formatWad(opening),
        deposits: formatWad(deposits),
        withdrawals: formatWad(withdrawals),
        interest: formatWad(sum('Interest')),
        margin: formatWad(margin),
        loss: formatWad(-sum('Loss')),
        settlementsReceived: formatWad(paid),
        outstandingBeforeSettlement: formatWad(beforeSettlement),
        settledToPartner: formatWad(settled),
        outstandingBalance: formatWad(outstanding),
        closingBalance: formatWad(held.reduce((total, a) => total + a.balance, 0n)),
      })
    }
    state.settledToPartner.push(...settledToday)
    const id = newId('rep')
    state.reports.push({
      id,
      date: day,
      publishAtMs: atMs + faults.reportDelayMs,
      downloadToken: randomBytes(16).toString('hex'),
      document: {
        id,
        type: 'Report',
        entity: state.entity,
        date: day,
        generatedAt: new Date(atMs).toISOString(),
        currencies: figures,
        accounts: accounts.map((a) => ({
          id: a.id,
          userId: a.userId,
          productId: a.productId,
          currency: a.currency,
          closingBalance: formatWad(a.balance),
        })),
        journalEntries: state.journal,
        settlements: settledToday.map((s) => ({ ...s, direction: 'TO_PARTNER' })),
      },
    })
    state.journal = []
  }

  function catchUpNow(): void {
    const today = dayOf(now())
    while (openDay < today) {
      for (const state of states.values()) cycle(state, openDay)
      openDay = nextDay(openDay)
    }
  }

  function authorise(req: http.IncomingMessage): EntityState | undefined {
    const header = req.headers.authorization
    if (typeof header !== 'string' || !header.startsWith('Bearer ')) return undefined
    const token = tokens.get(header.slice(7))
    if (token === undefined || token.expiresAtMs <= now()) return undefined
    return stateOf(token.entity)
  }

  function issueToken(req: http.IncomingMessage, body: string): [number, unknown] {
    const form = new URLSearchParams(body)
    let clientId = form.get('client_id') ?? undefined
    let secret = form.get('client_secret') ?? undefined
    const header = req.headers.authorization
    if (typeof header === 'string' && header.startsWith('Basic ')) {
      const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8')
      const colon = decoded.indexOf(':')
      if (colon > 0) {
        clientId = decodeURIComponent(decoded.slice(0, colon))
        secret = decodeURIComponent(decoded.slice(colon + 1))
      }
    }
    if (form.get('grant_type') !== 'client_credentials') return [400, { error: 'unsupported_grant_type' }]
    const state = [...states.values()].find(
      (s) =>
        clientId !== undefined &&
        secret !== undefined &&
        safeEqual(s.credentials.clientId, clientId) &&
        safeEqual(s.credentials.clientSecret, secret),
    )
    if (state === undefined) return [401, { error: 'invalid_client' }]
    const token = randomBytes(24).toString('base64url')
    tokens.set(token, { entity: state.entity, expiresAtMs: now() + tokenTtl * 1000 })
    return [200, { access_token: token, token_type: 'Bearer', expires_in: tokenTtl }]
  }

  function book(
    state: EntityState,
    accountId: string,
    type: 'Deposit' | 'Withdrawal',
    input: Record<string, unknown>,
  ): [number, unknown] {
    const account = state.accounts.get(accountId)
    if (account === undefined) return [404, { error: 'NOT_FOUND', message: 'no such account' }]
    const amount = parseWad(input.amount)
    const reference = input.reference
    if (amount === undefined || amount <= 0n)
      return [400, { error: 'VALIDATION_ERROR', message: 'amount: a positive 18-decimal string' }]
    if (typeof reference !== 'string' || reference.length === 0 || reference.length > 200)
      return [400, { error: 'VALIDATION_ERROR', message: 'reference: 1 to 200 characters' }]
    const existing = state.bookings.get(reference)
    if (existing !== undefined) {
      const same =
        existing.accountId === accountId && existing.type === type && existing.amount === formatWad(amount)
      return same
        ? [200, existing]
        : [409, { error: 'CONFLICT', message: 'reference used for another booking' }]
    }
    if (type === 'Withdrawal' && amount > account.balance)
      return [422, { error: 'INSUFFICIENT_BALANCE', message: 'the account holds less' }]
    account.balance += type === 'Deposit' ? amount : -amount
    const atMs = now()
    const made = entry(state, {
      type,
      userId: account.userId,
      accountId,
      productId: account.productId,
      currency: account.currency,
      amount: formatWad(amount),
      reference,
      atMs,
    })
    const booking: Booking = {
      id: made.id,
      accountId,
      type,
      amount: made.amount,
      reference,
      bookedAt: made.bookedAt,
      balance: formatWad(account.balance),
    }
    state.bookings.set(reference, booking)
    return [201, booking]
  }

  function accountView(a: Account) {
    return {
      id: a.id,
      userId: a.userId,
      productId: a.productId,
      currency: a.currency,
      balance: formatWad(a.balance),
    }
  }

  function route(req: http.IncomingMessage, url: URL, body: string, base: string): [number, unknown] {
    const path = url.pathname
    const family = path.replace(/\/[a-z]+_[0-9a-f]{16}/g, '/:id')
    calls[`${req.method} ${family}`] = (calls[`${req.method} ${family}`] ?? 0) + 1
    if (req.method === 'POST' && path === '/oauth/token') {
      if (faults.tokenDown) return [503, { error: 'temporarily_unavailable' }]
      return issueToken(req, body)
    }
    const contentMatch = /^\/v1\/reports\/([a-z0-9_]+)\/content$/.exec(path)
    if (req.method === 'GET' && contentMatch !== null) {
      if (faults.serverError) return [503, { error: 'UNAVAILABLE' }]
      for (const state of states.values()) {
        const report = state.reports.find((r) => r.id === contentMatch[1])
        if (report !== undefined && safeEqual(url.searchParams.get('token') ?? '', report.downloadToken))
          return [200, report.document]
      }
      return [404, { error: 'NOT_FOUND' }]
    }
    if (!path.startsWith('/v1/')) return [404, { error: 'NOT_FOUND' }]
    if (faults.serverError) return [503, { error: 'UNAVAILABLE', message: 'simulated outage' }]
    const state = authorise(req)
    if (state === undefined)
      return [401, { error: 'UNAUTHORIZED', message: 'missing, unknown or expired token' }]
    let input: Record<string, unknown> = {}
    if (req.method === 'POST') {
      try {
        const parsed = JSON.parse(body === '' ? '{}' : body) as unknown
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
          return [400, { error: 'VALIDATION_ERROR', message: 'a JSON object' }]
        input = parsed as Record<string, unknown>
      } catch {
        return [400, { error: 'VALIDATION_ERROR', message: 'malformed JSON' }]
      }
    }
    if (req.method === 'GET' && path === '/v1/products') {
      return [
        200,
        {
          items: [...state.products.values()].map((p) => ({
            id: p.id,
            name: p.name,
            currency: p.currency,
            apy: formatApy(p.apy),
          })),
        },
      ]
    }
    if (req.method === 'POST' && path === '/v1/users') {
      const externalId = input.externalId
      if (typeof externalId !== 'string' || externalId.length === 0 || externalId.length > 200)
        return [400, { error: 'VALIDATION_ERROR', message: 'externalId: 1 to 200 characters' }]
      const known = state.usersByExternal.get(externalId)
      if (known !== undefined) return [200, state.users.get(known)]
      const user = { id: newId('usr'), externalId }
      state.users.set(user.id, user)
      state.usersByExternal.set(externalId, user.id)
      return [201, user]
    }
    const userAccounts = /^\/v1\/users\/([a-z0-9_]+)\/accounts$/.exec(path)
    if (req.method === 'POST' && userAccounts !== null) {
      const userId = userAccounts[1] as string
      if (!state.users.has(userId)) return [404, { error: 'NOT_FOUND', message: 'no such user' }]
      const product = state.products.get(String(input.productId))
      if (product === undefined)
        return [400, { error: 'VALIDATION_ERROR', message: 'productId: unknown product' }]
      const existing = [...state.accounts.values()].find(
        (a) => a.userId === userId && a.productId === product.id,
      )
      if (existing !== undefined) return [200, accountView(existing)]
      const account: Account = {
        id: newId('acc'),
        userId,
        productId: product.id,
        currency: product.currency,
        balance: 0n,
        closing: 0n,
      }
      state.accounts.set(account.id, account)
      return [201, accountView(account)]
    }
    const accountMatch = /^\/v1\/accounts\/([a-z0-9_]+)(\/deposits|\/withdrawals)?$/.exec(path)
    if (accountMatch !== null) {
      const accountId = accountMatch[1] as string
      if (req.method === 'GET' && accountMatch[2] === undefined) {
        const account = state.accounts.get(accountId)
        return account === undefined ? [404, { error: 'NOT_FOUND' }] : [200, accountView(account)]
      }
      if (req.method === 'POST' && accountMatch[2] !== undefined)
        return book(state, accountId, accountMatch[2] === '/deposits' ? 'Deposit' : 'Withdrawal', input)
    }
    if (req.method === 'GET' && path === '/v1/reports') {
      const date = url.searchParams.get('date')
      const type = url.searchParams.get('type') ?? 'Report'
      if (type !== 'Report') return [400, { error: 'VALIDATION_ERROR', message: 'type: Report' }]
      const items = state.reports
        .filter((r) => r.publishAtMs <= now() && (date === null || r.date === date))
        .map((r) => ({
          id: r.id,
          type: 'Report',
          date: r.date,
          createdAt: new Date(r.publishAtMs).toISOString(),
        }))
      return [200, { items }]
    }
    const download = /^\/v1\/reports\/([a-z0-9_]+)\/download-uri$/.exec(path)
    if (req.method === 'GET' && download !== null) {
      const report = state.reports.find((r) => r.id === download[1] && r.publishAtMs <= now())
      if (report === undefined) return [404, { error: 'NOT_FOUND' }]
      return [200, { uri: `${base}/v1/reports/${report.id}/content?token=${report.downloadToken}` }]
    }
    if (req.method === 'POST' && path === '/v1/settlements') {
      const amount = parseWad(input.amount)
      const currency = input.currency
      const txHash = input.txHash
      if (amount === undefined || amount <= 0n || typeof currency !== 'string' || typeof txHash !== 'string')
        return [400, { error: 'VALIDATION_ERROR', message: 'currency, amount (18 decimals), txHash' }]
      const seen = state.journal.find((j) => j.type === 'Settlement' && j.reference === txHash)
      if (seen !== undefined) return [200, seen]
      return [
        201,
        entry(state, {
          type: 'Settlement',
          userId: null,
          accountId: null,
          productId: null,
          currency,
          amount: formatWad(amount),
          reference: txHash,
          atMs: now(),
        }),
      ]
    }
    return [404, { error: 'NOT_FOUND' }]
  }

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
  let base = ''
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY_BYTES) chunks.push(chunk)
    })
    req.on('end', async () => {
      if (faults.slowMs > 0) await sleep(faults.slowMs)
      let status: number
      let answer: unknown
      if (size > MAX_BODY_BYTES) [status, answer] = [413, { error: 'TOO_LARGE' }]
      else {
        const url = new URL(req.url ?? '/', base)
        try {
          ;[status, answer] = await exclusive(() => {
            catchUpNow()
            return route(req, url, Buffer.concat(chunks).toString('utf8'), base)
          })
        } catch {
          ;[status, answer] = [500, { error: 'INTERNAL' }]
        }
      }
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      res.end(JSON.stringify(answer))
    })
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const credentials = Object.fromEntries(
    ENTITIES.map((entity) => [entity, stateOf(entity).credentials]),
  ) as Record<Entity, EarnCredentials>
  return {
    url: base,
    tokenUrl: `${base}/oauth/token`,
    credentials,
    faults,
    calls,
    catchUp: () => exclusive(catchUpNow),
    scheduleLoss: (entity, currency, amountWad) =>
      exclusive(() => {
        const state = stateOf(entity)
        state.losses.set(currency, (state.losses.get(currency) ?? 0n) + amountWad)
      }),
    expireTokens: () =>
      exclusive(() => {
        for (const token of tokens.values()) token.expiresAtMs = 0
      }),
    balances: (entity) =>
      exclusive(() => {
        const out: Record<string, bigint> = {}
        for (const a of stateOf(entity).accounts.values())
          out[a.currency] = (out[a.currency] ?? 0n) + a.balance
        return out
      }),
    users: (entity) => exclusive(() => [...stateOf(entity).usersByExternal.keys()]),
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** JSON for the venue's books: bigints and Maps tagged, so they come back as they were. */
function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return { $big: value.toString() }
  if (value instanceof Map) return { $map: [...value.entries()] }
  return value
}

function reviver(_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null) {
    const tagged = value as { $big?: unknown; $map?: unknown }
    if (typeof tagged.$big === 'string') return BigInt(tagged.$big)
    if (Array.isArray(tagged.$map)) return new Map(tagged.$map as [unknown, unknown][])
  }
  return value
}

function formatApy(apy: Ratio): string {
  // APYs are configured with at most 18 decimals: this is the configured decimal back, exactly.
  return formatRatio(apy, 18, 'floor')
}

export const EARN_VENUE_SIM_USAGE = `  sim earn-venue [--port N] [--products JSON] [--token-ttl-seconds N]
                             [--lending-client-id ID --lending-client-secret S]
                             [--defi-client-id ID --defi-client-secret S]
                             [--slow-ms N] [--report-delay-ms N]
                             run a simulated yield venue (Earn API: OAuth2, products, users, bookings,
                             daily cycle at 00:00 UTC, reports) on 127.0.0.1; prints its URL and credentials`

const EARN_FLAGS = [
  'port',
  'products',
  'token-ttl-seconds',
  'lending-client-id',
  'lending-client-secret',
  'defi-client-id',
  'defi-client-secret',
  'slow-ms',
  'report-delay-ms',
] as const

/** `npx stablefx sim earn-venue …`: runs until interrupted on the wall clock; the exit code. */
export async function earnVenueSimCommand(args: readonly string[]): Promise<number> {
  let values: Record<string, string | undefined>
  try {
    values = parseArgs({
      args: [...args],
      options: Object.fromEntries(EARN_FLAGS.map((flag) => [flag, { type: 'string' as const }])),
    }).values as Record<string, string | undefined>
  } catch (error) {
    process.stderr.write(`stablefx: ${(error as Error).message}\n${EARN_VENUE_SIM_USAGE}\n`)
    return 1
  }
  let products: EarnVenueOptions['products']
  if (values.products !== undefined) {
    try {
      products = JSON.parse(values.products) as EarnVenueOptions['products']
      for (const [entity, list] of Object.entries(products ?? {})) {
        if (!isEntity(entity) || !Array.isArray(list)) throw new Error(`${entity}: not an entity's list`)
        for (const p of list) productOf(p)
      }
    } catch (error) {
      process.stderr.write(`stablefx: --products: ${(error as Error).message}\n`)
      return 1
    }
  }
  const credentials: Partial<Record<Entity, EarnCredentials>> = {}
  for (const entity of ENTITIES) {
    const clientId = values[`${entity}-client-id`]
    const clientSecret = values[`${entity}-client-secret`]
    if (clientId !== undefined && clientSecret !== undefined) credentials[entity] = { clientId, clientSecret }
  }
  const venue = await startEarnVenue({
    ...(values.port === undefined ? {} : { port: Number(values.port) }),
    ...(products === undefined ? {} : { products }),
    ...(values['token-ttl-seconds'] === undefined
      ? {}
      : { tokenTtlSeconds: Number(values['token-ttl-seconds']) }),
    credentials,
  })
  venue.faults.slowMs = Number(values['slow-ms'] ?? 0)
  venue.faults.reportDelayMs = Number(values['report-delay-ms'] ?? 0)
  // The cycle runs at midnight even when nobody calls: a timer checks every minute.
  const timer = setInterval(() => void venue.catchUp(), 60_000)
  process.stdout.write(
    `${JSON.stringify({ url: venue.url, token_url: venue.tokenUrl, credentials: venue.credentials })}\n`,
  )
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  clearInterval(timer)
  await venue.close()
  return 0
}

export { DAY_MS as EARN_DAY_MS }
