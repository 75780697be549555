import type { BillableBuckets } from '@tokentally/contracts';
import type { CostComponent, CostVector } from '@tokentally/domain-ledger';
import { NANOS_PER_UNIT, divideHalfEven, parseDecimalToNanos } from '@tokentally/domain-money';
import type { RateCard, RatePrices, RateTier } from './rate-card';

export interface PricedComponents {
  /** Every component in nano-USD, and `total_nanos` exactly their sum: the ledger's cost vector. */
  cost: CostVector;
  /** The same call in the card's own currency (nanos of that currency), each component rounded once. */
  originalTotal: bigint;
  /** The tier applied, or null for the base prices. */
  tier: string | null;
}

export interface PriceAdjustments {
  /** A negotiated discount or regional uplift, as an exact decimal ("0.8", "1.1"). */
  multiplier?: string;
  /** `tokens` (default) leaves per-request fees and priced units unscaled. */
  multiplierAppliesTo?: 'tokens' | 'all';
  /** USD per one unit of the card's currency, from the dated FX table; "1" for USD cards. */
  usdPerUnit?: string;
}

const PER_MILLION = 1_000_000n;

/** Prices repeat across millions of calls: parse each decimal text once. */
const parsedPrices = new Map<string, bigint>();
function nanosOf(text: string): bigint {
  let nanos = parsedPrices.get(text);
  if (nanos === undefined) {
    if (parsedPrices.size >= 10_000) parsedPrices.clear();
    nanos = parseDecimalToNanos(text);
    parsedPrices.set(text, nanos);
  }
  return nanos;
}

/**
 * Exact cost of one call. Every component is computed from its exact rational value
 * (tokens x price per 1M x multiplier x FX rate) and rounded once, half to even, to nano-USD; `total` is
 * their exact sum. Tiers are a cliff: above the threshold the whole request, cache buckets included, is
 * priced at the tier. Cache writes without their own price fall back to the input price (a card that
 * omits them cannot silently make them free); reasoning is inside output unless the card prices it apart.
 * A bucket with tokens but no price, or a unit without a price, throws: never a silent zero.
 */
export function priceCall(
  buckets: BillableBuckets,
  card: RateCard,
  adjustments: PriceAdjustments = {},
): PricedComponents {
  const wholeInput =
    buckets.uncached_input + buckets.cache_read + buckets.cache_write_5m + buckets.cache_write_1h;
  let tier: RateTier | undefined;
  for (const candidate of card.tiers ?? [])
    if (
      wholeInput > candidate.inputTokensAbove &&
      (!tier || candidate.inputTokensAbove > tier.inputTokensAbove)
    )
      tier = candidate;
  // A tier reprices tokens; per-request fees and priced units it does not name keep the base price.
  const prices: RatePrices = tier
    ? {
        ...tier.prices,
        perRequest: tier.prices.perRequest ?? card.prices.perRequest,
        units: { ...card.prices.units, ...tier.prices.units },
      }
    : card.prices;
  const factor = nanosOf(adjustments.multiplier ?? '1');
  const fx = nanosOf(adjustments.usdPerUnit ?? '1');
  if (factor < 0n || fx <= 0n) throw new RangeError('multiplier and FX rate must be positive');
  const extrasFactor = adjustments.multiplierAppliesTo === 'all' ? factor : NANOS_PER_UNIT;

  const usd = {} as CostVector;
  let total = 0n;
  let originalTotal = 0n;
  /** numerator / denominator is the exact amount in the card's currency before the multiplier. */
  const unscaled = fx === NANOS_PER_UNIT;
  const book = (name: CostComponent, numerator: bigint, denominator: bigint, scale: bigint): void => {
    // the same rounding as the general case, with smaller BigInts when nothing scales (most calls)
    const original =
      scale === NANOS_PER_UNIT
        ? divideHalfEven(numerator, denominator)
        : divideHalfEven(numerator * scale, denominator * NANOS_PER_UNIT);
    const amount = unscaled
      ? original
      : divideHalfEven(numerator * scale * fx, denominator * NANOS_PER_UNIT * NANOS_PER_UNIT);
    usd[`${name}_nanos`] = amount;
    total += amount;
    originalTotal += original;
  };
  const tokens = (name: CostComponent, count: number, price: string | undefined, fallback?: string) => {
    if (count === 0) return book(name, 0n, 1n, factor);
    const chosen = price ?? fallback;
    if (chosen === undefined)
      throw new RangeError(`${count} ${name} tokens but the rate card has no price for them`);
    book(name, BigInt(count) * nanosOf(chosen), PER_MILLION, factor);
  };

  const reasoningApart = prices.reasoning !== undefined;
  tokens('uncached_input', buckets.uncached_input, prices.uncachedInput);
  tokens('cache_read', buckets.cache_read, prices.cacheRead, prices.uncachedInput);
  tokens('cache_write_5m', buckets.cache_write_5m, prices.cacheWrite5m, prices.uncachedInput);
  tokens(
    'cache_write_1h',
    buckets.cache_write_1h,
    prices.cacheWrite1h,
    prices.cacheWrite5m ?? prices.uncachedInput,
  );
  tokens('output', reasoningApart ? buckets.output - buckets.reasoning : buckets.output, prices.output);
  tokens('reasoning', reasoningApart ? buckets.reasoning : 0, prices.reasoning);
  book('request_fee', prices.perRequest === undefined ? 0n : nanosOf(prices.perRequest), 1n, extrasFactor);
  let units = 0n;
  for (const [name, count] of Object.entries(buckets.units)) {
    if (count === 0) continue;
    const price = prices.units?.[name];
    if (price === undefined) throw new RangeError(`the rate card has no price for unit "${name}"`);
    units += BigInt(count) * nanosOf(price);
  }
  book('units', units, 1n, extrasFactor);

  usd.total_nanos = total;
  return { cost: usd, originalTotal, tier: tier?.name ?? null };
}
