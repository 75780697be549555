import type { RawCallEvent } from '@tokentally/contracts';
import { nanosToDecimal } from '@tokentally/domain-money';
import { PRICE, trueCost } from './true-cost';
import type { GeneratedCall } from './traffic';

/**
 * What Anthropic would bill for the demo's calls of one month: its Usage report and Cost report pages
 * (daily buckets, the Admin API's shapes: cost `amount` in cents as a decimal string), built from the
 * generated traffic with the provider's own token counting and the negotiated 10% discount. One
 * difference is planted: on one day some calls reached Anthropic but never tokentally (dropped before
 * ingest), so the bill holds them and the ledger does not.
 */
export const ACCOUNT = 'org-demo';
const MODEL = 'claude-sonnet-4-5';
const DAY = 86_400_000;
/** One in this many of the day's Anthropic calls is billed a second time as a call tokentally never saw. */
const DROPPED_ONE_IN = 25;

type TokenType =
  | 'uncached_input_tokens'
  | 'cache_read_input_tokens'
  | 'cache_creation.ephemeral_5m_input_tokens'
  | 'cache_creation.ephemeral_1h_input_tokens'
  | 'output_tokens';
type Totals = Record<TokenType, { tokens: bigint; nanos: bigint }>;

function tokensOf(usage: RawCallEvent['usage']): Record<TokenType, bigint> {
  const writes = BigInt(usage.cache_write_tokens ?? 0);
  const writes1h = BigInt(usage.cache_write_1h_tokens ?? 0);
  return {
    uncached_input_tokens: BigInt(usage.input_tokens),
    cache_read_input_tokens: BigInt(usage.cached_input_tokens ?? 0),
    'cache_creation.ephemeral_5m_input_tokens': writes - writes1h,
    'cache_creation.ephemeral_1h_input_tokens': writes1h,
    output_tokens: BigInt(usage.output_tokens),
  };
}

const price = PRICE[MODEL]!;
/** List nanos per token x 0.9 (every price is a multiple of 10 nanos: exact). */
const RATE: Record<TokenType, bigint> = {
  uncached_input_tokens: (price.input * 9n) / 10n,
  cache_read_input_tokens: (price.cacheRead * 9n) / 10n,
  'cache_creation.ephemeral_5m_input_tokens': (price.cacheWrite5m! * 9n) / 10n,
  'cache_creation.ephemeral_1h_input_tokens': (price.cacheWrite1h! * 9n) / 10n,
  output_tokens: (price.output * 9n) / 10n,
};

export interface ProviderBill {
  usagePages: string;
  costPages: string;
  from: string;
  to: string;
  plantedDay: string;
  plantedCalls: number;
  plantedNanos: bigint;
}

export function anthropicBill(
  traffic: readonly GeneratedCall[],
  period: string,
  plantedDayOfMonth = 20,
): ProviderBill {
  const start = Date.parse(`${period}-01T00:00:00Z`);
  const plantedDay = new Date(start + (plantedDayOfMonth - 1) * DAY).toISOString().slice(0, 10);
  const days = new Map<string, Totals>();
  const add = (day: string, usage: RawCallEvent['usage']): void => {
    const totals =
      days.get(day) ??
      (Object.fromEntries(Object.keys(RATE).map((t) => [t, { tokens: 0n, nanos: 0n }])) as Totals);
    for (const [type, tokens] of Object.entries(tokensOf(usage)) as [TokenType, bigint][]) {
      totals[type].tokens += tokens;
      totals[type].nanos += tokens * RATE[type];
    }
    days.set(day, totals);
  };
  let plantedCalls = 0;
  let plantedNanos = 0n;
  let seen = 0;
  for (const { event } of traffic) {
    if (event.provider !== 'anthropic' || event.status_code !== 200) continue;
    const day = new Date(event.occurred_at).toISOString().slice(0, 10);
    if (!day.startsWith(period)) continue;
    add(day, event.usage);
    if (day === plantedDay && ++seen % DROPPED_ONE_IN === 0) {
      add(day, event.usage);
      plantedCalls += 1;
      plantedNanos += trueCost('anthropic', event.model, event.usage, true);
    }
  }
  const sorted = [...days.keys()].sort();
  const page = (row: (totals: Totals) => Record<string, unknown>[]) =>
    JSON.stringify({
      data: sorted.map((day) => ({
        starting_at: `${day}T00:00:00Z`,
        ending_at: `${new Date(Date.parse(`${day}T00:00:00Z`) + DAY).toISOString().slice(0, 19)}Z`,
        results: row(days.get(day)!),
      })),
      has_more: false,
      next_page: null,
    });
  const common = {
    model: MODEL,
    service_tier: 'standard',
    context_window: '0-200k',
    inference_geo: 'global',
  };
  const usagePages = page((t) => [
    {
      ...common,
      uncached_input_tokens: Number(t.uncached_input_tokens.tokens),
      cache_read_input_tokens: Number(t.cache_read_input_tokens.tokens),
      cache_creation: {
        ephemeral_5m_input_tokens: Number(t['cache_creation.ephemeral_5m_input_tokens'].tokens),
        ephemeral_1h_input_tokens: Number(t['cache_creation.ephemeral_1h_input_tokens'].tokens),
      },
      output_tokens: Number(t.output_tokens.tokens),
    },
  ]);
  const costPages = page((t) =>
    (Object.keys(RATE) as TokenType[]).map((type) => ({
      ...common,
      currency: 'USD',
      amount: nanosToDecimal(t[type].nanos * 100n), // cents
      description: `Claude Sonnet 4.5 ${type}`,
      cost_type: 'tokens',
      token_type: type,
    })),
  );
  return {
    usagePages,
    costPages,
    from: sorted[0] ?? `${period}-01`,
    to: sorted.at(-1) ?? `${period}-01`,
    plantedDay,
    plantedCalls,
    plantedNanos,
  };
}
