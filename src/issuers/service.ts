import { recordAudit } from '../audit/audit.ts'
import { ASSETS, type AssetCode } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'
import { fail, ok, type Result } from '../errors.ts'
import type { MoneyRates } from '../liquidity/fees.ts'
import { parseDecimal } from '../money/decimal.ts'
import { scale } from '../money/ratio.ts'
import { pow10 } from '../money/rounding.ts'
import { minorToUsd } from '../pools/model.ts'
import { completeIssuerRequest, TX_HASH } from './completion.ts'
import type { IssuerDeps } from './deps.ts'
import {
  type IssuerKind,
  type IssuerPurpose,
  type IssuerRequestView,
  requestView,
  sendIssuerRequest,
} from './requests.ts'
import { pollReserves } from './reserves.ts'

export type OpsIssuerRequest = {
  readonly environment: Environment
  readonly asset: AssetCode
  readonly amount: string
  readonly payWith?: { readonly asset: AssetCode; readonly amount: string }
  readonly purpose: IssuerPurpose
}

export type IssuerService = {
  /** One Proof of Reserve round for an environment (the `por.<environment>` worker). */
  pollReserves(environment: Environment, stillHeld?: () => boolean): Promise<number>
  /** The issuer contract's mint and redeem, by amount in minor units. */
  requestMint(input: Parameters<typeof sendIssuerRequest>[2]): Promise<Result<IssuerRequestView>>
  requestRedeem(input: Parameters<typeof sendIssuerRequest>[2]): Promise<Result<IssuerRequestView>>
  /** The operator's trigger (decimal amounts; `pay_with` defaults to USDT at the oracle mid), audited. */
  requestByOperator(
    kind: IssuerKind,
    input: OpsIssuerRequest,
    actor: string,
  ): Promise<Result<IssuerRequestView>>
  /** The environment's latest requests, newest first (the operator's view). */
  list(environment: Environment, limit: number): Promise<IssuerRequestView[]>
  complete(
    scope: { environment: Environment; partnerId: string },
    kind: IssuerKind,
    issuerRef: string,
    txHash: string,
  ): Promise<Result<IssuerRequestView>>
}

function minorOf(field: string, text: string, asset: AssetCode): Result<bigint> {
  const parsed = parseDecimal(text, ASSETS[asset].decimals)
  if (!parsed.ok) return fail('VALIDATION_ERROR', `${field} ${parsed.reason}`)
  if (parsed.minor === 0n) return fail('VALIDATION_ERROR', `${field} must be positive`)
  return ok(parsed.minor)
}

export function createIssuerService(
  deps: IssuerDeps & { moneyRates: MoneyRates; onReading?: (environment: Environment) => void },
): IssuerService {
  /** What the Reserve pays (mint) or receives (redeem): as given, or USDT worth the amount at the oracle mid. */
  function payWithOf(
    kind: IssuerKind,
    input: OpsIssuerRequest,
    amountMinor: bigint,
  ): Result<{ asset: AssetCode; amountMinor: bigint }> {
    if (input.payWith !== undefined) {
      if (input.payWith.asset === input.asset)
        return fail('VALIDATION_ERROR', 'pay_with.asset must differ from asset')
      const pay = minorOf('pay_with.amount', input.payWith.amount, input.payWith.asset)
      return pay.ok ? ok({ asset: input.payWith.asset, amountMinor: pay.value }) : pay
    }
    if (input.asset === 'USDT') return fail('VALIDATION_ERROR', 'pay_with is required to mint or redeem USDT')
    const rates = deps.moneyRates(input.environment)
    if (!rates.ok) return rates
    // Rounded in favour of the Reserve (CONVENTIONS.md): it pays down on a mint and receives up on a redeem.
    const usd = minorToUsd(amountMinor, input.asset, rates.value)
    const payMinor = scale(pow10(ASSETS.USDT.decimals), usd, kind === 'MINT' ? 'floor' : 'ceil')
    if (payMinor === 0n) return fail('VALIDATION_ERROR', 'amount is worth less than the smallest USDT unit')
    return ok({ asset: 'USDT', amountMinor: payMinor })
  }

  return {
    async pollReserves(environment, stillHeld = () => true) {
      const polled = await pollReserves(
        { ...deps, nowMs: () => deps.clocks[environment].now() },
        environment,
        stillHeld,
      )
      // A new reading is a new risk input: the engine evaluates soon rather than on its next tick.
      if (polled > 0) deps.onReading?.(environment)
      return polled
    },
    requestMint: (input) => sendIssuerRequest(deps, 'MINT', input),
    requestRedeem: (input) => sendIssuerRequest(deps, 'REDEEM', input),
    async requestByOperator(kind, input, actor) {
      const amount = minorOf('amount', input.amount, input.asset)
      if (!amount.ok) return amount
      const payWith = payWithOf(kind, input, amount.value)
      if (!payWith.ok) return payWith
      const result = await sendIssuerRequest(deps, kind, {
        environment: input.environment,
        asset: input.asset,
        amountMinor: amount.value,
        payWith: payWith.value,
        purpose: input.purpose,
      })
      if (!result.ok) return result
      await deps.store.transaction((tx) =>
        recordAudit(tx, {
          actor,
          action: kind === 'MINT' ? 'issuer.mint_requested' : 'issuer.redeem_requested',
          targetType: 'issuer_request',
          targetId: result.value.request_id,
          before: null,
          after: result.value,
          atMs: deps.wallClockMs(),
        }),
      )
      return result
    },
    async list(environment, limit) {
      const rows = await deps.store.kysely
        .selectFrom('issuer_requests')
        .selectAll()
        .where('environment', '=', environment)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(limit)
        .execute()
      return rows.map(requestView)
    },
    async complete(scope, kind, issuerRef, txHash) {
      if (!TX_HASH.test(txHash))
        return fail('VALIDATION_ERROR', 'tx_hash must be 0x followed by 64 hex digits')
      return completeIssuerRequest(
        deps.store,
        { ...scope, nowMs: deps.clocks[scope.environment].now() },
        kind,
        issuerRef,
        txHash,
        deps.onCompleted,
      )
    },
  }
}
