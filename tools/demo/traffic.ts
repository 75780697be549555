import type { RawCallEvent } from '@tokentally/contracts';
import { PROVIDER, trueCost } from './true-cost';

/**
 * Two months of synthetic LLM traffic for a small company, and what it truly costs, computed here on
 * its own: integer nano-USD per token from the catalog's list prices (a $P per 1M price is P x 1,000
 * nanos per token), the demo's negotiated 10% Anthropic discount from the first of the later month, and
 * each provider's usage semantics written out by hand. It never calls the pricer's code.
 *
 * The story (the last two complete months, about $9,000 then about $17,500): Search grows, Sales Assist
 * shrinks, Support's bill triples because one workflow (ticket-summary) started sending very large
 * prompts, and on every ticket update, after prompt template v2 shipped on day 10; some callers send no
 * owner at all, retries and fallbacks happen.
 */

export interface GeneratedCall {
  event: RawCallEvent;
  expectedNanos: bigint;
  via: 'sdk' | 'http';
}

/** Small deterministic PRNG (mulberry32): the same run id gives the same traffic. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Workload {
  team: string | null;
  apiKey?: string;
  feature: string;
  workflow: string;
  model: string;
  callsPrevious: number;
  callsCurrent: number;
  usage: (rand: () => number, when: number, templateV2From: number) => RawCallEvent['usage'];
  template?: (when: number, templateV2From: number) => string;
}

const between = (rand: () => number, low: number, high: number): number =>
  Math.floor(low + rand() * (high - low));
const DAY = 86_400_000;
/** Calls per workload line below x this: about 250,000 calls in all, about a minute of pipeline. */
const VOLUME = 7;

const WORKLOADS: Workload[] = [
  {
    team: 'search',
    feature: 'search',
    workflow: 'answer',
    model: 'gpt-4o',
    callsPrevious: 3000,
    callsCurrent: 5200,
    usage: (rand) => {
      const input = between(rand, 30_000, 90_000);
      return {
        input_tokens: input,
        cached_input_tokens: Math.floor(input * 0.4),
        output_tokens: between(rand, 1000, 3000),
        cache_write_tokens: null,
        cache_write_1h_tokens: null,
        reasoning_tokens: null,
        units: {},
      };
    },
  },
  {
    team: null,
    apiKey: 'key-search-prod',
    feature: 'search',
    workflow: 'rerank',
    model: 'o4-mini',
    callsPrevious: 1500,
    callsCurrent: 2600,
    usage: (rand) => {
      const output = between(rand, 2000, 8000);
      return {
        input_tokens: between(rand, 12_000, 36_000),
        cached_input_tokens: null,
        output_tokens: output,
        cache_write_tokens: null,
        cache_write_1h_tokens: null,
        reasoning_tokens: Math.floor(output * 0.7),
        units: {},
      };
    },
  },
  {
    team: 'support',
    feature: 'ticket-assistant',
    workflow: 'ticket-summary',
    model: 'claude-sonnet-4-5',
    callsPrevious: 1800,
    callsCurrent: 3300,
    // prompt template v2 pastes the whole ticket history into the prompt, and runs on every ticket update
    usage: (rand, when, templateV2From) => {
      const big = when >= templateV2From;
      const writes = between(rand, 1000, 4000);
      return {
        input_tokens: big ? between(rand, 150_000, 185_000) : between(rand, 20_000, 45_000),
        cached_input_tokens: between(rand, 2000, 8000),
        cache_write_tokens: writes,
        cache_write_1h_tokens: rand() < 0.3 ? Math.floor(writes / 2) : 0,
        output_tokens: between(rand, 400, 1200),
        reasoning_tokens: null,
        units: {},
      };
    },
    template: (when, templateV2From) => (when >= templateV2From ? 'ticket-summary@v2' : 'ticket-summary@v1'),
  },
  {
    team: 'support',
    feature: 'ticket-assistant',
    workflow: 'reply-draft',
    model: 'claude-sonnet-4-5',
    callsPrevious: 2200,
    callsCurrent: 2100,
    usage: (rand) => ({
      input_tokens: between(rand, 15_000, 35_000),
      cached_input_tokens: between(rand, 4000, 12_000),
      cache_write_tokens: 0,
      cache_write_1h_tokens: 0,
      output_tokens: between(rand, 1000, 3000),
      reasoning_tokens: null,
      units: {},
    }),
  },
  {
    team: 'sales-assist',
    feature: 'crm-notes',
    workflow: 'meeting-notes',
    model: 'gemini-2.5-flash',
    callsPrevious: 6000,
    callsCurrent: 2500,
    usage: (rand) => {
      const input = between(rand, 80_000, 240_000);
      return {
        input_tokens: input,
        cached_input_tokens: Math.floor(input * 0.25),
        output_tokens: between(rand, 500, 1500),
        cache_write_tokens: null,
        cache_write_1h_tokens: null,
        reasoning_tokens: between(rand, 200, 1200),
        units: {},
      };
    },
  },
  {
    team: 'platform',
    feature: 'internal-tools',
    workflow: 'classification',
    model: 'o4-mini',
    callsPrevious: 1200,
    callsCurrent: 1300,
    usage: (rand) => {
      const output = between(rand, 1000, 4000);
      return {
        input_tokens: between(rand, 10_000, 30_000),
        cached_input_tokens: null,
        output_tokens: output,
        cache_write_tokens: null,
        cache_write_1h_tokens: null,
        reasoning_tokens: Math.floor(output / 2),
        units: {},
      };
    },
  },
  {
    team: null, // nobody set team_id, api key or service account: unattributed
    feature: 'prototype',
    workflow: 'notebook',
    model: 'gpt-4o',
    callsPrevious: 300,
    callsCurrent: 700,
    usage: (rand) => ({
      input_tokens: between(rand, 20_000, 90_000),
      cached_input_tokens: 0,
      output_tokens: between(rand, 200, 1500),
      cache_write_tokens: null,
      cache_write_1h_tokens: null,
      reasoning_tokens: null,
      units: {},
    }),
  },
];

