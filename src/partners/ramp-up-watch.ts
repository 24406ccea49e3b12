import { recordAudit } from '../audit/audit.ts'
import { lockPartner } from '../store/locks.ts'
import type { Store } from '../store/store.ts'
import {
  autoPauseWatches,
  ERROR_RATE_POLICY,
  type ErrorRatePolicy,
  errorPauseReason,
  errorRateExceeded,
  errorWindowStartMs,
  LAST_STEP_INDEX,
  RAMP_UP_STEPS,
} from './ramp-up.ts'
import { loadRampUp, stateView } from './ramp-up-service.ts'
import { countExecutionErrors, writeRampUp } from './ramp-up-store.ts'

const DAY_MS = 86_400_000
/** Who the audit log names for an automatic pause. */
export const RAMP_UP_ACTOR = 'system:ramp-up'

/**
 * The SPEC §9 automatic pause, run by the `rampup.live` worker (once across
 * nodes): every active partner still ramping up in live whose error rate
 * (src/partners/ramp-up.ts, ERROR_RATE_POLICY) is above 5% over at least the
 * minimum count is paused, audited as `partner.ramp_up.auto_pause`. The
 * decision is taken again under the partner's lock, so a resume by the admin
 * in between is never overwritten. Returns how many partners it paused.
 */
export async function pauseOnErrorRate(
  store: Store,
  nowMs: number,
  policy: ErrorRatePolicy = ERROR_RATE_POLICY,
  stillHeld: () => boolean = () => true,
): Promise<number> {
  // Candidates: partners created less than the whole schedule ago, and those with a ramp-up row
  // (a later go-live, an override or an advance); the rest are at 100% and not watched.
  const lastStepDays = RAMP_UP_STEPS[LAST_STEP_INDEX]?.fromDay ?? 0
  const candidates = await store.kysely
    .selectFrom('partners')
    .leftJoin('partner_ramp_up', 'partner_ramp_up.partner_id', 'partners.id')
    .select('partners.id')
    .where('partners.status', '=', 'ACTIVE')
    .where((eb) =>
      eb.or([
        eb('partners.created_at', '>', BigInt(nowMs - lastStepDays * DAY_MS)),
        eb('partner_ramp_up.partner_id', 'is not', null),
      ]),
    )
    .orderBy('partners.id')
    .execute()
  let paused = 0
  for (const { id } of candidates) {
    if (!stillHeld()) break
    if (await pauseIfFailing(store, id, nowMs, policy)) paused++
  }
  return paused
}

async function pauseIfFailing(
  store: Store,
  partnerId: string,
  nowMs: number,
  policy: ErrorRatePolicy,
): Promise<boolean> {
  const first = await loadRampUp(store, partnerId)
  if (first === undefined || !autoPauseWatches(first.rampUp, nowMs)) return false
  const counts = await countExecutionErrors(
    store,
    partnerId,
    errorWindowStartMs(first.rampUp, nowMs, policy),
    nowMs,
  )
  if (!errorRateExceeded(counts, policy)) return false
  return store.transaction(async (tx) => {
    await lockPartner(tx, partnerId)
    const loaded = await loadRampUp(tx, partnerId)
    if (loaded === undefined || !autoPauseWatches(loaded.rampUp, nowMs)) return false
    const recount = await countExecutionErrors(
      tx,
      partnerId,
      errorWindowStartMs(loaded.rampUp, nowMs, policy),
      nowMs,
    )
    if (!errorRateExceeded(recount, policy)) return false
    const after = { ...loaded.rampUp, pausedAtMs: nowMs, pausedReason: errorPauseReason(recount, policy) }
    await writeRampUp(tx, partnerId, after, loaded.createdAtMs, nowMs)
    await recordAudit(tx, {
      actor: RAMP_UP_ACTOR,
      action: 'partner.ramp_up.auto_pause',
      targetType: 'partner',
      targetId: partnerId,
      before: stateView(loaded.rampUp, nowMs),
      after: {
        ...stateView(after, nowMs),
        failed_executions: Number(recount.failed),
        finished_executions: Number(recount.finished),
      },
      atMs: nowMs,
    })
    return true
  })
}
