import type { PriceCatalog } from './catalog';
import { resolveFx, type FxRate } from './fx';
import { inDailyWindow, type DailyWindow } from './overlay';
import {
  coversScope,
  resolveRateCard,
  specificity,
  type CallScope,
  type RateCard,
  type RateMultiplier,
} from './rate-card';

/** Everything the pricer prices with: the user's versioned cards, multipliers and FX, over the catalog. */
export interface RateBook {
  cards: readonly RateCard[];
  multipliers: readonly RateMultiplier[];
  fx: readonly FxRate[];
  catalog: PriceCatalog;
}

export interface Resolution {
  card: RateCard;
  /** `catalog` includes the project's overlay over it (the card's id or version names the overlay entry). */
  source: 'rate_card' | 'catalog';
  multiplier?: RateMultiplier;
  fx?: FxRate;
}

/**
 * How a call finds its prices (docs/pricing.md):
 * 1. the most specific user card in effect at the call's own time (exact model > longer pattern; region
 *    and service tier add; then the newest `effective_from`; then the id), else the pinned catalog entry;
 * 2. the most specific multiplier in effect then, if it is at least as specific as that card (a discount
 *    on `claude-*` applies over the catalog and over equally broad cards, not over a narrower card the
 *    user priced by hand);
 * 3. the newest FX rate of the card's currency in effect then.
 */
export function resolvePricing(book: RateBook, call: CallScope): Resolution | { problem: string } {
  const userCard = resolveRateCard(book.cards, call);
  const card = userCard ?? book.catalog.rateCardFor(call);
  if (!card) {
    const loose = book.catalog.looseMatchFor(call.provider, call.model);
    return {
      problem: `no rate card or catalog price for ${call.provider}/${call.model} at ${new Date(call.at).toISOString()}${
        loose
          ? `: the catalog's ${loose} matches it only by prefix, and it is neither a known alias nor a dated version`
          : ''
      }`,
    };
  }
  const own = resolveRateCard(book.multipliers, call);
  // your multiplier first; over catalog prices, else the overlay's discount for the tier served
  const multiplier =
    own && (!userCard || specificity(own) >= specificity(userCard))
      ? own
      : userCard
        ? undefined
        : book.catalog.multiplierFor(call);
  let fx: FxRate | undefined;
  if (card.currency !== 'USD') {
    fx = resolveFx(book.fx, card.currency, call.at);
    if (!fx)
      return {
        problem: `rate card ${card.id} is in ${card.currency} but no FX rate to USD is in effect at ${new Date(call.at).toISOString()}`,
      };
  }
  return {
    card,
    source: userCard ? 'rate_card' : 'catalog',
    ...(multiplier ? { multiplier } : {}),
    ...(fx ? { fx } : {}),
  };
}

/**
 * Resolution changes only where a card, multiplier, FX rate or catalog price starts or ends: between two
 * such instants every call of one scope (provider, model, region, tier) resolves alike. The pricer
 * resolves each such segment once instead of filtering and sorting every card for every call.
 */
interface Timeline {
  /** Ascending; segment i covers [boundaries[i - 1], boundaries[i]). */
  boundaries: number[];
  /** Time-of-day prices: within a segment, resolution also depends on which of these windows hold. */
  windows: DailyWindow[];
  /** Segment i with window state s (a bit per window) is at i * 2^windows + s. */
  segments: (Resolution | undefined)[];
}

const timelines = new WeakMap<RateBook, Map<string, Timeline>>();

function timelineOf(book: RateBook, call: CallScope): Timeline {
  let byScope = timelines.get(book);
  if (!byScope) {
    byScope = new Map();
    timelines.set(book, byScope);
  }
  const key = `${call.provider}\u0000${call.model}\u0000${call.region ?? ''}\u0000${call.serviceTier ?? ''}`;
  let timeline = byScope.get(key);
  if (!timeline) {
    if (byScope.size >= 10_000) byScope.clear(); // scopes are caller input: stay bounded
    const instants = new Set<number>(book.catalog.priceChangesFor(call.provider, call.model));
    for (const scoped of [...book.cards, ...book.multipliers])
      if (coversScope(scoped, call)) {
        instants.add(scoped.effectiveFrom);
        if (scoped.effectiveTo !== undefined) instants.add(scoped.effectiveTo);
      }
    for (const rate of book.fx) instants.add(rate.effectiveFrom);
    const boundaries = [...instants].sort((a, b) => a - b);
    // a few windows at most (peak / off-peak); more would only make the cache sparser
    const windows = book.catalog.dailyWindowsFor(call.provider, call.model).slice(0, 8);
    timeline = {
      boundaries,
      windows,
      segments: new Array<Resolution | undefined>((boundaries.length + 1) << windows.length),
    };
    byScope.set(key, timeline);
  }
  return timeline;
}

/** `resolvePricing`, remembered per scope and segment of time for this book (problems are not kept). */
export function resolvePricingCached(book: RateBook, call: CallScope): Resolution | { problem: string } {
  const { boundaries, windows, segments } = timelineOf(book, call);
  let low = 0;
  let high = boundaries.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((boundaries[mid] as number) <= call.at) low = mid + 1;
    else high = mid;
  }
  let slot = low << windows.length;
  for (let w = 0; w < windows.length; w += 1)
    if (inDailyWindow(windows[w] as DailyWindow, call.at)) slot |= 1 << w;
  const known = segments[slot];
  if (known) return known;
  const resolution = resolvePricing(book, call);
  if (!('problem' in resolution)) segments[slot] = resolution;
  return resolution;
}

/** A call as it is priced: its scope, and the model the response says served it, if any. */
export interface ServedCall extends CallScope {
  responseModel: string | null;
}

export interface ServedResolution {
  resolution: Resolution;
  /** The model id the prices were resolved for: the response's model or the requested one. */
  pricedModel: string;
}

/**
 * Prices the model that actually served the call when the response names one (a dated snapshot, a
 * fallback to another model): in order, your card for the served model, your card for the requested
 * model (a card you wrote for what you ask for keeps pricing it), the catalog's price of the served
 * model, the catalog's price of the requested one. A served id nothing prices (an unknown snapshot
 * name) falls back to the requested model; which one priced the call is returned and recorded.
 */
export function resolveServedPricing(
  book: RateBook,
  call: ServedCall,
): ServedResolution | { problem: string } {
  const { responseModel } = call;
  // a ServedCall is a CallScope: resolution reads only the scope's fields (no copy on the hot path)
  const asked = resolvePricingCached(book, call);
  if (!responseModel || responseModel === call.model)
    return 'problem' in asked ? asked : { resolution: asked, pricedModel: call.model };
  const served = resolvePricingCached(book, { ...call, model: responseModel });
  const servedOk = !('problem' in served);
  if (servedOk && served.source === 'rate_card') return { resolution: served, pricedModel: responseModel };
  if (!('problem' in asked) && asked.source === 'rate_card')
    return { resolution: asked, pricedModel: call.model };
  if (servedOk) return { resolution: served, pricedModel: responseModel };
  return 'problem' in asked ? asked : { resolution: asked, pricedModel: call.model };
}
