import type { BillableBuckets } from '@tokentally/contracts';
import {
  pricedComponents,
  resolvePricingCached,
  type RateBook,
  type RateCard,
} from '@tokentally/domain-pricing';

/** What a gateway knows before it forwards a call: the prompt's size and the output cap it sets. */
export interface SpendIntent {
  provider: string;
  model: string;
  region: string | null;
  serviceTier: string | null;
  at: number;
  inputTokens: number;
  maxOutputTokens: number;
  /** Priced extras the call may use at most (e.g. `web_search_requests`). */
  maxUnits?: Record<string, number>;
}

export type WorstCase =
  | { ok: true; nanos: bigint; rateCardId: string; rateCardVersion: string }
  | { ok: false; reason: 'UNKNOWN_RATE' | 'INVALID_VALUE'; message: string };

/**
 * The most the call can cost, priced with the pricer's own rate book and rules (tiers, multipliers,
 * FX), so a hard budget holds whenever the caller's token counts are upper bounds. The gateway cannot
 * know how the provider will split the prompt into cache reads and writes, and a cache write costs
 * more than plain input, so the prompt is priced as whichever input bucket is dearest; reasoning priced
 * apart is likewise assumed to be all of the output when that is dearer.
 */
export function worstCaseCost(intent: SpendIntent, book: RateBook): WorstCase {
  for (const [field, value] of [
    ['input_tokens', intent.inputTokens],
    ['max_output_tokens', intent.maxOutputTokens],
  ] as const)
    if (!Number.isSafeInteger(value) || value < 0)
      return { ok: false, reason: 'INVALID_VALUE', message: `${field}: must be a non-negative integer` };
  const resolution = resolvePricingCached(book, {
    provider: intent.provider,
    model: intent.model,
    region: intent.region,
    serviceTier: intent.serviceTier,
    at: intent.at,
  });
  if ('problem' in resolution) return { ok: false, reason: 'UNKNOWN_RATE', message: resolution.problem };
  const none: BillableBuckets = {
    uncached_input: 0,
    cache_read: 0,
    cache_write_5m: 0,
    cache_write_1h: 0,
    output: intent.maxOutputTokens,
    reasoning: 0,
    units: intent.maxUnits ?? {},
  };
  const input = intent.inputTokens;
  const card = resolution.card;
  // A bucket the card never prices apart falls back to a price already tried: no variant of its own.
  const inputBuckets = (['uncached_input', 'cache_write_5m', 'cache_write_1h'] as const).filter(
    (bucket) =>
      bucket === 'uncached_input' ||
      pricedApart(card, bucket === 'cache_write_5m' ? 'cacheWrite5m' : 'cacheWrite1h'),
  );
  const reasoningSplits = pricedApart(card, 'reasoning') ? [0, intent.maxOutputTokens] : [0];
  const variants: BillableBuckets[] = [];
  for (const reasoning of reasoningSplits)
    for (const bucket of inputBuckets) variants.push({ ...none, reasoning, [bucket]: input });
  let worst = -1n;
  try {
    for (const buckets of variants) {
      const { total_nanos: total } = pricedComponents(buckets, resolution).cost;
      if (total > worst) worst = total;
    }
  } catch (error) {
    const message = `${resolution.card.id} (${resolution.card.version}): ${(error as Error).message}`;
    return { ok: false, reason: 'UNKNOWN_RATE', message };
  }
  return {
    ok: true,
    nanos: worst,
    rateCardId: resolution.card.id,
    rateCardVersion: resolution.card.version,
  };
}

function pricedApart(card: RateCard, price: 'cacheWrite5m' | 'cacheWrite1h' | 'reasoning'): boolean {
  return (
    card.prices[price] !== undefined || (card.tiers ?? []).some((tier) => tier.prices[price] !== undefined)
  );
}
