import { randomUUID } from 'node:crypto'
import { recordAudit } from '../audit/audit.ts'
import { ASSETS, type AssetCode } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'
import { fail, ok, type Result } from '../errors.ts'
import { poolAccount, protocolAccount } from '../ledger/accounts.ts'
import { postEntry } from '../ledger/journal.ts'
import { formatDecimal } from '../money/decimal.ts'
import type { Store } from '../store/store.ts'
import { applyIndexDelta } from './ktoken.ts'
import { kTokenSymbol } from './model.ts'
import { loadVariant, saveVariant } from './vaults.ts'

export type YieldView = {
  asset: AssetCode
  ktoken: string
  amount: string
  index: string
  entry_id: string
}

/**
 * SPEC §7.2, §12.2: a yield profit (positive) or loss (negative) from the
 * external venue moves the Yield pool against the venue and only the `-full`
 * index; class A (`-fx`) balances never move on yield. A variant without
 * shares takes no update (SPEC §7.2), and a loss the Yield pool cannot cover
 * is refused. Audited.
 */
export async function applyYield(
  store: Store,
  input: {
    environment: Environment
    asset: AssetCode
    deltaMinor: bigint
    reason: string
    actor: string
    atMs: number
  },
): Promise<Result<YieldView>> {
  const { environment, asset, deltaMinor } = input
  if (deltaMinor === 0n) return fail('VALIDATION_ERROR', 'amount must not be zero')
  const key = { environment, asset, variant: 'full' as const }
  return store.transaction(async (tx): Promise<Result<YieldView>> => {
    const updated = applyIndexDelta(await loadVariant(tx, key, true), deltaMinor)
    if (!updated.ok) {
      if (updated.code === 'KTOKEN_EMPTY_VARIANT') {
        return fail('KTOKEN_EMPTY_VARIANT', `${kTokenSymbol(asset, 'full')} has no holders to take the yield`)
      }
      // A loss at least as large as everything the holders own cannot be put on the index.
      return fail('INSUFFICIENT_FUNDS', `${kTokenSymbol(asset, 'full')}: ${updated.message}`)
    }
    const posted = await postEntry(tx, {
      environment,
      kind: 'yield',
      reference: randomUUID(),
      postings: [
        { account: protocolAccount(environment, asset, 'yield_venue'), amount: -deltaMinor },
        { account: poolAccount(environment, asset, 'YIELD'), amount: deltaMinor },
      ],
      memo: { reason: input.reason },
      atMs: input.atMs,
    })
    if (!posted.ok) {
      if (posted.reason === 'insufficient_balance')
        return fail('INSUFFICIENT_FUNDS', `the ${asset} Yield pool cannot cover this loss`)
      return fail('CONFLICT', 'this yield event was recorded already')
    }
    await saveVariant(tx, key, updated.value.variant, input.atMs)
    const view: YieldView = {
      asset,
      ktoken: kTokenSymbol(asset, 'full'),
      amount: formatDecimal(deltaMinor, ASSETS[asset].decimals),
      index: formatDecimal(updated.value.variant.indexRay, 27),
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
  })
}
