import { parseDecimalToNanos } from '@tokentally/domain-money';
import { z } from 'zod';
import type { FxRate } from './fx';
import type { RateCard, RateMultiplier, RatePrices, RateScope } from './rate-card';

/** A user rate file (`tally rates apply rates.yaml`), validated: every problem reported with its path. */
export interface RateFile {
  cards: Omit<RateCard, 'version'>[];
  multipliers: Omit<RateMultiplier, 'version'>[];
  fx: Omit<FxRate, 'id'>[];
}

const ID = /^[a-z0-9][a-z0-9._:/-]{0,127}$/i;
const CURRENCY = /^[A-Z]{3}$/;
const PRICE_KEYS = {
  input: 'uncachedInput',
  cache_read: 'cacheRead',
  cache_write_5m: 'cacheWrite5m',
  cache_write_1h: 'cacheWrite1h',
  output: 'output',
  reasoning: 'reasoning',
  per_request: 'perRequest',
} as const satisfies Record<string, keyof RatePrices>;

type Ctx = z.RefinementCtx;
const fail = (ctx: Ctx, message: string): typeof z.NEVER => {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
};

/** An exact decimal amount (YAML may give a number), parsed to the nano once to validate it. */
const decimal = ({ positive = false } = {}) =>
  z.unknown().transform((value, ctx): string => {
    if (value === undefined) return fail(ctx, 'required');
    const text = typeof value === 'number' ? String(value) : value;
    if (typeof text !== 'string') return fail(ctx, 'must be a decimal amount, e.g. "3.75"');
    let nanos: bigint;
    try {
      nanos = parseDecimalToNanos(text);
    } catch (error) {
      return fail(ctx, (error as Error).message);
    }
    if (nanos < 0n || (positive && nanos === 0n))
      return fail(ctx, `must be ${positive ? 'above zero' : 'zero or more'}, got ${text}`);
    return text.trim();
  });

/** Text, trimmed; empty or null counts as absent. */
const blank = (value: unknown): boolean => value === undefined || value === null || value === '';
const requiredText = () =>
  z.unknown().transform((value, ctx): string => {
    if (blank(value)) return fail(ctx, 'required');
    return typeof value === 'string' ? value.trim() : fail(ctx, 'must be text');
  });
const optionalText = () =>
  z
    .unknown()
    .transform((value, ctx): string | undefined => {
      if (blank(value)) return undefined;
      return typeof value === 'string' ? value.trim() : fail(ctx, 'must be text');
    })
    .optional();

/** A date (midnight UTC) or an ISO time; YAML may already have turned a bare date into a Date. */
const time = (required: boolean) =>
  z.unknown().transform((value, ctx): number => {
    const parsed =
      value instanceof Date
        ? value.getTime()
        : typeof value === 'string'
          ? Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value)
          : NaN;
    if (Number.isNaN(parsed))
      return fail(ctx, required ? 'required, a date or ISO time' : 'must be a date or ISO time');
    return parsed;
  });

