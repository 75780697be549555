import { calcPrice, type ModelInfo, type ModelPrice, type TieredPrices } from '@pydantic/genai-prices';
import { isKnownModelId } from './catalog-match';
import { dailyWindow, inDailyWindow, type DailyWindow } from './overlay';
import { PriceOverlay } from './price-overlay';
import type { CallScope, RateCard, RateMultiplier, RatePrices, RateTier } from './rate-card';

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

type Constraint = NonNullable<Extract<ModelInfo['prices'], unknown[]>[number]['constraint']>;

function windowOf(constraint: Constraint | undefined): DailyWindow | undefined {
  return constraint?.type === 'time_of_date'
    ? dailyWindow({ from: constraint.start_time, to: constraint.end_time })
    : undefined;
}

/**
 * The catalog's prices in effect at `at`: the last entry whose constraint holds (a start date passed,
 * or the UTC time of day inside its window), else the first. `label` names the entry for the version.
 */
function pricesAt(model: ModelInfo, at: Date): { prices: ModelPrice; since: string | null; label: string } {
  if (!Array.isArray(model.prices)) return { prices: model.prices, since: null, label: '' };
  for (let i = model.prices.length - 1; i >= 0; i -= 1) {
    const entry = model.prices[i];
    if (!entry) continue;
    const constraint = entry.constraint;
    if (constraint === undefined) return { prices: entry.prices, since: null, label: '' };
    if (constraint.type === 'start_date' && at >= new Date(constraint.start_date))
      return {
        prices: entry.prices,
        since: constraint.start_date,
        label: `prices from ${constraint.start_date}`,
      };
    const window = windowOf(constraint);
    if (window && constraint.type === 'time_of_date' && inDailyWindow(window, at.getTime()))
      return {
        prices: entry.prices,
        since: null,
        label: `prices ${constraint.start_time}-${constraint.end_time} UTC`,
      };
  }
  return { prices: model.prices[0]?.prices ?? {}, since: null, label: '' };
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

/**
 * Looks up catalog entries, under the project's price overlay (./price-overlay.ts); a model is matched
 * once per (provider, model) and remembered. A match the catalog makes only by prefix (a look-alike id)
 * is no match (./catalog-match.ts).
 */
export class PriceCatalog {
  private readonly models = new Map<string, { info: ModelInfo | null; loose: string | null }>();
  private readonly cards = new Map<string, RateCard | null>();

  constructor(readonly overlay: PriceOverlay = new PriceOverlay()) {}

  /** The catalog's prices for a call, with the overlay's, as a rate card in effect then; undefined when unknown. */
  rateCardFor(call: CallScope): RateCard | undefined {
    const { provider, model } = call;
    const info = this.model(provider, model);
    if (!info) return undefined;
    const { prices, since, label } = pricesAt(info, new Date(call.at));
    const key = `${provider}\u0000${model}\u0000${since ?? ''}\u0000${label}`;
    let card = this.cards.get(key);
    if (card === undefined) {
      if (this.cards.size >= 10_000) this.cards.clear();
      card = this.buildCard(provider, model, info, prices, since, label) ?? null;
      this.cards.set(key, card);
    }
    return card ? this.overlay.patch(card, call, info.id) : undefined;
  }

  /** The overlay's discount for the tier a call was served on (batch, flex), over catalog prices. */
  multiplierFor(call: CallScope): RateMultiplier | undefined {
    const info = this.model(call.provider, call.model);
    return info ? this.overlay.multiplierFor(call, info.id) : undefined;
  }

  /** The instants at which the catalog's or the overlay's prices for a model change. */
  priceChangesFor(provider: string, model: string): number[] {
    const info = this.model(provider, model);
    if (!info) return [];
    const overlay = this.overlay.changesFor(provider, info.id);
    if (!Array.isArray(info.prices)) return overlay;
    return [
      ...overlay,
      ...info.prices.flatMap((entry) =>
        entry.constraint?.type === 'start_date' ? [new Date(entry.constraint.start_date).getTime()] : [],
      ),
    ];
  }

  /** The UTC daily windows in which a model's catalog or overlay prices differ (time-of-day prices). */
  dailyWindowsFor(provider: string, model: string): DailyWindow[] {
    const info = this.model(provider, model);
    if (!info) return [];
    const catalog = Array.isArray(info.prices)
      ? info.prices.flatMap((entry) => {
          const window = windowOf(entry.constraint);
          return window ? [window] : [];
        })
      : [];
    return [...catalog, ...this.overlay.windowsFor(provider, info.id)];
  }

  /** The catalog entry that matches a model only loosely (by prefix), for the UNKNOWN_RATE message. */
  looseMatchFor(provider: string, model: string): string | undefined {
    this.model(provider, model);
    return this.models.get(`${provider}\u0000${model}`)?.loose ?? undefined;
  }

  private buildCard(
    provider: string,
    model: string,
    info: ModelInfo,
    prices: ModelPrice,
    since: string | null,
    label: string,
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
      version: `${CATALOG_PACKAGE}@${CATALOG_VERSION}${label ? ` (${label})` : ''}`,
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
    let found = this.models.get(key);
    if (found === undefined) {
      if (this.models.size >= 10_000) this.models.clear(); // model ids are caller input: stay bounded
      const providerId = CATALOG_PROVIDER[provider];
      const result = providerId ? calcPrice({}, model, { providerId, timestamp: new Date(0) }) : null;
      const info = result?.model ?? null;
      found =
        info && !isKnownModelId(info.match, model) ? { info: null, loose: info.id } : { info, loose: null };
      this.models.set(key, found);
    }
    return found.info ?? undefined;
  }
}
