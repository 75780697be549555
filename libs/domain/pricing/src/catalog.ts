import { calcPrice, type ModelInfo, type ModelPrice, type TieredPrices } from '@pydantic/genai-prices';
import type { RateCard, RatePrices, RateTier } from './rate-card';

/**
 * The pinned, offline base price catalog: @pydantic/genai-prices with its bundled data. It is only read
 * for rates and model matching (it computes in floating point; tokentally does the money in integers),
 * and never asked for remote updates: a price change arrives as a dependency bump with a golden diff.
 */
export const CATALOG_PACKAGE = '@pydantic/genai-prices';
export const CATALOG_VERSION = '0.1.8';

/** Canonical tokentally provider id -> the catalog's provider id. */
const CATALOG_PROVIDER: Record<string, string> = {
  openai: 'openai',
  azure_openai: 'azure',
  anthropic: 'anthropic',
  bedrock: 'aws',
  google: 'google',
  vertex_ai: 'google',
  mistral: 'mistral',
  deepseek: 'deepseek',
  xai: 'x-ai',
  groq: 'groq',
};

/** Catalog price keys tokentally bills; anything else on a model (audio, images) is not priced here. */
const TOKEN_KEYS = {
  input_mtok: 'uncachedInput',
  cache_read_mtok: 'cacheRead',
  cache_write_mtok: 'cacheWrite5m',
  cache_write_1h_mtok: 'cacheWrite1h',
  output_mtok: 'output',
  output_reasoning_mtok: 'reasoning',
} as const;
const PER_THOUSAND_UNITS: Record<string, string> = { web_searches_kcount: 'web_search_requests' };

/** A catalog float as an exact decimal string, to the nano (catalog prices have at most a few decimals). */
function decimal(value: number): string {
  return value.toFixed(9).replace(/\.?0+$/, '') || '0';
}

/** Price per one unit from a price per 1,000 units: an exact decimal shift. */
function perUnit(perThousand: number): string {
  return decimal(perThousand / 1000);
}

function isTiered(value: number | TieredPrices | undefined): value is TieredPrices {
  return typeof value === 'object';
}

function pricesAt(model: ModelInfo, at: Date): { prices: ModelPrice; since: string | null } {
  if (!Array.isArray(model.prices)) return { prices: model.prices, since: null };
  for (let i = model.prices.length - 1; i >= 0; i -= 1) {
    const entry = model.prices[i];
    if (!entry) continue;
    const constraint = entry.constraint;
    if (constraint === undefined) return { prices: entry.prices, since: null };
    if (constraint.type === 'start_date' && at >= new Date(constraint.start_date))
      return { prices: entry.prices, since: constraint.start_date };
  }
  return { prices: model.prices[0]?.prices ?? {}, since: null };
}

function toRatePrices(
  prices: ModelPrice,
  pick: (value: number | TieredPrices) => number,
): RatePrices | undefined {
  const out: Partial<Record<string, string>> & { units?: Record<string, string> } = {};
  for (const [key, field] of Object.entries(TOKEN_KEYS)) {
    const value = prices[key];
    if (value !== undefined) out[field] = decimal(pick(value));
  }
  const requests = prices.requests_kcount;
  if (requests !== undefined) out.perRequest = perUnit(pick(requests));
  for (const [key, unit] of Object.entries(PER_THOUSAND_UNITS)) {
    const value = prices[key];
    if (value !== undefined) out.units = { ...out.units, [unit]: perUnit(pick(value)) };
  }
  if (out.uncachedInput === undefined || out.output === undefined) return undefined;
  return out as unknown as RatePrices;
}

/** Looks up catalog entries; a model is matched once per (provider, model) and remembered. */
export class PriceCatalog {
  private readonly models = new Map<string, ModelInfo | null>();
  private readonly cards = new Map<string, RateCard | null>();

  /** The catalog's prices for a call as a rate card in effect at `at`, or undefined when unknown. */
  rateCardFor(provider: string, model: string, at: number): RateCard | undefined {
    const info = this.model(provider, model);
    if (!info) return undefined;
    const { prices, since } = pricesAt(info, new Date(at));
    const key = `${provider}\u0000${model}\u0000${since ?? ''}`;
    let card = this.cards.get(key);
    if (card === undefined) {
      if (this.cards.size >= 10_000) this.cards.clear();
      card = this.buildCard(provider, model, info, prices, since) ?? null;
      this.cards.set(key, card);
    }
    return card ?? undefined;
  }

  /** The instants at which the catalog's prices for a model change (its dated price entries). */
  priceChangesFor(provider: string, model: string): number[] {
    const info = this.model(provider, model);
    if (!info || !Array.isArray(info.prices)) return [];
    return info.prices.flatMap((entry) =>
      entry.constraint?.type === 'start_date' ? [new Date(entry.constraint.start_date).getTime()] : [],
    );
  }

  private buildCard(
    provider: string,
    model: string,
    info: ModelInfo,
    prices: ModelPrice,
    since: string | null,
  ): RateCard | undefined {
    const base = toRatePrices(prices, (value) => (isTiered(value) ? value.base : value));
    if (!base) return undefined;
    const starts = [
      ...new Set(
        Object.values(prices)
          .filter(isTiered)
          .flatMap((tiered) => tiered.tiers.map((tier) => tier.start)),
      ),
    ].sort((a, b) => a - b);
    const tiers: RateTier[] = starts.flatMap((start) => {
      const tierPrices = toRatePrices(prices, (value) =>
        isTiered(value)
          ? ([...value.tiers]
              .sort((a, b) => a.start - b.start)
              .filter((tier) => tier.start <= start)
              .at(-1)?.price ?? value.base)
          : value,
      );
      return tierPrices
        ? [
            {
              name: starts.length === 1 ? 'long_context' : `input_above_${start}`,
              inputTokensAbove: start,
              prices: tierPrices,
            },
          ]
        : [];
    });
    return {
      id: `catalog:${CATALOG_PROVIDER[provider] ?? provider}/${info.id}`,
      version: `${CATALOG_PACKAGE}@${CATALOG_VERSION}${since ? ` (prices from ${since})` : ''}`,
      provider,
      model,
      effectiveFrom: since ? Date.parse(`${since}T00:00:00Z`) : 0,
      currency: 'USD',
      prices: base,
      ...(tiers.length > 0 ? { tiers } : {}),
    };
  }

  private model(provider: string, model: string): ModelInfo | undefined {
    const key = `${provider}\u0000${model}`;
    let info = this.models.get(key);
    if (info === undefined) {
      if (this.models.size >= 10_000) this.models.clear(); // model ids are caller input: stay bounded
      const providerId = CATALOG_PROVIDER[provider];
      const result = providerId ? calcPrice({}, model, { providerId, timestamp: new Date(0) }) : null;
      info = result?.model ?? null;
      this.models.set(key, info);
    }
    return info ?? undefined;
  }
}
