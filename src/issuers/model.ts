import { ASSET_CODES, type AssetCode, isAssetCode } from '../config/assets.ts'
import { fail, ok, type Result } from '../errors.ts'
import { checkWebhookUrl } from '../webhooks/address-policy.ts'

/**
 * Issue 11: an issuer (a partner of type ISSUER) mints and redeems its
 * stablecoin for the protocol and publishes its Proof of Reserve. These are
 * the config fields that say where; all optional, so an ISSUER partner
 * provisioned before them keeps working (it simply has no endpoints).
 */
export type IssuerConfigFields = {
  readonly mint_url: string | null
  readonly redeem_url: string | null
  readonly issued_asset: AssetCode | null
  readonly por_url: string | null
  /** How often the Proof of Reserve is polled, seconds; a reading older than 3 intervals is stale. */
  readonly por_interval_s: number
}

export const DEFAULT_POR_INTERVAL_S = 60
/** [ours] Polling faster than every 5 s only loads the issuer; slower than a day makes staleness meaningless. */
export const POR_INTERVAL_MIN_S = 5
export const POR_INTERVAL_MAX_S = 86_400

export const DEFAULT_ISSUER_FIELDS: IssuerConfigFields = {
  mint_url: null,
  redeem_url: null,
  issued_asset: null,
  por_url: null,
  por_interval_s: DEFAULT_POR_INTERVAL_S,
}

export type IssuerPatch = {
  mint_url?: string | null
  redeem_url?: string | null
  issued_asset?: string | null
  por_url?: string | null
  por_interval_s?: number
}

/**
 * The URLs follow the webhook URL policy (SPEC §10). A partner's config
 * serves both environments, so it is checked here with the most permissive
 * policy the system has (sandbox with local receivers); every call applies
 * its own environment's policy again through the pinned transport, so an
 * http or loopback URL is refused when live calls it.
 */
const CONFIG_POLICY = { environment: 'sandbox', allowPrivate: true } as const

function url(field: string, text: string | null | undefined, base: string | null): Result<string | null> {
  if (text === undefined) return ok(base)
  if (text === null) return ok(null)
  const checked = checkWebhookUrl(text, CONFIG_POLICY)
  if (!checked.ok) return fail('VALIDATION_ERROR', `${field}: ${checked.message}`)
  return ok(text)
}

/** Applies the issuer part of a config patch; the rest of the config is checked in partners/model.ts. */
export function applyIssuerPatch(base: IssuerConfigFields, patch: IssuerPatch): Result<IssuerConfigFields> {
  const mint = url('mint_url', patch.mint_url, base.mint_url)
  if (!mint.ok) return mint
  const redeem = url('redeem_url', patch.redeem_url, base.redeem_url)
  if (!redeem.ok) return redeem
  const por = url('por_url', patch.por_url, base.por_url)
  if (!por.ok) return por
  let asset = base.issued_asset
  if (patch.issued_asset !== undefined) {
    if (patch.issued_asset !== null && !isAssetCode(patch.issued_asset))
      return fail('VALIDATION_ERROR', `issued_asset must be one of ${ASSET_CODES.join(', ')}`)
    asset = patch.issued_asset
  }
  const interval = patch.por_interval_s ?? base.por_interval_s
  if (!Number.isInteger(interval) || interval < POR_INTERVAL_MIN_S || interval > POR_INTERVAL_MAX_S) {
    return fail(
      'VALIDATION_ERROR',
      `por_interval_s must be a whole number of seconds from ${POR_INTERVAL_MIN_S} to ${POR_INTERVAL_MAX_S}`,
    )
  }
  return ok({
    mint_url: mint.value,
    redeem_url: redeem.value,
    issued_asset: asset,
    por_url: por.value,
    por_interval_s: interval,
  })
}

/** The issuer fields of a stored config (configs stored before them have none). */
export function issuerFieldsOf(config: Partial<IssuerConfigFields>): IssuerConfigFields {
  return { ...DEFAULT_ISSUER_FIELDS, ...config }
}
