/**
 * A rate card: prices for one provider and model pattern, optionally narrowed to a region and a service
 * tier, valid from `effectiveFrom` (inclusive) to `effectiveTo` (exclusive). Prices are exact decimal
 * strings per 1M tokens (per unit for `units`) in the card's currency; they are parsed to nanos once.
 */
export interface RatePrices {
  uncachedInput: string;
  cacheRead?: string;
  cacheWrite5m?: string;
  cacheWrite1h?: string;
  output: string;
  /** Only when reasoning is priced apart from output (rare); otherwise it is inside output. */
  reasoning?: string;
  perRequest?: string;
  units?: Record<string, string>;
}

export interface RateTier {
  /** Cliff: when the request's whole input (uncached + cache read + writes) is above this, every price switches. */
  inputTokensAbove: number;
  name: string;
  prices: RatePrices;
}

/** Where a card applies and when: shared by full-price cards and multipliers. */
export interface RateScope {
  id: string;
  version: string;
  provider: string;
  /** Exact model id, or a glob with `*` (e.g. `claude-sonnet-4*`). */
  model: string;
  region?: string;
  serviceTier?: string;
  effectiveFrom: number;
  effectiveTo?: number;
}

export interface RateCard extends RateScope {
  currency: string;
  prices: RatePrices;
  tiers?: RateTier[];
}

/**
 * A negotiated discount or a regional uplift: scales the prices of whichever card prices the call.
 * `tokens` scales token components only (web searches, for instance, carry no batch discount);
 * `all` also scales per-request fees and priced units.
 */
export interface RateMultiplier extends RateScope {
  factor: string;
  appliesTo: 'tokens' | 'all';
}

export interface CallScope {
  provider: string;
  model: string;
  region: string | null;
  serviceTier: string | null;
  at: number;
}

function globMatches(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return regex.test(value);
}

/** Higher is more specific: an exact model beats a pattern, a longer pattern a shorter one; region and tier add. */
export function specificity(card: RateScope): number {
  const modelScore = card.model.includes('*') ? card.model.replace(/\*/g, '').length : 10_000;
  return modelScore + (card.region ? 100_000 : 0) + (card.serviceTier ? 200_000 : 0);
}

/** Whether a card or multiplier covers a call's provider, model, region and tier, at any time. */
export function coversScope(card: RateScope, call: Omit<CallScope, 'at'>): boolean {
  return (
    card.provider === call.provider &&
    globMatches(card.model, call.model) &&
    (card.region === undefined || card.region === call.region) &&
    (card.serviceTier === undefined || card.serviceTier === (call.serviceTier ?? 'default'))
  );
}

export function inEffect(card: RateScope, at: number): boolean {
  return card.effectiveFrom <= at && (card.effectiveTo === undefined || at < card.effectiveTo);
}

/**
 * The card that prices a call: among cards of the provider whose model matches, whose region and tier
 * (when set) equal the call's, and that are in effect at the call's own time, the most specific wins;
 * among equally specific ones the newest effective date wins; then the id, so resolution is deterministic.
 */
export function resolveRateCard<T extends RateScope>(cards: readonly T[], call: CallScope): T | undefined {
  const candidates = cards.filter((card) => coversScope(card, call) && inEffect(card, call.at));
  candidates.sort(
    (a, b) =>
      specificity(b) - specificity(a) || b.effectiveFrom - a.effectiveFrom || a.id.localeCompare(b.id),
  );
  return candidates[0];
}
