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
  /**
   * SPEC §15 "Firm quotes" [ours]: the most open (unexpired, unexecuted) firm quotes one partner may
   * hold in one environment; one more is refused with 422 OPEN_QUOTE_LIMIT_EXCEEDED. A client that
   * quotes and then executes holds one at a time, so 32 concurrent clients hold at most 32; the rest is
   * headroom for quotes a client lets lapse (each for 45 s).
   */
  openFirmQuotesPerPartner: 100,
  /**
   * SPEC §15 "Firm quotes" [ours]: execution refuses (409 QUOTE_STALE_PRICE) a quote whose oracle mid
   * moved against the pool by more than this since quoting: down for a SELL (the partner is paid QUOTE
   * at a bid the market has left), up for a BUY. A move in the pool's favour never refuses.
   */
  executionMidToleranceBps: '10',
  /** Executable rates are rounded to this many fraction digits, always in the pools' favour. */
  rateDigits: 8,
  /** SPEC §4 L8: synthetic vs direct MYR-IDR gap, NORMAL and PROTECT. */
  syntheticGapNormalPct: '0.30',
  syntheticGapProtectPct: '0.50',
  /** L8 triangle [ours]: USD-MYR is not quoted here; an arbitrageur trades it outside at about this spread. */
  externalUsdMyrSpreadBps: '10',
} as const
