import { parseDecimalToNanos } from '@tokentally/domain-money';
import type { FxRate } from './fx';
import type { RateCard, RateMultiplier, RatePrices, RateScope, RateTier } from './rate-card';

/** A user rate file (`tally rates apply rates.yaml`), validated: every problem reported with its path. */
export interface RateFile {
  cards: Omit<RateCard, 'version'>[];
  multipliers: Omit<RateMultiplier, 'version'>[];
  fx: Omit<FxRate, 'id'>[];
}

type Json = Record<string, unknown>;
const ID = /^[a-z0-9][a-z0-9._:/-]{0,127}$/i;
const CURRENCY = /^[A-Z]{3}$/;
const PRICE_KEYS: Record<string, keyof RatePrices> = {
  input: 'uncachedInput',
  cache_read: 'cacheRead',
  cache_write_5m: 'cacheWrite5m',
  cache_write_1h: 'cacheWrite1h',
  output: 'output',
  reasoning: 'reasoning',
  per_request: 'perRequest',
};

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A date (midnight UTC) or an ISO time; YAML may already have turned a bare date into a Date. */
function parseTime(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value !== 'string') return undefined;
  const time = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(time) ? undefined : time;
}

export function parseRateFile(
  input: unknown,
): { ok: true; value: RateFile } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const doc = isObject(input)
    ? input
    : (problems.push('the document must be a mapping with rate_cards and fx_rates'), {});
  for (const key of Object.keys(doc))
    if (key !== 'rate_cards' && key !== 'fx_rates')
      problems.push(`${key}: unknown section (rate_cards, fx_rates)`);
  const list = (key: string): Json[] => {
    const value = doc[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || !value.every(isObject)) {
      problems.push(`${key}: must be a list of mappings`);
      return [];
    }
    return value;
  };
  const decimal = (value: unknown, path: string, { positive = false } = {}): string | undefined => {
    const text = typeof value === 'number' ? String(value) : value;
    if (typeof text !== 'string') {
      problems.push(`${path}: must be a decimal amount, e.g. "3.75"`);
      return undefined;
    }
    try {
      const nanos = parseDecimalToNanos(text);
      if (nanos < 0n || (positive && nanos === 0n)) {
        problems.push(`${path}: must be ${positive ? 'above zero' : 'zero or more'}, got ${text}`);
        return undefined;
      }
      return text.trim();
    } catch (error) {
      problems.push(`${path}: ${(error as Error).message}`);
      return undefined;
    }
  };
  const prices = (value: unknown, path: string): RatePrices | undefined => {
    if (!isObject(value)) {
      problems.push(`${path}: must be a mapping of prices per 1M tokens (input, output, cache_read, ...)`);
      return undefined;
    }
    const out: Partial<RatePrices> = {};
    for (const [key, raw] of Object.entries(value)) {
      if (key === 'units') {
        if (!isObject(raw)) problems.push(`${path}.units: must map a unit name to its price per unit`);
        else
          out.units = Object.fromEntries(
            Object.entries(raw).flatMap(([unit, price]) => {
              const parsed = decimal(price, `${path}.units.${unit}`);
              return parsed === undefined ? [] : [[unit, parsed]];
            }),
          );
        continue;
      }
      const field = PRICE_KEYS[key];
      if (!field) {
        problems.push(`${path}.${key}: unknown price (${[...Object.keys(PRICE_KEYS), 'units'].join(', ')})`);
        continue;
      }
      const parsed = decimal(raw, `${path}.${key}`);
      if (parsed !== undefined) (out as Record<string, unknown>)[field] = parsed;
    }
    for (const required of ['input', 'output'] as const)
      if (value[required] === undefined) problems.push(`${path}.${required}: required`);
    return out.uncachedInput !== undefined && out.output !== undefined ? (out as RatePrices) : undefined;
  };

  const cards: RateFile['cards'] = [];
  const multipliers: RateFile['multipliers'] = [];
  const ids = new Set<string>();
  list('rate_cards').forEach((item, index) => {
    const path = `rate_cards[${index}]`;
    const text = (key: string, required: boolean): string | undefined => {
      const value = item[key];
      if (value === undefined || value === null || value === '') {
        if (required) problems.push(`${path}.${key}: required`);
        return undefined;
      }
      if (typeof value !== 'string') {
        problems.push(`${path}.${key}: must be text`);
        return undefined;
      }
      return value.trim();
    };
    const id = text('id', true);
    if (id !== undefined && !ID.test(id)) problems.push(`${path}.id: "${id}" is not a valid id`);
    if (id !== undefined && ids.has(id)) problems.push(`${path}.id: "${id}" appears twice`);
    if (id !== undefined) ids.add(id);
    const provider = text('provider', true)?.toLowerCase();
    const model = text('model', true);
    const region = text('region', false);
    const serviceTier = text('service_tier', false);
    const effectiveFrom = parseTime(item.effective_from);
    if (effectiveFrom === undefined) problems.push(`${path}.effective_from: required, a date or ISO time`);
    const effectiveTo = item.effective_to === undefined ? undefined : parseTime(item.effective_to);
    if (item.effective_to !== undefined && effectiveTo === undefined)
      problems.push(`${path}.effective_to: must be a date or ISO time`);
    if (effectiveFrom !== undefined && effectiveTo !== undefined && effectiveTo <= effectiveFrom)
      problems.push(`${path}.effective_to: must be after effective_from`);
    const hasPrices = item.prices !== undefined;
    const hasMultiplier = item.multiplier !== undefined;
    if (hasPrices === hasMultiplier) problems.push(`${path}: needs either prices or a multiplier (not both)`);
    const complete =
      id !== undefined && provider !== undefined && model !== undefined && effectiveFrom !== undefined;
    const scope = (): Omit<RateScope, 'version'> => ({
      id: id ?? '',
      provider: provider ?? '',
      model: model ?? '',
      ...(region ? { region } : {}),
      ...(serviceTier ? { serviceTier } : {}),
      effectiveFrom: effectiveFrom ?? 0,
      ...(effectiveTo !== undefined ? { effectiveTo } : {}),
    });
    if (hasMultiplier) {
      const factor = decimal(item.multiplier, `${path}.multiplier`, { positive: true });
      const appliesTo = item.applies_to ?? 'tokens';
      if (appliesTo !== 'tokens' && appliesTo !== 'all')
        problems.push(`${path}.applies_to: tokens (default) or all`);
      if (factor !== undefined && complete)
        multipliers.push({ ...scope(), factor, appliesTo: appliesTo === 'all' ? 'all' : 'tokens' });
      return;
    }
    const currency = (text('currency', false) ?? 'USD').toUpperCase();
    if (!CURRENCY.test(currency)) problems.push(`${path}.currency: an ISO 4217 code such as USD or EUR`);
    const base = prices(item.prices, `${path}.prices`);
    const tiers: RateTier[] = [];
    if (item.tiers !== undefined) {
      if (!Array.isArray(item.tiers)) problems.push(`${path}.tiers: must be a list`);
      else
        item.tiers.forEach((tier: unknown, t) => {
          const tierPath = `${path}.tiers[${t}]`;
          if (!isObject(tier)) return problems.push(`${tierPath}: must be a mapping`);
          const above = tier.input_tokens_above;
          if (typeof above !== 'number' || !Number.isSafeInteger(above) || above < 0)
            problems.push(`${tierPath}.input_tokens_above: a whole number of tokens`);
          const tierPrices = prices(tier.prices, `${tierPath}.prices`);
          const name =
            typeof tier.name === 'string' && tier.name ? tier.name : `input_above_${String(above)}`;
          if (tierPrices && typeof above === 'number')
            tiers.push({ name, inputTokensAbove: above, prices: tierPrices });
          return undefined;
        });
    }
    if (base && complete)
      cards.push({ ...scope(), currency, prices: base, ...(tiers.length ? { tiers } : {}) });
  });

  const fx: RateFile['fx'] = [];
  list('fx_rates').forEach((item, index) => {
    const path = `fx_rates[${index}]`;
    const currency = typeof item.currency === 'string' ? item.currency.toUpperCase() : '';
    if (!CURRENCY.test(currency) || currency === 'USD')
      problems.push(`${path}.currency: an ISO 4217 code other than USD`);
    const effectiveFrom = parseTime(item.effective_from);
    if (effectiveFrom === undefined) problems.push(`${path}.effective_from: required, a date or ISO time`);
    const usdPerUnit = decimal(item.usd_per_unit, `${path}.usd_per_unit`, { positive: true });
    if (CURRENCY.test(currency) && effectiveFrom !== undefined && usdPerUnit !== undefined)
      fx.push({ currency, effectiveFrom, usdPerUnit });
  });
  for (const card of cards)
    if (
      card.currency !== 'USD' &&
      !fx.some((rate) => rate.currency === card.currency && rate.effectiveFrom <= card.effectiveFrom)
    )
      problems.push(
        `rate card ${card.id}: currency ${card.currency} needs an fx_rates entry in effect from ${new Date(card.effectiveFrom).toISOString().slice(0, 10)}`,
      );
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: { cards, multipliers, fx } };
}

/** A validated rate file as the rate book stores it: one definition per card, FX rates with dates. */
export function storedRateBook(file: RateFile): {
  cards: { id: string; kind: 'prices' | 'multiplier'; definition: Record<string, unknown> }[];
  fx: { currency: string; effectiveFrom: Date; usdPerUnit: string }[];
} {
  return {
    cards: [
      ...file.cards.map(({ id, ...definition }) => ({ id, kind: 'prices' as const, definition })),
      ...file.multipliers.map(({ id, ...definition }) => ({ id, kind: 'multiplier' as const, definition })),
    ],
    fx: file.fx.map((rate) => ({ ...rate, effectiveFrom: new Date(rate.effectiveFrom) })),
  };
}