/** Every call of both months, oldest first; `now` bounds this month (nothing in the future). */
export function generateTraffic(run: string, seed: number, now: number): GeneratedCall[] {
  const rand = random(seed);
  const date = new Date(now);
  const currentStart = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  const previousStart = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - 1, 1);
  const currentEnd = Math.max(now - 10 * 60_000, currentStart + 60_000);
  const templateV2From = currentStart + Math.min(9 * DAY, Math.floor((currentEnd - currentStart) / 3));
  const calls: GeneratedCall[] = [];
  let sequence = 0;
  for (const workload of WORKLOADS) {
    for (const [start, end, count] of [
      [previousStart, currentStart, workload.callsPrevious * VOLUME],
      [currentStart, currentEnd, workload.callsCurrent * VOLUME],
    ] as const) {
      for (let i = 0; i < count; i += 1) {
        sequence += 1;
        const when = Math.floor(start + rand() * (end - start));
        const usage = workload.usage(rand, when, templateV2From);
        const provider = PROVIDER[workload.model] ?? 'openai';
        const retry = rand() < 0.04;
        const fallback = !retry && rand() < 0.02;
        const event: RawCallEvent = {
          event_id: `demo-${run}-${sequence}`,
          trace_id: `demo-${run}-t${sequence}`,
          span_id: `s${sequence}`,
          parent_span_id: null,
          provider_request_id: `req_${run}_${sequence}`,
          occurred_at: when,
          team_id: workload.team,
          user_id: `user-${between(rand, 1, 40)}@example.com`,
          tenant_id: `tenant-${between(rand, 1, 8)}`,
          feature: workload.feature,
          workflow: workload.workflow,
          environment: rand() < 0.9 ? 'prod' : 'staging',
          request_source: 'api_worker',
          api_key_id: workload.apiKey ?? null,
          service_account: null,
          gateway_id: 'litellm-demo',
          project_id: null,
          prompt_template_version: workload.template?.(when, templateV2From) ?? null,
          provider,
          model: workload.model,
          response_model: null,
          region: null,
          service_tier: null,
          usage,
          raw_usage_json: null,
          attempt: retry ? 2 : 1,
          is_retry: retry,
          is_fallback: fallback,
          status_code: 200,
          latency_ms: between(rand, 300, 9000),
          streamed: rand() < 0.5,
          attributes: {},
        };
        calls.push({
          event,
          expectedNanos: trueCost(
            provider,
            workload.model,
            usage,
            provider === 'anthropic' && when >= currentStart,
          ),
          via: rand() < 0.7 ? 'sdk' : 'http',
        });
        if (retry) {
          // the failed first attempt: rate limited, no tokens billed, still a visible call
          sequence += 1;
          calls.push({
            event: {
              ...event,
              event_id: `demo-${run}-${sequence}`,
              occurred_at: when - 1500,
              attempt: 1,
              is_retry: false,
              status_code: 429,
              usage: {
                ...usage,
                input_tokens: 0,
                cached_input_tokens: 0,
                cache_write_tokens: usage.cache_write_tokens === null ? null : 0,
                cache_write_1h_tokens: usage.cache_write_1h_tokens === null ? null : 0,
                output_tokens: 0,
                reasoning_tokens: usage.reasoning_tokens === null ? null : 0,
              },
            },
            expectedNanos: 0n,
            via: 'sdk',
          });
        }
      }
    }
  }
  return calls.sort((a, b) => a.event.occurred_at - b.event.occurred_at);
}
