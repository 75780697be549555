import type { FocusUsageGroup } from '@tokentally/contracts';
import { buildStatement, type Statement, type UsageRow } from './statement';

/** Builders the chargeback specs share (not exported from the lib's index). */
export const USD = 1_000_000_000n;

export const usageRow = (team: string, usd: bigint, extra: Partial<UsageRow> = {}): UsageRow => ({
  team_id: team,
  feature: 'search',
  workflow: 'answer',
  model: 'gpt-4o',
  provider: 'openai',
  environment: 'prod',
  user_ref: 'u1',
  calls: 10n,
  retries: 1n,
  input_tokens: 1000n,
  cache_read_tokens: 0n,
  cache_write_5m_tokens: 0n,
  cache_write_1h_tokens: 0n,
  output_tokens: 100n,
  reasoning_tokens: 0n,
  total_nanos: usd * USD,
  adjustment_nanos: 0n,
  ...extra,
});

/** Search and Support share Platform's cost; Unattributed has its own row. */
export function sampleStatement(extra: readonly UsageRow[] = []): Statement {
  return buildStatement({
    period: '2026-10',
    previousPeriod: '2026-09',
    rows: [
      usageRow('search', 3860n),
      usageRow('search', 1000n, { feature: 'summaries', model: 'claude-sonnet-4-5', user_ref: 'u2' }),
      usageRow('support', 2000n),
      usageRow('platform', 1001n, { total_nanos: 1001n * USD + 1n }),
      usageRow('unattributed', 1090n),
      ...extra,
    ],
    previousRows: [usageRow('search', 3522n), usageRow('support', 2500n), usageRow('platform', 900n)],
    teams: [
      {
        id: 'search',
        name: 'Search',
        cost_centre: 'CC-100',
        owner: 'alice',
        monthly_budget_nanos: 5000n * USD,
      },
      { id: 'support', name: 'Support', cost_centre: 'CC-200', owner: 'bob', monthly_budget_nanos: null },
      { id: 'platform', name: 'Platform', cost_centre: 'CC-900', owner: 'carol', monthly_budget_nanos: null },
    ],
    rules: [
      {
        id: 'shared',
        rule: { source_team: 'platform', method: 'proportional', targets: ['search', 'support'] },
      },
    ],
  });
}

/** A FOCUS usage group priced by the catalog's gpt-4o entry ($2.50 input, $1.25 cache read, $10 output per 1M). */
export const usageGroup = (extra: Partial<FocusUsageGroup> = {}): FocusUsageGroup => ({
  day: new Date(Date.UTC(2026, 9, 3)),
  late: false,
  team_id: 'search',
  feature: 'search',
  workflow: 'answer',
  environment: 'prod',
  user_ref: 'hmac:dev:ab',
  provider: 'openai',
  model: 'gpt-4o',
  rate_card_id: 'catalog:openai/gpt-4o',
  rate_card_version: '@pydantic/genai-prices@0.1.8',
  pricing_tier: null,
  rate_multiplier: null,
  multiplier_applies_to: null,
  card_definition: null,
  original_currency: 'USD',
  fx_rate_id: null,
  calls: 3n,
  uncached_input_tokens: 1234n,
  cache_read_tokens: 100n,
  cache_write_5m_tokens: 0n,
  cache_write_1h_tokens: 0n,
  output_tokens: 77n,
  reasoning_tokens: 5n,
  units: {},
  // 1234 x 2.5 / 1M = 0.003085, 100 x 1.25 / 1M = 0.000125, 77 x 10 / 1M = 0.00077
  uncached_input_nanos: 3_085_000n,
  cache_read_nanos: 125_000n,
  cache_write_5m_nanos: 0n,
  cache_write_1h_nanos: 0n,
  output_nanos: 770_000n,
  reasoning_nanos: 0n,
  request_fee_nanos: 0n,
  units_nanos: 0n,
  ...extra,
});
