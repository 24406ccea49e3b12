import type { AssetCode } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'
import { fail, ok, type Result } from '../errors.ts'
import { ownedPoolAccount, protocolAccount } from '../ledger/accounts.ts'
import { type Posting, postEntry } from '../ledger/journal.ts'
import type { Store } from '../store/store.ts'
import type { IssuerDeps } from './deps.ts'
import { type IssuerKind, type IssuerRequestView, type RequestRow, requestView } from './requests.ts'

export const TX_HASH = /^0x[0-9a-fA-F]{64}$/

/**
 * The ledger side of a completed request, one balanced entry: a mint brings
 * `asset` from the chain into the protocol Reserve and pays `pay_with` out
 * of it; a redeem is the mirror image. The chain accounts are the world.
 */
export function completionPostings(row: RequestRow): Posting[] {
  const environment = row.environment as Environment
  const asset = row.asset as AssetCode
  const payAsset = row.pay_asset as AssetCode
  const sign = row.kind === 'MINT' ? 1n : -1n
  const amount = BigInt(row.amount) * sign
  const pay = BigInt(row.pay_amount) * sign
  return [
    { account: ownedPoolAccount(environment, asset, 'RESERVE', 'protocol'), amount },
    { account: protocolAccount(environment, asset, 'chain'), amount: -amount },
    { account: ownedPoolAccount(environment, payAsset, 'RESERVE', 'protocol'), amount: -pay },
    { account: protocolAccount(environment, payAsset, 'chain'), amount: pay },
  ]
}

/**
 * `POST /v1/issuer/{mints|redeems}/{id}/complete` with the issuer's key: the
 * request is found by the issuer's id among this issuer's requests in the
 * key's environment (another issuer's is NOT_FOUND), booked once; the same
 * completion again answers the same result, another tx_hash is a CONFLICT.
 */
export async function completeIssuerRequest(
  store: Store,
  scope: { environment: Environment; partnerId: string; nowMs: number },
  kind: IssuerKind,
  issuerRef: string,
  txHash: string,
  onCompleted?: IssuerDeps['onCompleted'],
): Promise<Result<IssuerRequestView>> {
  return store.transaction(async (tx): Promise<Result<IssuerRequestView>> => {
    const row = await tx.kysely
      .selectFrom('issuer_requests')
      .selectAll()
      .where('partner_id', '=', scope.partnerId)
      .where('environment', '=', scope.environment)
      .where('kind', '=', kind)
      .where('issuer_ref', '=', issuerRef)
      .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
      .executeTakeFirst()
    const noun = kind === 'MINT' ? 'mint' : 'redeem'
    if (row === undefined) return fail('NOT_FOUND', `no such ${noun}`)
    if (row.status === 'COMPLETED') {
      if (row.tx_hash === txHash) return ok(requestView(row))
      return fail('CONFLICT', `${noun} already completed with another tx_hash`)
    }
    if (row.status !== 'REQUESTED') return fail('CONFLICT', `${noun} is ${row.status}`)
    const posted = await postEntry(tx, {
      environment: scope.environment,
      kind: kind === 'MINT' ? 'issuer_mint' : 'issuer_redeem',
      reference: row.id,
      postings: completionPostings(row),
      memo: { issuer_id: row.partner_id, issuer_ref: issuerRef, tx_hash: txHash },
      atMs: scope.nowMs,
    })
    if (!posted.ok) {
      if (posted.reason === 'insufficient_balance') {
        return fail(
          'CONFLICT',
          `the Reserve holds too little ${posted.asset} to settle this ${noun}; it stays REQUESTED`,
        )
      }
      throw new Error(`issuer ${noun} ${row.id}: ${posted.reason}`)
    }
    const updated = {
      status: 'COMPLETED',
      tx_hash: txHash,
      entry_id: posted.value.entryId,
      updated_at: BigInt(scope.nowMs),
    }
    await tx.kysely.updateTable('issuer_requests').set(updated).where('id', '=', row.id).execute()
    await onCompleted?.(tx, row, posted.value.entryId, scope.nowMs)
    return ok(requestView({ ...row, ...updated }))
  })
}
