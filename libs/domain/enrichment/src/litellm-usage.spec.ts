import { rawEventFromLiteLLM } from './litellm-payload';
import { normaliseUsage } from './provider-semantics';
import { validateRawEvent } from './validation';

/**
 * Golden payloads in the shape LiteLLM's generic logging callback posts (StandardLoggingPayload, usage
 * as LiteLLM's Usage serialises it: litellm/types/utils.py, the Anthropic transformation's
 * calculate_usage and its translation tests), each with the buckets it must be priced on.
 */
const END = 1_790_000_001.5;
function payload(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    id: 'chatcmpl-golden',
    trace_id: 'trace-golden',
    call_type: 'acompletion',
    stream: false,
    status: 'success',
    startTime: END - 2,
    endTime: END,
    messages: [{ role: 'user', content: 'never read' }],
    metadata: {
      user_api_key_hash: 'hash-1',
      user_api_key_team_id: 'search',
      spend_logs_metadata: { feature: 'answers' },
    },
    ...overrides,
  };
}

/** Anthropic Messages usage {input 120, cache_read 3000, cache_creation 1500 (500 5m, 1000 1h), output 250} through LiteLLM. */
const ANTHROPIC_CACHE_WRITES = payload({
  model: 'anthropic/claude-sonnet-4-5',
  custom_llm_provider: 'anthropic',
  api_base: 'https://api.anthropic.com/v1/messages',
  response: {
    model: 'claude-sonnet-4-5-20250929',
    usage: {
      completion_tokens: 250,
      prompt_tokens: 4620,
      total_tokens: 4870,
      completion_tokens_details: { reasoning_tokens: 0, text_tokens: 250 },
      prompt_tokens_details: {
        cached_tokens: 3000,
        text_tokens: 120,
        cache_write_tokens: 1500,
        cache_creation_tokens: 1500,
        cache_creation_token_details: { ephemeral_5m_input_tokens: 500, ephemeral_1h_input_tokens: 1000 },
      },
      cache_creation_input_tokens: 1500,
      cache_read_input_tokens: 3000,
      server_tool_use: { web_search_requests: 2 },
      inference_geo: 'not_available',
      service_tier: 'standard',
    },
  },
});

const OPENAI_FLEX_REASONING = payload({
  model: 'openai/o4-mini',
  custom_llm_provider: 'openai',
  model_parameters: { service_tier: 'flex' },
  response: {
    model: 'o4-mini-2025-04-16',
    service_tier: 'flex',
    usage: {
      prompt_tokens: 5000,
      completion_tokens: 800,
      total_tokens: 5800,
      prompt_tokens_details: { cached_tokens: 4096, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 512, audio_tokens: 0 },
    },
  },
});

const BEDROCK_REGION = payload({
  model: 'bedrock/anthropic.claude-haiku-4-5',
  custom_llm_provider: 'bedrock',
  api_base: 'https://bedrock-runtime.eu-central-1.amazonaws.com/model/anthropic.claude-haiku-4-5/converse',
  response: {
    usage: {
      prompt_tokens: 1000,
      completion_tokens: 40,
      total_tokens: 1040,
      prompt_tokens_details: { cached_tokens: 200, cache_creation_tokens: 300 },
      cache_creation_input_tokens: 300,
      cache_read_input_tokens: 200,
    },
  },
});

const VERTEX_THINKING = payload({
  model: 'vertex_ai/gemini-2.5-pro',
  custom_llm_provider: 'vertex_ai',
  api_base:
    'https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro:generateContent',
  response: {
    usage: {
      prompt_tokens: 1000,
      completion_tokens: 600, // LiteLLM adds thoughtsTokenCount into completion_tokens
      total_tokens: 1600,
      prompt_tokens_details: { cached_tokens: 0, text_tokens: 1000 },
      completion_tokens_details: { reasoning_tokens: 400, text_tokens: 200 },
    },
  },
});

function mapped(input: unknown) {
  const result = rawEventFromLiteLLM(input);
  if (!result.ok) throw new Error(JSON.stringify(result.rejection));
  const buckets = normaliseUsage(result.value.provider, result.value.usage);
  if (!buckets.ok) throw new Error(JSON.stringify(buckets.rejection));
  return { event: result.value, buckets: buckets.value };
}

