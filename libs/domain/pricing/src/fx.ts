/** One dated FX rate: from `effectiveFrom` on, one unit of `currency` is worth `usdPerUnit` USD (exact decimal). */
export interface FxRate {
  id: string;
  currency: string;
  effectiveFrom: number;
  usdPerUnit: string;
}

/**
 * The rate that converts a card's currency at the call's own time: the newest rate of that currency in
 * effect at `at`. USD needs none. Undefined when the table has no rate yet (the pricer quarantines).
 */
export function resolveFx(rates: readonly FxRate[], currency: string, at: number): FxRate | undefined {
  let best: FxRate | undefined;
  for (const rate of rates)
    if (
      rate.currency === currency &&
      rate.effectiveFrom <= at &&
      (!best || rate.effectiveFrom > best.effectiveFrom)
    )
      best = rate;
  return best;
}
