import type { FocusUsageGroup } from '@tokentally/contracts';
import { allocateLargestRemainder, multiplyDecimals, parseDecimalToNanos } from '@tokentally/domain-money';
import type { FxRate, PriceCatalog, RateCard, RatePrices } from '@tokentally/domain-pricing';

/** Where FOCUS finds published prices: stored cards come with each group, catalog prices from here. */
export interface FocusPriceBook {
  catalog: PriceCatalog;
  fx: readonly FxRate[];
}

/**
 * One SKU's part of a usage group: a token type (or request fees, or one priced unit) of one model at one
 * price point. `listPrice` is the published price per pricing unit in USD; `contractedPrice` the same
 * after the negotiated multiplier where it applies; `nanos` what the ledger booked (rounded per call).
 */
export interface SkuCharge {
  meter: string;
  meterName: string;
  quantity: bigint;
  /** Tokens are priced per 1,000,000; requests and units per one. */
  perMillion: boolean;
  listPrice: string;
  contractedPrice: string;
  nanos: bigint;
}

export interface PricePoint {
  card: RateCard;
  charges: SkuCharge[];
}

const DAY_MS = 86_400_000;

/** The card that priced a group: the stored definition of its version, else the catalog's entry then. */
function cardOf(group: FocusUsageGroup, book: FocusPriceBook): RateCard | undefined {
  if (group.card_definition)
    return {
      ...(group.card_definition as unknown as RateCard),
      id: group.rate_card_id,
      version: group.rate_card_version,
    };
  const start = group.day.getTime();
  const candidates = [start, start + DAY_MS - 1].map((at) =>
    // the list price: the catalog entry before any tier overlay (a group carries no region or tier)
    book.catalog.rateCardFor({
      provider: group.provider,
      model: group.model,
      region: null,
      serviceTier: null,
      at,
    }),
  );
  // the catalog version that priced the calls; after a catalog upgrade, its current entry for the model
  return (
    candidates.find((c) => c?.id === group.rate_card_id && c.version === group.rate_card_version) ??
    candidates.find((c) => c !== undefined)
  );
}

/** The prices of the tier the calls were priced at, as priceCall applies them. */
function pricesOf(card: RateCard, tierName: string | null): RatePrices {
  const tier = tierName === null ? undefined : card.tiers?.find((t) => t.name === tierName);
  if (tierName !== null && !tier) throw new RangeError(`rate card ${card.id} has no tier "${tierName}"`);
  if (!tier) return card.prices;
  return {
    ...tier.prices,
    perRequest: tier.prices.perRequest ?? card.prices.perRequest,
    units: { ...card.prices.units, ...tier.prices.units },
  };
}

/**
 * A usage group's SKU charges at their published prices. The price fallbacks are those of priceCall
 * (libs/domain/pricing): cache prices fall back to the input price, a 1h write to the 5m one, and
 * reasoning is inside output unless the card prices it apart.
 */
export function skuCharges(group: FocusUsageGroup, book: FocusPriceBook): PricePoint {
  const card = cardOf(group, book);
  if (!card)
    throw new RangeError(`no published price for ${group.rate_card_id} (${group.rate_card_version})`);
  const prices = pricesOf(card, group.pricing_tier);
  let usdPerUnit = '1';
  if (card.currency !== 'USD') {
    const fx = book.fx.find((rate) => rate.id === group.fx_rate_id);
    if (!fx) throw new RangeError(`no FX rate ${group.fx_rate_id} for rate card ${card.id}`);
    usdPerUnit = fx.usdPerUnit;
  }
  const factor = group.rate_multiplier ?? '1';
  const extrasFactor = group.multiplier_applies_to === 'all' ? factor : '1';
  const charges: SkuCharge[] = [];
  const add = (
    meter: string,
    meterName: string,
    quantity: bigint,
    price: string | undefined,
    nanos: bigint,
    perMillion = true,
  ): void => {
    if (quantity === 0n && nanos === 0n) return;
    if (price === undefined) throw new RangeError(`rate card ${card.id} has no ${meter} price`);
    const listPrice = multiplyDecimals(price, usdPerUnit);
    const contractedPrice = multiplyDecimals(listPrice, perMillion ? factor : extrasFactor);
    charges.push({ meter, meterName, quantity, perMillion, listPrice, contractedPrice, nanos });
  };
  const reasoningApart = prices.reasoning !== undefined;
  add('input', 'Input Tokens', group.uncached_input_tokens, prices.uncachedInput, group.uncached_input_nanos);
  add(
    'cache-read',
    'Cache Read Tokens',
    group.cache_read_tokens,
    prices.cacheRead ?? prices.uncachedInput,
    group.cache_read_nanos,
  );
  add(
    'cache-write-5m',
    'Cache Write Tokens (5 minutes)',
    group.cache_write_5m_tokens,
    prices.cacheWrite5m ?? prices.uncachedInput,
    group.cache_write_5m_nanos,
  );
  add(
    'cache-write-1h',
    'Cache Write Tokens (1 hour)',
    group.cache_write_1h_tokens,
    prices.cacheWrite1h ?? prices.cacheWrite5m ?? prices.uncachedInput,
    group.cache_write_1h_nanos,
  );
  add(
    'output',
    'Output Tokens',
    reasoningApart ? group.output_tokens - group.reasoning_tokens : group.output_tokens,
    prices.output,
    group.output_nanos,
  );
  if (reasoningApart)
    add('reasoning', 'Reasoning Tokens', group.reasoning_tokens, prices.reasoning, group.reasoning_nanos);
  if (prices.perRequest !== undefined || group.request_fee_nanos !== 0n)
    add('request', 'Requests', group.calls, prices.perRequest, group.request_fee_nanos, false);
  const units = Object.entries(group.units).filter(([, count]) => count > 0n);
  if (units.length > 0) {
    // the ledger keeps one units cost per call: split it over the unit names by their list cost
    const weights = units.map(([name, count]) => count * parseDecimalToNanos(prices.units?.[name] ?? '0'));
    const parts = weights.some((w) => w > 0n)
      ? allocateLargestRemainder(group.units_nanos, weights)
      : units.map((_, index) => (index === 0 ? group.units_nanos : 0n));
    units.forEach(([name, count], index) =>
      add(`unit-${name}`, `Units: ${name}`, count, prices.units?.[name], parts[index] ?? 0n, false),
    );
  }
  return { card, charges };
}
