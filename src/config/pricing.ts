/**
 * SPEC §5 pricing parameters that are not per corridor, as data. All are our
 * choices where the SPEC marks them [ours]; bps values are decimal strings
 * read into exact ratios.
 */
export const PRICING = {
  /** Volatility add-on = clamp((m − 5) × 0.5, 0, 20) bps, m = mid move over 5 minutes in bps. */
  volatilityFreeBps: '5',
  volatilitySlope: '0.5',
  volatilityCapBps: '20',
  volatilityWindowMs: 5 * 60_000,
  /** Liquidity add-on = 10 bps × trade size / destination Active balance, capped at 15 bps. */
  liquiditySlopeBps: '10',
  liquidityCapBps: '15',
  /** Inventory skew: MaxSkew beyond this share off target (the 25% rule). */
  skewFullPct: '25',
  /** SPEC §3: firm quotes live 30–60 s, 45 s by default. */
  firmQuoteTtlMs: 45_000,
  /** Executable rates are rounded to this many fraction digits, always in the pools' favour. */
  rateDigits: 8,
  /** SPEC §4 L8: synthetic vs direct MYR-IDR gap, NORMAL and PROTECT. */
  syntheticGapNormalPct: '0.30',
  syntheticGapProtectPct: '0.50',
  /** L8 triangle [ours]: USD-MYR is not quoted here; an arbitrageur trades it outside at about this spread. */
  externalUsdMyrSpreadBps: '10',
} as const
