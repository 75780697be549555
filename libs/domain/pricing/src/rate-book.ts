import type { EnrichedCallEvent, PricedCallEvent } from '@tokentally/contracts';
import { costComponentsOf } from '@tokentally/domain-ledger';
import { nanosToSafeNumber } from '@tokentally/domain-money';
import type { PriceCatalog } from './catalog';
import { resolveFx, type FxRate } from './fx';
import { priceCall, type PricedComponents } from './price-call';
import { priceCallInSafeIntegers } from './safe-integer-pricing';
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
  const card = userCard ?? book.catalog.rateCardFor(call.provider, call.model, call.at);
  if (!card)
    return {
      problem: `no rate card or catalog price for ${call.provider}/${call.model} at ${new Date(call.at).toISOString()}`,
    };
  const multiplier = resolveRateCard(book.multipliers, call);
  const applies = multiplier && (!userCard || specificity(multiplier) >= specificity(userCard));
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
    ...(applies ? { multiplier } : {}),
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
    timeline = { boundaries, segments: new Array<Resolution | undefined>(boundaries.length + 1) };
    byScope.set(key, timeline);
  }
  return timeline;
}

/** `resolvePricing`, remembered per scope and segment of time for this book (problems are not kept). */
export function resolvePricingCached(book: RateBook, call: CallScope): Resolution | { problem: string } {
  const { boundaries, segments } = timelineOf(book, call);
  let low = 0;
  let high = boundaries.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((boundaries[mid] as number) <= call.at) low = mid + 1;
    else high = mid;
  }
  const known = segments[low];
  if (known) return known;
  const resolution = resolvePricing(book, call);
  if (!('problem' in resolution)) segments[low] = resolution;
  return resolution;
}

export function pricedComponents(
  buckets: EnrichedCallEvent['buckets'],
  resolution: Resolution,
): PricedComponents {
  return priceCall(buckets, resolution.card, {
    ...(resolution.multiplier
      ? { multiplier: resolution.multiplier.factor, multiplierAppliesTo: resolution.multiplier.appliesTo }
      : {}),
    ...(resolution.fx ? { usdPerUnit: resolution.fx.usdPerUnit } : {}),
  });
}

export function scopeOf(
  event: Pick<EnrichedCallEvent, 'provider' | 'model' | 'region' | 'service_tier' | 'occurred_at'>,
): CallScope {
  return {
    provider: event.provider,
    model: event.model,
    region: event.region,
    serviceTier: event.service_tier,
    at: event.occurred_at,
  };
}

interface EventCost {
  cost: PricedCallEvent['cost'];
  originalTotal: number;
  pricingTier: string | null;
}

/**
 * The cost fields of a priced event: in safe integers when nothing scales the card (most calls), else
 * through the BigInt reference; both give the same nanos (safe-integer-pricing.spec.ts).
 */
function eventCost(
  buckets: EnrichedCallEvent['buckets'],
  resolution: Resolution,
): EventCost | { problem: string } {
  const fast =
    resolution.multiplier || resolution.fx ? undefined : priceCallInSafeIntegers(buckets, resolution.card);
  if (fast) return { cost: fast.cost, originalTotal: fast.cost.total_nanos, pricingTier: fast.tier };
  let exact: PricedComponents;
  try {
    exact = pricedComponents(buckets, resolution);
  } catch (error) {
    return { problem: (error as Error).message };
  }
  return {
    cost: costComponentsOf(exact.cost),
    originalTotal: nanosToSafeNumber(exact.originalTotal),
    pricingTier: exact.tier,
  };
}

export type PricingOutcome =
  { ok: true; value: PricedCallEvent } | { ok: false; reason: 'UNKNOWN_RATE'; message: string };

