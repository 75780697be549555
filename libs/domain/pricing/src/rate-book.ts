import type { EnrichedCallEvent, PricedCallEvent } from '@tokentally/contracts';
import { nanosToSafeNumber } from '@tokentally/domain-money';
import type { PriceCatalog } from './catalog';
import { resolveFx, type FxRate } from './fx';
import { priceCall, type PricedComponents } from './price-call';
import {
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

export type PricingOutcome =
  { ok: true; value: PricedCallEvent } | { ok: false; reason: 'UNKNOWN_RATE'; message: string };

/** Prices one enriched call, or says why it cannot be priced (never $0 for an unknown model). */
export function priceEnrichedCall(
  event: EnrichedCallEvent,
  book: RateBook,
  pricedAt: number,
): PricingOutcome {
  const resolution = resolvePricing(book, scopeOf(event));
  if ('problem' in resolution) return { ok: false, reason: 'UNKNOWN_RATE', message: resolution.problem };
  let cost: PricedComponents;
  try {
    cost = pricedComponents(event.buckets, resolution);
  } catch (error) {
    return {
      ok: false,
      reason: 'UNKNOWN_RATE',
      message: `${resolution.card.id} (${resolution.card.version}): ${(error as Error).message}`,
    };
  }
  const tier = [
    event.service_tier && event.service_tier !== 'default' ? event.service_tier : null,
    cost.tier,
  ].filter((part): part is string => part !== null);
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
      cost: {
        uncached_input_nanos: nanosToSafeNumber(cost.uncachedInput),
        cache_read_nanos: nanosToSafeNumber(cost.cacheRead),
        cache_write_5m_nanos: nanosToSafeNumber(cost.cacheWrite5m),
        cache_write_1h_nanos: nanosToSafeNumber(cost.cacheWrite1h),
        output_nanos: nanosToSafeNumber(cost.output),
        reasoning_nanos: nanosToSafeNumber(cost.reasoning),
        request_fee_nanos: nanosToSafeNumber(cost.requestFee),
        units_nanos: nanosToSafeNumber(cost.units),
        total_nanos: nanosToSafeNumber(cost.total),
      },
      rate_card_id: resolution.card.id,
      rate_card_version: resolution.card.version,
      rate_multiplier_id: resolution.multiplier?.id ?? null,
      rate_multiplier_version: resolution.multiplier?.version ?? null,
      rate_multiplier: resolution.multiplier?.factor ?? null,
      pricing_tier: tier.length > 0 ? tier.join('+') : null,
      original_currency: resolution.card.currency,
      original_total_minor: nanosToSafeNumber(cost.originalTotal),
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
