import { ENVIRONMENT_SYMBOLS, type Environment, type RawCallEvent } from '@tokentally/contracts';
import { PROVIDERS, canonicalProvider } from './provider-semantics';
import { reject, type Outcome } from './rejection';

export type AttributeValue = string | number | boolean;

/** One span as decoded from OTLP (JSON or protobuf), ids in hex, times in Unix nanoseconds. */
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  startNanos: bigint;
  endNanos: bigint;
  attributes: Record<string, AttributeValue>;
  resource: Record<string, AttributeValue>;
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  statusCode: number;
}

/**
 * Owner keys read from span attributes. W3C baggage entries with the same keys reach the span when the
 * producer runs a baggage span processor (e.g. @opentelemetry/baggage-span-processor), which copies
 * baggage onto span attributes unchanged: `tokentally.team_id=search` in baggage works like the attribute.
 */
export const OTLP_OWNER_KEYS = {
  team_id: 'tokentally.team_id',
  user_id: 'tokentally.user_id',
  tenant_id: 'tokentally.tenant_id',
  feature: 'tokentally.feature',
  workflow: 'tokentally.workflow',
  environment: 'tokentally.environment',
  api_key_id: 'tokentally.api_key_id',
  service_account: 'tokentally.service_account',
  trace_id: 'tokentally.trace_id',
  prompt_template_version: 'tokentally.prompt_template_version',
} as const;

const str = (value: AttributeValue | undefined): string | null =>
  value === undefined || value === '' ? null : String(value);
const int = (value: AttributeValue | undefined): number | null => {
  if (value === undefined) return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
};

/** OTLP: an id is non-empty hex and not all zeros (the spec's "invalid" id). */
const validId = (id: string): boolean => /^[0-9a-f]+$/.test(id) && /[1-9a-f]/.test(id);

/**
 * A GenAI span (semantic conventions `gen_ai.*`) becomes a raw call event; other spans are not calls
 * and yield `undefined`. OpenTelemetry counts input inclusive of cache and output inclusive of
 * reasoning; they are converted to the provider's own semantics so the enricher's normalisation applies
 * unchanged. Prompt and completion content attributes are never read.
 */
export function rawEventFromSpan(span: OtlpSpan): Outcome<RawCallEvent> | undefined {
  const a = span.attributes;
  const model = str(a['gen_ai.request.model']) ?? str(a['gen_ai.response.model']);
  const providerName = str(a['gen_ai.provider.name']) ?? str(a['gen_ai.system']);
  if (!model && !providerName) return undefined;
  // The event id is built from both ids: a GenAI span without them is a rejected call, not a skipped span.
  if (!validId(span.traceId))
    return reject('MISSING_FIELD', 'traceId', 'the GenAI span has no valid traceId');
  if (!validId(span.spanId)) return reject('MISSING_FIELD', 'spanId', 'the GenAI span has no valid spanId');
  const pick = (key: keyof typeof OTLP_OWNER_KEYS): string | null => str(a[OTLP_OWNER_KEYS[key]]);
  const environment =
    pick('environment') ??
    str(span.resource['deployment.environment.name']) ??
    str(span.resource['deployment.environment']) ??
    'prod';
  if (!(ENVIRONMENT_SYMBOLS as readonly string[]).includes(environment)) {
    return reject(
      'INVALID_VALUE',
      'environment',
      `environment "${environment}" is not one of ${ENVIRONMENT_SYMBOLS.join(', ')}`,
    );
  }
  const input = int(a['gen_ai.usage.input_tokens']) ?? int(a['gen_ai.usage.prompt_tokens']);
  const output = int(a['gen_ai.usage.output_tokens']) ?? int(a['gen_ai.usage.completion_tokens']);
  if (input === null || output === null)
    return reject('MISSING_FIELD', 'usage', 'the span has no gen_ai.usage.input_tokens / output_tokens');
  const cacheRead = int(a['gen_ai.usage.cache_read.input_tokens']);
  const cacheWrite = int(a['gen_ai.usage.cache_creation.input_tokens']);
  const reasoning = int(a['gen_ai.usage.reasoning.output_tokens']);
  const provider = providerName ? (canonicalProvider(providerName) ?? providerName) : 'unknown';
  const semantics = PROVIDERS[provider];
  const startMs = Number(span.startNanos / 1_000_000n);
  const endMs = Number(span.endNanos / 1_000_000n);
  return {
    ok: true,
    value: {
      event_id: `otlp-${span.traceId}-${span.spanId}`,
      trace_id: pick('trace_id') ?? span.traceId,
      span_id: span.spanId,
      parent_span_id: span.parentSpanId,
      provider_request_id: str(a['gen_ai.response.id']),
      occurred_at: endMs,
      team_id: pick('team_id'),
      user_id: pick('user_id') ?? str(a['enduser.id']),
      tenant_id: pick('tenant_id'),
      feature: pick('feature') ?? str(span.resource['service.name']) ?? '',
      workflow: pick('workflow'),
      environment: environment as Environment,
      request_source: null,
      api_key_id: pick('api_key_id'),
      service_account: pick('service_account'),
      gateway_id: null,
      project_id: null,
      prompt_template_version: pick('prompt_template_version'),
      provider,
      model: model ?? '',
      response_model: str(a['gen_ai.response.model']),
      region: null,
      service_tier: str(a['gen_ai.openai.response.service_tier']) ?? str(a['gen_ai.request.service_tier']),
      usage: {
        // OTel input includes cache reads and writes: providers that report them apart get them apart.
        input_tokens:
          semantics && !semantics.inputIncludesCacheRead
            ? input - (cacheRead ?? 0) - (cacheWrite ?? 0)
            : input,
        // OTel output includes reasoning: providers that report thoughts apart get them apart.
        output_tokens: semantics?.reasoningSeparateFromOutput ? output - (reasoning ?? 0) : output,
        cached_input_tokens: cacheRead,
        cache_write_tokens: cacheWrite,
        cache_write_1h_tokens: null,
        reasoning_tokens: reasoning,
        units: {},
      },
      raw_usage_json: null,
      attempt: null,
      is_retry: null,
      is_fallback: null,
      status_code: span.statusCode === 2 ? 500 : null,
      latency_ms: endMs >= startMs ? endMs - startMs : null,
      streamed: null,
      attributes: {},
    },
  };
}