/** Prices one enriched call, or says why it cannot be priced (never $0 for an unknown model). */
export function priceEnrichedCall(
  event: EnrichedCallEvent,
  book: RateBook,
  pricedAt: number,
): PricingOutcome {
  const resolution = resolvePricingCached(book, scopeOf(event));
  if ('problem' in resolution) return { ok: false, reason: 'UNKNOWN_RATE', message: resolution.problem };
  const priced = eventCost(event.buckets, resolution);
  if ('problem' in priced)
    return {
      ok: false,
      reason: 'UNKNOWN_RATE',
      message: `${resolution.card.id} (${resolution.card.version}): ${priced.problem}`,
    };
  const { cost, originalTotal, pricingTier } = priced;
  const serviceTier = event.service_tier && event.service_tier !== 'default' ? event.service_tier : null;
  const tier = serviceTier && pricingTier ? `${serviceTier}+${pricingTier}` : (serviceTier ?? pricingTier);
  return {
    ok: true,
    value: {
      event_id: event.event_id,
      trace_id: event.trace_id,
      span_id: event.span_id,
      parent_span_id: event.parent_span_id,
      provider_request_id: event.provider_request_id,
      occurred_at: event.occurred_at,
      team_id: event.team_id,
      user_ref: event.user_ref,
      tenant_ref: event.tenant_ref,
      feature: event.feature,
      workflow: event.workflow,
      environment: event.environment,
      // the ownership envelope travels to the ledger: template drift, coverage, provider accounts
      owner_source: event.owner_source,
      request_source: event.request_source,
      api_key_id: event.api_key_id,
      service_account: event.service_account,
      gateway_id: event.gateway_id,
      project_id: event.project_id,
      prompt_template_version: event.prompt_template_version,
      provider: event.provider,
      model: event.model,
      response_model: event.response_model,
      region: event.region,
      service_tier: event.service_tier,
      attempt: event.attempt,
      is_retry: event.is_retry,
      is_fallback: event.is_fallback,
      status_code: event.status_code,
      latency_ms: event.latency_ms,
      buckets: event.buckets,
      cost,
      rate_card_id: resolution.card.id,
      rate_card_version: resolution.card.version,
      rate_multiplier_id: resolution.multiplier?.id ?? null,
      rate_multiplier_version: resolution.multiplier?.version ?? null,
      rate_multiplier: resolution.multiplier?.factor ?? null,
      pricing_tier: tier,
      original_currency: resolution.card.currency,
      original_total_minor: originalTotal,
      fx_rate_id: resolution.fx?.id ?? null,
      priced_at: pricedAt,
    },
  };
}

/** A stored card as the database keeps it: the validated definition without its version. */
export interface StoredRateCard {
  id: string;
  version: number;
  kind: 'prices' | 'multiplier';
  definition: Record<string, unknown>;
}

export const fxRateId = (currency: string, effectiveFrom: number): string =>
  `${currency}@${new Date(effectiveFrom).toISOString().replace(':00.000Z', 'Z').replace('T00:00Z', '')}`;

/** Rebuilds the rate book from storage; versions read `v<N>` on every priced row. */
export function rateBookFrom(
  cards: readonly StoredRateCard[],
  fx: readonly { currency: string; effectiveFrom: Date | number; usdPerUnit: string }[],
  catalog: PriceCatalog,
): RateBook {
  const versioned = <T>(card: StoredRateCard): T =>
    ({ ...card.definition, id: card.id, version: `v${card.version}` }) as T;
  return {
    cards: cards.filter((c) => c.kind === 'prices').map((c) => versioned<RateCard>(c)),
    multipliers: cards.filter((c) => c.kind === 'multiplier').map((c) => versioned<RateMultiplier>(c)),
    fx: fx.map((rate) => {
      const effectiveFrom =
        typeof rate.effectiveFrom === 'number' ? rate.effectiveFrom : rate.effectiveFrom.getTime();
      return {
        id: fxRateId(rate.currency, effectiveFrom),
        currency: rate.currency,
        effectiveFrom,
        usdPerUnit: rate.usdPerUnit,
      };
    }),
    catalog,
  };
}
