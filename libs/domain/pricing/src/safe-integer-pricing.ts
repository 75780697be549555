import type { BillableBuckets, CostComponents } from '@tokentally/contracts';
import { parseDecimalToNanos } from '@tokentally/domain-money';
import type { RateCard, RatePrices } from './rate-card';

/**
 * The common case of `priceCall` (a card with no multiplier, in USD) done in safe integers instead of
 * BigInt: about ten times cheaper, and it gives the same nanos or none at all. Every value here is an
 * integer below 2^53, where a double is exact: products and sums are checked against that bound before
 * they are trusted, a remainder (`%`) of integers is exact, and dividing an exact multiple of 1e6 by 1e6
 * is exact. Whenever a call leaves that ground (a product too large, a negative count, a bucket or unit
 * without a price) the answer is `undefined` and the caller takes the BigInt reference, which also
 * says what is wrong. `safe-integer-pricing.spec.ts` checks both agree over many random calls.
 */
export interface SafeIntegerComponents {
  /** The priced event's own cost record: every component and `total_nanos`, their exact sum. */
  cost: CostComponents;
  tier: string | null;
}

/** One price list as nanos per 1M tokens (per unit for fees and units), with priceCall's fallbacks applied. */
interface PlanPrices {
  uncachedInput: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  output: number;
  /** NaN when reasoning is inside output (the card does not price it apart). */
  reasoning: number;
  perRequest: number;
  units: ReadonlyMap<string, number>;
}

interface PricePlan {
  base: PlanPrices;
  /** Highest threshold first: the first one a call's input is above is its tier (a cliff, not progressive). */
  tiers: { inputTokensAbove: number; name: string; prices: PlanPrices }[];
}

const PER_MILLION = 1_000_000;
const MAX = Number.MAX_SAFE_INTEGER;

function nanos(text: string | undefined): number {
  if (text === undefined) return NaN;
  const value = Number(parseDecimalToNanos(text));
  return Number.isSafeInteger(value) && value >= 0 ? value : NaN;
}

function planPrices(prices: RatePrices): PlanPrices | undefined {
  const input = nanos(prices.uncachedInput);
  const write5m = nanos(prices.cacheWrite5m ?? prices.uncachedInput);
  const plan: PlanPrices = {
    uncachedInput: input,
    cacheRead: nanos(prices.cacheRead ?? prices.uncachedInput),
    cacheWrite5m: write5m,
    cacheWrite1h: nanos(prices.cacheWrite1h ?? prices.cacheWrite5m ?? prices.uncachedInput),
    output: nanos(prices.output),
    reasoning: nanos(prices.reasoning),
    perRequest: prices.perRequest === undefined ? 0 : nanos(prices.perRequest),
    units: new Map(Object.entries(prices.units ?? {}).map(([unit, price]) => [unit, nanos(price)])),
  };
  const prices_ = [plan.uncachedInput, plan.cacheRead, plan.cacheWrite5m, plan.cacheWrite1h, plan.output];
  if (prices_.some(Number.isNaN) || Number.isNaN(plan.perRequest)) return undefined;
  if ([...plan.units.values()].some(Number.isNaN)) return undefined;
  return plan;
}

function buildPlan(card: RateCard): PricePlan | null {
  const base = planPrices(card.prices);
  if (!base) return null;
  const tiers: PricePlan['tiers'] = [];
  for (const tier of card.tiers ?? []) {
    const prices = planPrices({
      ...tier.prices,
      perRequest: tier.prices.perRequest ?? card.prices.perRequest,
      units: { ...card.prices.units, ...tier.prices.units },
    });
    if (!prices) return null;
    tiers.push({ inputTokensAbove: tier.inputTokensAbove, name: tier.name, prices });
  }
  // priceCall keeps the first of equal thresholds: a stable sort, highest first, does the same
  tiers.sort((a, b) => b.inputTokensAbove - a.inputTokensAbove);
  return { base, tiers };
}

/** Cards are immutable once resolved (the catalog and the rate book cache them): plan each once. */
const plans = new WeakMap<RateCard, PricePlan | null>();

function planFor(card: RateCard): PricePlan | null {
  let plan = plans.get(card);
  if (plan === undefined) {
    plan = buildPlan(card);
    plans.set(card, plan);
  }
  return plan;
}

/**
 * count x price-per-1M / 1M, rounded half to even; NaN when it cannot be done exactly in doubles. The
 * price is split at 1M (price = high x 1M + low) so that count x price itself never has to fit in 2^53:
 * the quotient is count x high + (count x low) div 1M, the remainder (count x low) mod 1M.
 */
function perMillion(count: number, price: number): number {
  if (count === 0) return 0;
  if (count < 0 || !Number.isSafeInteger(count)) return NaN;
  const low = price % PER_MILLION;
  const whole = count * ((price - low) / PER_MILLION);
  const part = count * low;
  if (!(whole <= MAX && part <= MAX)) return NaN;
  const remainder = part % PER_MILLION;
  const quotient = whole + (part - remainder) / PER_MILLION;
  const twice = remainder * 2;
  const rounded =
    twice > PER_MILLION || (twice === PER_MILLION && quotient % 2 === 1) ? quotient + 1 : quotient;
  return rounded <= MAX ? rounded : NaN;
}

export function priceCallInSafeIntegers(
  buckets: BillableBuckets,
  card: RateCard,
): SafeIntegerComponents | undefined {
  const plan = planFor(card);
  if (!plan) return undefined;
  const wholeInput =
    buckets.uncached_input + buckets.cache_read + buckets.cache_write_5m + buckets.cache_write_1h;
  let prices = plan.base;
  let tier: string | null = null;
  for (const candidate of plan.tiers)
    if (wholeInput > candidate.inputTokensAbove) {
      prices = candidate.prices;
      tier = candidate.name;
      break;
    }
  const reasoningApart = !Number.isNaN(prices.reasoning);
  const uncachedInput = perMillion(buckets.uncached_input, prices.uncachedInput);
  const cacheRead = perMillion(buckets.cache_read, prices.cacheRead);
  const cacheWrite5m = perMillion(buckets.cache_write_5m, prices.cacheWrite5m);
  const cacheWrite1h = perMillion(buckets.cache_write_1h, prices.cacheWrite1h);
  const output = perMillion(
    reasoningApart ? buckets.output - buckets.reasoning : buckets.output,
    prices.output,
  );
  const reasoning = reasoningApart ? perMillion(buckets.reasoning, prices.reasoning) : 0;
  let units = 0;
  for (const name in buckets.units) {
    const count = buckets.units[name] as number;
    if (count === 0) continue;
    const price = prices.units.get(name);
    if (price === undefined || count < 0 || !Number.isSafeInteger(count)) return undefined;
    units += count * price;
    if (!(units <= MAX)) return undefined;
  }
  const requestFee = prices.perRequest;
  const total =
    uncachedInput + cacheRead + cacheWrite5m + cacheWrite1h + output + reasoning + requestFee + units;
  // NaN anywhere makes the total NaN; a total past 2^53 could have been rounded
  if (!(total <= MAX)) return undefined;
  return {
    cost: {
      uncached_input_nanos: uncachedInput,
      cache_read_nanos: cacheRead,
      cache_write_5m_nanos: cacheWrite5m,
      cache_write_1h_nanos: cacheWrite1h,
      output_nanos: output,
      reasoning_nanos: reasoning,
      request_fee_nanos: requestFee,
      units_nanos: units,
      total_nanos: total,
    },
    tier,
  };
}
