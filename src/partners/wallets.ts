import { recordAudit } from '../audit/audit.ts'
import { checkAddress } from '../chain/address.ts'
import type { Clock, Clocks } from '../clock/clock.ts'
import type { Environment } from '../config/environment.ts'
import { type Failure, fail, ok, type Result } from '../errors.ts'
import { msOf } from '../store/columns.ts'
import type { Reader, Store } from '../store/store.ts'

/** SPEC §9: a whitelisted wallet is usable 24 h after it was added. */
export const WALLET_COOLING_MS = 24 * 3600 * 1000

export type WalletView = {
  address: string
  label: string
  added_at: string
  usable_from: string
  /** Whether the cooling period is over on this environment's clock. */
  usable: boolean
}

export type WalletService = {
  add(partnerId: string, address: string, label: string, actor: string): Promise<Result<WalletView>>
  remove(partnerId: string, address: string, actor: string): Promise<Result<{ address: string }>>
  list(partnerId: string, environment: Environment): Promise<WalletView[]>
  /** Checks an address may move an LP's money now (SPEC §7.1, §7.5): whitelisted, not removed, cooled. */
  usable(db: Reader, partnerId: string, address: string, environment: Environment): Promise<Result<string>>
}

type WalletRow = { address: string; label: string; added_at: bigint; sandbox_added_at: bigint }

/** A wallet as one environment sees it: cooling counts from when it was added on that environment's clock. */
function view(row: WalletRow, environment: Environment, nowMs: number): WalletView {
  const addedMs = msOf(environment === 'sandbox' ? row.sandbox_added_at : row.added_at)
  return {
    address: row.address,
    label: row.label,
    added_at: new Date(addedMs).toISOString(),
    usable_from: new Date(addedMs + WALLET_COOLING_MS).toISOString(),
    usable: nowMs >= addedMs + WALLET_COOLING_MS,
  }
}

/**
 * The wallet whitelist (SPEC §9). An addition is stamped on both clocks, and
 * cooling is judged on each environment's own: advancing the sandbox clock a
 * day lets the sandbox use a wallet that live still holds back, and a wallet
 * added after the sandbox clock moved ahead still cools 24 h there. Every
 * change is audited.
 */
export function createWalletService(deps: { store: Store; liveClock: Clock; clocks: Clocks }): WalletService {
  const { store } = deps
  return {
    async add(partnerId, address, label, actor) {
      const checked = checkAddress(address)
      if (!checked.ok) return fail('VALIDATION_ERROR', `address ${checked.reason}`)
      const nowMs = deps.liveClock.now()
      return store.transaction(async (tx): Promise<Result<WalletView>> => {
        const partner = await tx.kysely
          .selectFrom('partners')
          .select('id')
          .where('id', '=', partnerId)
          .executeTakeFirst()
        if (partner === undefined) return fail('NOT_FOUND', 'no such partner')
        const existing = await tx.kysely
          .selectFrom('wallets')
          .selectAll()
          .where('partner_id', '=', partnerId)
          .where('address', '=', checked.address)
          .executeTakeFirst()
        if (existing !== undefined && existing.removed_at === null) {
          return fail('CONFLICT', 'this wallet is already whitelisted')
        }
        const row = {
          partner_id: partnerId,
          address: checked.address,
          label,
          added_at: BigInt(nowMs),
          sandbox_added_at: BigInt(deps.clocks.sandbox.now()),
          removed_at: null,
        }
        // A wallet removed and added again starts a new cooling period.
        await tx.kysely
          .insertInto('wallets')
          .values(row)
          .onConflict((oc) =>
            oc.columns(['partner_id', 'address']).doUpdateSet({
              label,
              added_at: row.added_at,
              sandbox_added_at: row.sandbox_added_at,
              removed_at: null,
            }),
          )
          .execute()
        const shown = view(row, 'live', nowMs)
        await recordAudit(tx, {
          actor,
          action: 'wallet.add',
          targetType: 'partner',
          targetId: partnerId,
          before: null,
          after: shown,
          atMs: nowMs,
        })
        return ok(shown)
      })
    },

    async remove(partnerId, address, actor) {
      const checked = checkAddress(address)
      if (!checked.ok) return fail('NOT_FOUND', 'no such wallet')
      const nowMs = deps.liveClock.now()
      return store.transaction(async (tx): Promise<Result<{ address: string }>> => {
        const existing = await whitelisted(tx, partnerId, checked.address)
        if (existing === undefined) return fail('NOT_FOUND', 'no such wallet')
        await tx.kysely
          .updateTable('wallets')
          .set({ removed_at: BigInt(nowMs) })
          .where('partner_id', '=', partnerId)
          .where('address', '=', checked.address)
          .execute()
        await recordAudit(tx, {
          actor,
          action: 'wallet.remove',
          targetType: 'partner',
          targetId: partnerId,
          before: view(existing, 'live', nowMs),
          after: null,
          atMs: nowMs,
        })
        return ok({ address: checked.address })
      })
    },

    async list(partnerId, environment) {
      const rows = await store.kysely
        .selectFrom('wallets')
        .selectAll()
        .where('partner_id', '=', partnerId)
        .where('removed_at', 'is', null)
        .orderBy('added_at')
        .execute()
      const nowMs = deps.clocks[environment].now()
      return rows.map((row) => view(row, environment, nowMs))
    },

    async usable(db, partnerId, address, environment) {
      const checked = checkAddress(address)
      if (!checked.ok) return fail('VALIDATION_ERROR', `address ${checked.reason}`)
      const row = await whitelisted(db, partnerId, checked.address)
      if (row === undefined) return notWhitelisted(checked.address)
      const shown = view(row, environment, deps.clocks[environment].now())
      if (!shown.usable)
        return fail('WALLET_COOLING', `${checked.address} is usable from ${shown.usable_from} (24 h cooling)`)
      return ok(checked.address)
    },
  }
}

/** The partner's whitelist row for an address, unless it was removed. */
function whitelisted(db: Reader, partnerId: string, address: string) {
  return db.kysely
    .selectFrom('wallets')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('address', '=', address)
    .where('removed_at', 'is', null)
    .executeTakeFirst()
}

function notWhitelisted(address: string): Failure {
  return fail('WALLET_NOT_WHITELISTED', `${address} is not on this partner's wallet whitelist`)
}