const prices = z
  .strictObject(
    {
      input: decimal(),
      cache_read: decimal().optional(),
      cache_write_5m: decimal().optional(),
      cache_write_1h: decimal().optional(),
      output: decimal(),
      reasoning: decimal().optional(),
      per_request: decimal().optional(),
      units: z
        .record(z.string(), decimal(), { error: 'must map a unit name to its price per unit' })
        .optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown price (${[...Object.keys(PRICE_KEYS), 'units'].join(', ')})`
          : 'must be a mapping of prices per 1M tokens (input, output, cache_read, ...)',
    },
  )
  .transform((value): RatePrices => {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(PRICE_KEYS))
      if (value[key as keyof typeof PRICE_KEYS] !== undefined)
        out[field] = value[key as keyof typeof PRICE_KEYS];
    if (value.units) out.units = value.units;
    return out as unknown as RatePrices;
  });

const tier = z
  .object(
    {
      name: z.string({ error: 'must be text' }).optional(),
      input_tokens_above: z
        .number({ error: 'a whole number of tokens' })
        .int({ error: 'a whole number of tokens' })
        .min(0, { error: 'a whole number of tokens' }),
      prices,
    },
    { error: 'must be a mapping' },
  )
  .transform(({ name, input_tokens_above: above, prices: tierPrices }) => ({
    name: name || `input_above_${above}`,
    inputTokensAbove: above,
    prices: tierPrices,
  }));

/** One entry of `rate_cards`: full prices (a card) or a multiplier, never both. */
const rateCard = z
  .object(
    {
      id: requiredText().refine((id) => ID.test(id), {
        error: (issue) => `"${String(issue.input)}" is not a valid id`,
      }),
      provider: requiredText(),
      model: requiredText(),
      region: optionalText(),
      service_tier: optionalText(),
      effective_from: time(true),
      effective_to: time(false).optional(),
      multiplier: decimal({ positive: true }).optional(),
      applies_to: z.enum(['tokens', 'all'], { error: 'tokens (default) or all' }).default('tokens'),
      currency: optionalText()
        .transform((code) => (code ?? 'USD').toUpperCase())
        .refine((code) => CURRENCY.test(code), 'an ISO 4217 code such as USD or EUR'),
      prices: prices.optional(),
      tiers: z.array(tier, { error: 'must be a list' }).optional(),
    },
    { error: 'must be a mapping' },
  )
  .superRefine((card, ctx) => {
    if ((card.prices === undefined) === (card.multiplier === undefined))
      ctx.addIssue({ code: 'custom', message: 'needs either prices or a multiplier (not both)' });
    if (card.effective_to !== undefined && card.effective_to <= card.effective_from)
      ctx.addIssue({ code: 'custom', path: ['effective_to'], message: 'must be after effective_from' });
  })
  .transform((card) => {
    const scope: Omit<RateScope, 'version'> = {
      id: card.id,
      provider: card.provider.toLowerCase(),
      model: card.model,
      ...(card.region ? { region: card.region } : {}),
      ...(card.service_tier ? { serviceTier: card.service_tier } : {}),
      effectiveFrom: card.effective_from,
      ...(card.effective_to !== undefined ? { effectiveTo: card.effective_to } : {}),
    };
    if (card.multiplier !== undefined)
      return {
        kind: 'multiplier' as const,
        value: { ...scope, factor: card.multiplier, appliesTo: card.applies_to },
      };
    const tiers = card.tiers ?? [];
    return {
      kind: 'card' as const,
      value: {
        ...scope,
        currency: card.currency,
        prices: card.prices as RatePrices,
        ...(tiers.length ? { tiers } : {}),
      },
    };
  });

const fxRate = z
  .object(
    {
      currency: z
        .unknown()
        .transform((code) => (typeof code === 'string' ? code.toUpperCase() : ''))
        .refine((code) => CURRENCY.test(code) && code !== 'USD', 'an ISO 4217 code other than USD'),
      effective_from: time(true),
      usd_per_unit: decimal({ positive: true }),
    },
    { error: 'must be a mapping' },
  )
  .transform((rate): RateFile['fx'][number] => ({
    currency: rate.currency,
    effectiveFrom: rate.effective_from,
    usdPerUnit: rate.usd_per_unit,
  }));

const list = <T extends z.ZodType>(items: z.ZodArray<T>) => items.nullish().transform((value) => value ?? []);
const listOf = <T extends z.ZodType>(item: T) => z.array(item, { error: 'must be a list of mappings' });

/** A duplicate card id, reported even when some card is invalid (so it comes back with the rest). */
function uniqueIds(cards: unknown[], ctx: Ctx): void {
  const seen = new Set<string>();
  cards.forEach((card, index) => {
    const item = (card ?? {}) as { id?: unknown; value?: { id?: unknown } };
    const raw = item.value?.id ?? item.id;
    if (typeof raw !== 'string' || raw.trim() === '') return;
    const id = raw.trim();
    if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `"${id}" appears twice` });
    seen.add(id);
  });
}

/** The whole rate file: one schema, so every problem comes back at once with its path. */
export const rateFileSchema = z
  .strictObject(
    {
      // `when`: zod skips refinements once an item failed; this check must run regardless
      rate_cards: list(listOf(rateCard).superRefine(uniqueIds, { when: () => true })),
      fx_rates: list(listOf(fxRate)),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? 'unknown section (rate_cards, fx_rates)'
          : 'the document must be a mapping with rate_cards and fx_rates',
    },
  )
  .superRefine(({ rate_cards: cards, fx_rates: fx }, ctx) => {
    cards.forEach((card, index) => {
      if (card.kind !== 'card' || card.value.currency === 'USD') return;
      const { currency, effectiveFrom } = card.value;
      if (!fx.some((rate) => rate.currency === currency && rate.effectiveFrom <= effectiveFrom))
        ctx.addIssue({
          code: 'custom',
          path: ['rate_cards', index, 'currency'],
          message: `${currency} needs an fx_rates entry in effect from ${new Date(effectiveFrom).toISOString().slice(0, 10)}`,
        });
    });
  })
  .transform(({ rate_cards: cards, fx_rates: fx }): RateFile => ({
    cards: cards.flatMap((card) => (card.kind === 'card' ? [card.value] : [])),
    multipliers: cards.flatMap((card) => (card.kind === 'multiplier' ? [card.value] : [])),
    fx,
  }));

/** `rate_cards[0].prices.input`: the path as the file's author reads it. */
function pathOf(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

/** `path: message` per problem, as libs/platform/config reports configuration (one line per key). */
export function rateFileProblems(error: z.ZodError): string[] {
  return error.issues.flatMap((issue) => {
    const paths =
      issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
    return paths.map((path) => (path.length ? `${pathOf(path)}: ${issue.message}` : issue.message));
  });
}

export function parseRateFile(
  input: unknown,
): { ok: true; value: RateFile } | { ok: false; problems: string[] } {
  const parsed = rateFileSchema.safeParse(input);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, problems: rateFileProblems(parsed.error) };
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
