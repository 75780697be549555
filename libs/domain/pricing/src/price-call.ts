import type { BillableBuckets } from '@tokentally/contracts';
import { divideHalfEven, parseDecimalToNanos } from '@tokentally/domain-money';
import type { RateCard, RatePrices } from './rate-card';

export interface PricedComponents {
  uncachedInput: bigint;
  cacheRead: bigint;
  cacheWrite5m: bigint;
  cacheWrite1h: bigint;
  output: bigint;
  reasoning: bigint;
  requestFee: bigint;
  units: bigint;
  total: bigint;
  /** The tier applied, or null for the base prices. */
  tier: string | null;
}

const PER_MILLION = 1_000_000n;

/** tokens x (nanos per 1M tokens) / 1M, rounded once, half to even. */
function component(tokens: number, pricePerMillion: string | undefined, fallback?: string): bigint {
  if (tokens === 0) return 0n;
  const price = pricePerMillion ?? fallback;
  if (price === undefined) throw new RangeError('a bucket has tokens but the rate card has no price for it');
  return divideHalfEven(BigInt(tokens) * parseDecimalToNanos(price), PER_MILLION);
}

/**
 * Exact cost of one call in the card's currency, in nanos of that currency: every component rounded
 * once (half-even), `total` their exact sum. Tiers are a cliff: above the threshold the whole request,
 * cache buckets included, is priced at the tier. Cache writes without their own price fall back to the
 * input price (a card that omits them cannot silently make them free); reasoning is inside output unless
 * the card prices it apart.
 */
export function priceCall(buckets: BillableBuckets, card: RateCard): PricedComponents {
  const wholeInput =
    buckets.uncached_input + buckets.cache_read + buckets.cache_write_5m + buckets.cache_write_1h;
  const tier = [...(card.tiers ?? [])]
    .sort((a, b) => b.inputTokensAbove - a.inputTokensAbove)
    .find((t) => wholeInput > t.inputTokensAbove);
  const prices: RatePrices = tier?.prices ?? card.prices;
  const reasoningApart = prices.reasoning !== undefined;
  const parts = {
    uncachedInput: component(buckets.uncached_input, prices.uncachedInput),
    cacheRead: component(buckets.cache_read, prices.cacheRead, prices.uncachedInput),
    cacheWrite5m: component(buckets.cache_write_5m, prices.cacheWrite5m, prices.uncachedInput),
    cacheWrite1h: component(
      buckets.cache_write_1h,
      prices.cacheWrite1h,
      prices.cacheWrite5m ?? prices.uncachedInput,
    ),
    output: component(reasoningApart ? buckets.output - buckets.reasoning : buckets.output, prices.output),
    reasoning: reasoningApart ? component(buckets.reasoning, prices.reasoning) : 0n,
    requestFee: prices.perRequest === undefined ? 0n : parseDecimalToNanos(prices.perRequest),
    units: Object.entries(buckets.units).reduce((sum, [name, count]) => {
      const price = prices.units?.[name];
      if (price === undefined) throw new RangeError(`the rate card has no price for unit "${name}"`);
      return sum + BigInt(count) * parseDecimalToNanos(price);
    }, 0n),
  };
  const total = Object.values(parts).reduce((sum, value) => sum + value, 0n);
  return { ...parts, total, tier: tier?.name ?? null };
}
