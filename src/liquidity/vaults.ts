import { utcDay } from '../clock/clock.ts'
import type { AssetCode } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'
import type { Reader, Tx } from '../store/store.ts'
import { newVariant, type VariantState } from './ktoken.ts'
import type { VaultId } from './model.ts'

/**
 * The kToken vaults and holdings as stored. Writers take the transaction and
 * lock the row (PostgreSQL) before changing it; a variant is read, changed by
 * the pure maths in ktoken.ts, and written back in the same transaction.
 */
export type VariantKey = {
  readonly environment: Environment
  readonly asset: AssetCode
  /** The vault (src/liquidity/model.ts): `full`, `fx`, or a class A multiplier's `fx@0.3`. */
  readonly variant: VaultId
}

export async function loadVariant(db: Reader | Tx, key: VariantKey, lock = false): Promise<VariantState> {
  const row = await db.kysely
    .selectFrom('ktoken_variants')
    .select(['index_ray', 'total_shares'])
    .where('environment', '=', key.environment)
    .where('asset', '=', key.asset)
    .where('variant', '=', key.variant)
    .$if(lock && db.dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst()
  return row === undefined
    ? newVariant()
    : { indexRay: BigInt(row.index_ray), totalShares: BigInt(row.total_shares) }
}

/** Writes a variant and keeps the day's closing index for the growth figures. */
export async function saveVariant(tx: Tx, key: VariantKey, state: VariantState, atMs: number): Promise<void> {
  await saveVariants(tx, key.environment, [{ asset: key.asset, variant: key.variant, state }], atMs)
}

/** A variant's key within an environment, as `loadVariants` keys its answer. */
export const variantKeyOf = (asset: AssetCode, variant: VaultId) => `${asset}|${variant}`

/**
 * Several variants of one environment in one read, locked on PostgreSQL in
 * key order (the order every writer of several variants uses); a variant
 * never written is new.
 */
export async function loadVariants(
  tx: Tx,
  environment: Environment,
  keys: readonly { asset: AssetCode; variant: VaultId }[],
): Promise<Map<string, VariantState>> {
  const states = new Map<string, VariantState>(
    keys.map((k) => [variantKeyOf(k.asset, k.variant), newVariant()]),
  )
  if (keys.length === 0) return states
  const rows = await tx.kysely
    .selectFrom('ktoken_variants')
    .select(['asset', 'variant', 'index_ray', 'total_shares'])
    .where('environment', '=', environment)
    .where((eb) => eb.or(keys.map((k) => eb.and([eb('asset', '=', k.asset), eb('variant', '=', k.variant)]))))
    .orderBy('asset')
    .orderBy('variant')
    .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
    .execute()
  for (const row of rows) {
    states.set(variantKeyOf(row.asset as AssetCode, row.variant as VaultId), {
      indexRay: BigInt(row.index_ray),
      totalShares: BigInt(row.total_shares),
    })
  }
  return states
}

/** `saveVariant` for several variants of one environment: two statements whatever their number. */
export async function saveVariants(
  tx: Tx,
  environment: Environment,
  changed: readonly { asset: AssetCode; variant: VaultId; state: VariantState }[],
  atMs: number,
): Promise<void> {
  if (changed.length === 0) return
  await tx.kysely
    .insertInto('ktoken_variants')
    .values(
      changed.map((c) => ({
        environment,
        asset: c.asset,
        variant: c.variant,
        index_ray: c.state.indexRay.toString(),
        total_shares: c.state.totalShares.toString(),
        updated_at: BigInt(atMs),
      })),
    )
    .onConflict((oc) =>
      oc.columns(['environment', 'asset', 'variant']).doUpdateSet((eb) => ({
        index_ray: eb.ref('excluded.index_ray'),
        total_shares: eb.ref('excluded.total_shares'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute()
  const day = utcDay(atMs)
  await tx.kysely
    .insertInto('ktoken_index_days')
    .values(
      changed.map((c) => ({
        environment,
        asset: c.asset,
        variant: c.variant,
        day,
        index_ray: c.state.indexRay.toString(),
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['environment', 'asset', 'variant', 'day'])
        .doUpdateSet((eb) => ({ index_ray: eb.ref('excluded.index_ray') })),
    )
    .execute()
}

export type Holding = { shares: bigint; deposited: bigint; withdrawn: bigint }

/**
 * One LP's shares in one vault. Writers lock the vault's row (`loadVariant`
 * with `lock`) before any holding of it, so two writers never wait on each
 * other in opposite orders on PostgreSQL.
 */
export async function loadHolding(
  db: Reader | Tx,
  key: VariantKey,
  partnerId: string,
  lock = false,
): Promise<Holding> {
  const row = await db.kysely
    .selectFrom('lp_holdings')
    .select(['shares', 'deposited', 'withdrawn'])
    .where('environment', '=', key.environment)
    .where('partner_id', '=', partnerId)
    .where('asset', '=', key.asset)
    .where('variant', '=', key.variant)
    .$if(lock && db.dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst()
  return row === undefined
    ? { shares: 0n, deposited: 0n, withdrawn: 0n }
    : { shares: BigInt(row.shares), deposited: BigInt(row.deposited), withdrawn: BigInt(row.withdrawn) }
}

export async function saveHolding(
  tx: Tx,
  key: VariantKey,
  partnerId: string,
  holding: Holding,
  atMs: number,
): Promise<void> {
  const values = {
    shares: holding.shares.toString(),
    deposited: holding.deposited.toString(),
    withdrawn: holding.withdrawn.toString(),
    updated_at: BigInt(atMs),
  }
  await tx.kysely
    .insertInto('lp_holdings')
    .values({
      environment: key.environment,
      partner_id: partnerId,
      asset: key.asset,
      variant: key.variant,
      ...values,
    })
    .onConflict((oc) => oc.columns(['environment', 'partner_id', 'asset', 'variant']).doUpdateSet(values))
    .execute()
}
