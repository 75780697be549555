import { parseDecimalToNanos } from '@tokentally/domain-money';
import { resolveFx, resolvePricing, type RateBook } from '@tokentally/domain-pricing';
import type { CardRates, RateLookup } from './reconciliation.types';

const noon = (day: string): number => Date.parse(`${day}T12:00:00Z`);

/**
 * The card the pricer would use for a model on a day (standard tier, no region), per 1M tokens in
 * nanos: splits the rollup's cache cost and is what a price-drift explanation names.
 */
export function rateLookupFrom(book: RateBook): RateLookup {
  const cache = new Map<string, CardRates | null>();
  return (provider, model, day) => {
    const key = `${provider}|${model}|${day}`;
    if (cache.has(key)) return cache.get(key)!;
    const resolution = resolvePricing(book, {
      provider,
      model,
      region: null,
      serviceTier: null,
      at: noon(day),
    });
    let rates: CardRates | null = null;
    if (!('problem' in resolution)) {
      const { prices, id, version } = resolution.card;
      const of = (text: string | undefined): bigint | undefined =>
        text === undefined ? undefined : parseDecimalToNanos(text);
      rates = {
        card: `${id}@${version}`,
        perMillion: Object.fromEntries(
          Object.entries({
            input: of(prices.uncachedInput),
            cache_read: of(prices.cacheRead),
            cache_write_5m: of(prices.cacheWrite5m),
            cache_write_1h: of(prices.cacheWrite1h),
            output: of(prices.output),
          }).filter(([, v]) => v !== undefined),
        ),
      };
    }
    cache.set(key, rates);
    return rates;
  };
}

/** tokentally's own USD rate for a currency on a day (the FX table of the rate book). */
export function fxReferenceFrom(book: RateBook): (currency: string, day: string) => string | null {
  return (currency, day) => resolveFx(book.fx, currency, noon(day))?.usdPerUnit ?? null;
}
