import { normaliseUsage } from './provider-semantics';
import { rawEventFromSpan, type OtlpSpan } from './otlp-spans';

const span = (attributes: OtlpSpan['attributes'], resource: OtlpSpan['resource'] = {}): OtlpSpan => ({
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  parentSpanId: null,
  startNanos: 1_790_000_000_000_000_000n,
  endNanos: 1_790_000_001_250_000_000n,
  attributes,
  resource,
  statusCode: 0,
});

describe('OTLP GenAI spans -> raw call events', () => {
  it('maps semantic-convention attributes and owner keys', () => {
    const result = rawEventFromSpan(
      span(
        {
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.response.id': 'chatcmpl-1',
          'gen_ai.usage.input_tokens': 2006,
          'gen_ai.usage.cache_read.input_tokens': 1920,
          'gen_ai.usage.output_tokens': 300,
          'gen_ai.usage.reasoning.output_tokens': 192,
          'gen_ai.prompt': 'never read',
          'tokentally.team_id': 'search',
          'tokentally.feature': 'answers',
          'enduser.id': 'alice',
        },
        { 'deployment.environment.name': 'staging' },
      ),
    );
    expect(result?.ok).toBe(true);
    if (!result?.ok) return;
    expect(result.value).toMatchObject({
      event_id: 'otlp-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331',
      trace_id: '0af7651916cd43dd8448eb211c80319c',
      team_id: 'search',
      feature: 'answers',
      user_id: 'alice',
      environment: 'staging',
      provider: 'openai',
      provider_request_id: 'chatcmpl-1',
      occurred_at: 1_790_000_001_250,
      latency_ms: 1250,
      attributes: {},
    });
    expect(normaliseUsage('openai', result.value.usage)).toMatchObject({
      ok: true,
      value: { uncached_input: 86, cache_read: 1920, output: 300, reasoning: 192 },
    });
  });

  it('converts inclusive OTel counts for providers that report cache and thoughts apart', () => {
    const anthropic = rawEventFromSpan(
      span({
        'gen_ai.system': 'anthropic',
        'gen_ai.request.model': 'claude',
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.cache_read.input_tokens': 800,
        'gen_ai.usage.cache_creation.input_tokens': 150,
        'gen_ai.usage.output_tokens': 20,
      }),
    );
    expect(anthropic?.ok && normaliseUsage('anthropic', anthropic.value.usage)).toMatchObject({
      ok: true,
      value: { uncached_input: 50, cache_read: 800, cache_write_5m: 150 },
    });
    const gemini = rawEventFromSpan(
      span({
        'gen_ai.provider.name': 'gcp.gemini',
        'gen_ai.request.model': 'gemini-2.5-pro',
        'gen_ai.usage.input_tokens': 100,
        'gen_ai.usage.output_tokens': 500,
        'gen_ai.usage.reasoning.output_tokens': 400,
      }),
    );
    expect(gemini?.ok && gemini.value.provider).toBe('google');
    expect(gemini?.ok && normaliseUsage('google', gemini.value.usage)).toMatchObject({
      ok: true,
      value: { output: 500, reasoning: 400 },
    });
  });

  it('ignores spans that are not GenAI calls and rejects GenAI spans without usage', () => {
    expect(rawEventFromSpan(span({ 'http.method': 'GET' }))).toBeUndefined();
    expect(rawEventFromSpan(span({ 'gen_ai.request.model': 'gpt-4o' }))).toMatchObject({
      ok: false,
      rejection: { reason: 'MISSING_FIELD', field: 'usage' },
    });
  });
});

describe('GenAI spans without valid ids are rejected, not skipped', () => {
  const genAi = {
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o',
    'gen_ai.usage.input_tokens': 10,
    'gen_ai.usage.output_tokens': 2,
    'tokentally.feature': 'answers',
  };
  it.each([
    ['an empty traceId', { traceId: '' }, 'traceId'],
    ['an all-zero traceId', { traceId: '0'.repeat(32) }, 'traceId'],
    ['an empty spanId', { spanId: '' }, 'spanId'],
  ])('%s', (_name, ids, field) => {
    expect(rawEventFromSpan({ ...span(genAi), ...ids })).toMatchObject({
      ok: false,
      rejection: { reason: 'MISSING_FIELD', field },
    });
  });
  it('a span that is not a GenAI call is still ignored, ids or not', () => {
    expect(rawEventFromSpan({ ...span({ 'http.method': 'GET' }), traceId: '' })).toBeUndefined();
  });
});
