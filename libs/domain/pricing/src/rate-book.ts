import type { EnrichedCallEvent, PricedCallEvent } from '@tokentally/contracts';
import { costComponentsOf } from '@tokentally/domain-ledger';
import { nanosToSafeNumber } from '@tokentally/domain-money';
import type { PriceCatalog } from './catalog';
import { priceCall, type PricedComponents } from './price-call';
import { priceCallInSafeIntegers } from './safe-integer-pricing';
import type { RateCard, RateMultiplier } from './rate-card';
import { resolveServedPricing, type RateBook, type Resolution, type ServedCall } from './resolution';

// the resolution rules moved to ./resolution.ts; these names stay importable from here
export { resolvePricing, resolvePricingCached, type RateBook, type Resolution } from './resolution';

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
  event: Pick<
    EnrichedCallEvent,
    'provider' | 'model' | 'response_model' | 'region' | 'service_tier' | 'occurred_at'
  >,
): ServedCall {
  return {
    provider: event.provider,
    model: event.model,
    responseModel: event.response_model,
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
  const served = resolveServedPricing(book, scopeOf(event));
  if ('problem' in served) return { ok: false, reason: 'UNKNOWN_RATE', message: served.problem };
  const { resolution, pricedModel } = served;
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
      priced_model: pricedModel,
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