describe('LiteLLM usage, golden payloads', () => {
  it('Anthropic cache writes are read with their 5m/1h split, not billed as input or dropped', () => {
    const { event, buckets } = mapped(ANTHROPIC_CACHE_WRITES);
    expect(buckets).toEqual({
      uncached_input: 120,
      cache_read: 3000,
      cache_write_5m: 500,
      cache_write_1h: 1000,
      output: 250,
      reasoning: 0,
      units: { web_search_requests: 2 },
    });
    expect(event.service_tier).toBe('default'); // Anthropic "standard"
    expect(event.region).toBeNull();
    expect(event.streamed).toBe(false);
    expect(JSON.stringify(event)).not.toContain('never read');
  });

  it('OpenAI: cached reads inside prompt tokens, reasoning inside output, the flex tier served', () => {
    const { event, buckets } = mapped(OPENAI_FLEX_REASONING);
    expect(buckets).toMatchObject({ uncached_input: 904, cache_read: 4096, output: 800, reasoning: 512 });
    expect(event.service_tier).toBe('flex');
  });

  it('Bedrock: region from the runtime host, reads and writes taken out of prompt tokens', () => {
    const { event, buckets } = mapped(BEDROCK_REGION);
    expect(event.region).toBe('eu-central-1');
    expect(buckets).toMatchObject({ uncached_input: 500, cache_read: 200, cache_write_5m: 300, output: 40 });
  });

  it('Vertex AI Gemini: region from the host, thinking tokens priced as output once', () => {
    const { event, buckets } = mapped(VERTEX_THINKING);
    expect(event.region).toBe('us-central1');
    expect(buckets).toMatchObject({ uncached_input: 1000, output: 600, reasoning: 400 });
  });

  it('a region tag in spend_logs_metadata wins; an Anthropic inference_geo pin is a region', () => {
    const tagged = payload({
      ...BEDROCK_REGION,
      metadata: { spend_logs_metadata: { feature: 'answers', region: 'eu-west-1' } },
    });
    expect(mapped(tagged).event.region).toBe('eu-west-1');
    const response = ANTHROPIC_CACHE_WRITES['response'] as { usage: Record<string, unknown> };
    const pinned = payload({
      ...ANTHROPIC_CACHE_WRITES,
      response: { ...response, usage: { ...response.usage, inference_geo: 'us' } },
    });
    expect(mapped(pinned).event.region).toBe('us');
  });

  it.each([
    ['a successful call without any usage', payload({ model: 'gpt-4o' }), 'MISSING_FIELD', 'response.usage'],
    [
      'zero top-level counts and no usage',
      payload({ model: 'gpt-4o', prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }),
      'MISSING_FIELD',
      'response.usage',
    ],
    [
      'usage as strings',
      payload({ model: 'gpt-4o', response: { usage: { prompt_tokens: '2100', completion_tokens: '300' } } }),
      'INVALID_VALUE',
      'response.usage.prompt_tokens',
    ],
    [
      'a nested count as a string',
      payload({
        model: 'gpt-4o',
        response: {
          usage: { prompt_tokens: 10, completion_tokens: 1, prompt_tokens_details: { cached_tokens: '5' } },
        },
      }),
      'INVALID_VALUE',
      'response.usage.prompt_tokens_details.cached_tokens',
    ],
    [
      'top-level counts as strings',
      payload({ model: 'gpt-4o', prompt_tokens: '10', completion_tokens: 2 }),
      'INVALID_VALUE',
      'prompt_tokens',
    ],
    [
      'usage without completion tokens',
      payload({ model: 'gpt-4o', response: { usage: { prompt_tokens: 10 } } }),
      'MISSING_FIELD',
      'response.usage.completion_tokens',
    ],
  ])('refuses %s', (_name, input, reason, field) => {
    expect(rawEventFromLiteLLM(input)).toMatchObject({ ok: false, rejection: { reason, field } });
  });

  it('refuses (at validation) cache counts larger than the prompt they are part of', () => {
    const result = rawEventFromLiteLLM(
      payload({
        model: 'anthropic/claude-sonnet-4-5',
        response: {
          usage: { prompt_tokens: 100, completion_tokens: 5, cache_read_input_tokens: 3000 },
        },
      }),
    );
    if (!result.ok) throw new Error(result.rejection.message);
    expect(validateRawEvent(result.value, END * 1000 + 1000)).toMatchObject({
      ok: false,
      rejection: { field: 'usage.input_tokens' },
    });
  });

  it('a failed call or a LiteLLM cache hit may carry no usage (it costs nothing)', () => {
    const failure = rawEventFromLiteLLM(
      payload({
        model: 'gpt-4o',
        status: 'failure',
        prompt_tokens: 0,
        completion_tokens: 0,
        error_information: { error_code: '429' },
      }),
    );
    expect(failure.ok && [failure.value.status_code, failure.value.usage.input_tokens]).toEqual([429, 0]);
    expect(rawEventFromLiteLLM(payload({ model: 'gpt-4o', cache_hit: true })).ok).toBe(true);
  });
});
