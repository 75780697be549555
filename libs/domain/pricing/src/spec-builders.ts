import type { BillableBuckets, EnrichedCallEvent } from '@tokentally/contracts';
import type { RateCard } from './rate-card';

/** Test builders shared by this library's specs (not exported from the library). */
export const buckets = (b: Partial<BillableBuckets>): BillableBuckets => ({
  uncached_input: 0,
  cache_read: 0,
  cache_write_5m: 0,
  cache_write_1h: 0,
  output: 0,
  reasoning: 0,
  units: {},
  ...b,
});

/** A USD card for provider `p`, model `m`, in effect since the epoch. */
export const card = (prices: RateCard['prices'], extra: Partial<RateCard> = {}): RateCard => ({
  id: 'c',
  version: '1',
  provider: 'p',
  model: 'm',
  effectiveFrom: 0,
  currency: 'USD',
  prices,
  ...extra,
});

/** An enriched call of `provider`/`model` at `at` with the given buckets (the rest as in golden.spec.ts). */
export const enrichedCall = (
  provider: string,
  model: string,
  usage: Partial<BillableBuckets>,
  extra: Partial<EnrichedCallEvent> = {},
): EnrichedCallEvent => ({
  event_id: `spec-${provider}-${model}`,
  trace_id: 'trace-spec',
  span_id: null,
  parent_span_id: null,
  provider_request_id: null,
  occurred_at: Date.UTC(2026, 10, 10, 12),
  team_id: 'team-a',
  user_ref: null,
  tenant_ref: null,
  feature: 'search',
  workflow: null,
  environment: 'prod',
  owner_source: 'event',
  pseudonym_key_id: null,
  request_source: null,
  api_key_id: null,
  service_account: null,
  gateway_id: null,
  project_id: null,
  prompt_template_version: null,
  provider,
  model,
  response_model: null,
  region: null,
  service_tier: null,
  buckets: buckets(usage),
  raw_usage_json: null,
  attempt: 1,
  is_retry: false,
  is_fallback: false,
  status_code: 200,
  latency_ms: 900,
  streamed: null,
  attributes: {},
  redactions: 0,
  enriched_at: Date.UTC(2026, 10, 10, 12),
  ...extra,
});
