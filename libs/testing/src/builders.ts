import { randomUUID } from 'node:crypto';
import type { EnrichedCallEvent, RawCallEvent } from '@tokentally/contracts';

const FEATURES = ['search', 'chat-assistant', 'summaries', 'support-triage'] as const;
const MODELS = [
  ['openai', 'gpt-4o'],
  ['anthropic', 'claude-sonnet-4-5'],
  ['google', 'gemini-2.5-flash'],
  ['bedrock', 'anthropic.claude-haiku-4-5'],
] as const;

/** A valid raw call event with every optional field exercised; `n` makes it deterministic. */
export function buildRawCallEvent(n: number, overrides: Partial<RawCallEvent> = {}): RawCallEvent {
  const [provider, model] = MODELS[n % MODELS.length] ?? MODELS[0];
  return {
    event_id: randomUUID(),
    trace_id: `trace-${Math.floor(n / 3)}`,
    span_id: `span-${n}`,
    parent_span_id: n % 3 === 0 ? null : `span-${n - (n % 3)}`,
    provider_request_id: `req_${n}`,
    occurred_at: 1_793_000_000_000 + n * 1000,
    team_id: n % 7 === 0 ? null : `team-${n % 5}`,
    user_id: `user-${n % 50}@example.com`,
    tenant_id: n % 2 === 0 ? `tenant-${n % 9}` : null,
    feature: FEATURES[n % FEATURES.length] ?? 'search',
    workflow: n % 4 === 0 ? null : 'answer-question',
    environment: n % 10 === 0 ? 'staging' : 'prod',
    request_source: 'api_worker',
    api_key_id: `key-${n % 11}`,
    service_account: null,
    gateway_id: 'litellm-eu-1',
    project_id: null,
    prompt_template_version: `v${1 + (n % 3)}`,
    provider,
    model,
    response_model: `${model}-2026-01-01`,
    region: provider === 'bedrock' ? 'us-east-1' : null,
    service_tier: n % 13 === 0 ? 'batch' : 'default',
    usage: {
      input_tokens: 1000 + (n % 4000),
      output_tokens: 50 + (n % 900),
      cached_input_tokens: n % 3 === 0 ? 512 : null,
      cache_write_tokens: provider === 'anthropic' ? 128 : null,
      cache_write_1h_tokens: null,
      reasoning_tokens: provider === 'openai' ? n % 50 : null, // never above output (>= 50)
      units: n % 17 === 0 ? { web_search_requests: 2 } : {},
    },
    raw_usage_json: JSON.stringify({ prompt_tokens: 1000 + (n % 4000) }),
    attempt: 1 + (n % 2),
    is_retry: n % 2 === 1,
    is_fallback: false,
    status_code: 200,
    latency_ms: 300 + (n % 2000),
    streamed: n % 5 === 0,
    attributes: { release: '2026.11.3' },
    ...overrides,
  };
}

/**
 * A valid enriched call (what the pricer consumes) for models whose catalog prices are flat below 200k
 * input tokens: gpt-4o and claude-sonnet-4-5. `n` makes it deterministic.
 */
export function buildEnrichedCallEvent(
  n: number,
  overrides: Partial<EnrichedCallEvent> = {},
): EnrichedCallEvent {
  const anthropic = n % 2 === 1;
  return {
    event_id: randomUUID(),
    trace_id: `trace-${Math.floor(n / 3)}`,
    span_id: `span-${n}`,
    parent_span_id: n % 3 === 0 ? null : `span-${n - (n % 3)}`,
    provider_request_id: `req_${n}`,
    occurred_at: Date.now() - 3_600_000 + (n % 1000),
    team_id: `team-${n % 5}`,
    user_ref: `hmac:dev:${(n % 50).toString(16).padStart(8, '0')}`,
    tenant_ref: null,
    feature: FEATURES[n % FEATURES.length] ?? 'search',
    workflow: n % 4 === 0 ? null : 'answer-question',
    environment: n % 10 === 0 ? 'staging' : 'prod',
    owner_source: 'event',
    pseudonym_key_id: 'dev',
    request_source: 'api_worker',
    api_key_id: `key-${n % 11}`,
    service_account: null,
    gateway_id: null,
    project_id: null,
    prompt_template_version: null,
    provider: anthropic ? 'anthropic' : 'openai',
    model: anthropic ? 'claude-sonnet-4-5' : 'gpt-4o',
    response_model: null,
    region: null,
    service_tier: null,
    buckets: {
      uncached_input: 500 + (n % 3000),
      cache_read: n % 3 === 0 ? 1024 : 0,
      cache_write_5m: anthropic && n % 5 === 0 ? 256 : 0,
      cache_write_1h: anthropic && n % 7 === 0 ? 128 : 0,
      output: 40 + (n % 700),
      reasoning: anthropic ? 0 : n % 40,
      units: {},
    },
    raw_usage_json: null,
    attempt: 1 + (n % 3 === 2 ? 1 : 0),
    is_retry: n % 3 === 2,
    is_fallback: false,
    status_code: 200,
    latency_ms: 300 + (n % 2000),
    streamed: null,
    attributes: {},
    redactions: 0,
    enriched_at: Date.now(),
    ...overrides,
  };
}
