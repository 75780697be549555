import { normaliseUsage } from './provider-semantics';
import { rawEventFromLiteLLM } from './litellm-payload';

const payload = {
  id: 'chatcmpl-abc',
  trace_id: 'req-7',
  call_type: 'acompletion',
  status: 'success',
  model: 'anthropic/claude-sonnet-4-5',
  custom_llm_provider: 'anthropic',
  startTime: 1_790_000_000.25,
  endTime: 1_790_000_001.75,
  prompt_tokens: 2100,
  completion_tokens: 300,
  messages: [{ role: 'user', content: 'never read' }],
  response: {
    model: 'claude-sonnet-4-5-20250929',
    choices: [{ message: { content: 'never read' } }],
    usage: { prompt_tokens: 2100, completion_tokens: 300, prompt_tokens_details: { cached_tokens: 2000 } },
  },
  metadata: {
    user_api_key_hash: 'hash-123',
    user_api_key_team_id: 'search',
    user_api_key_user_id: 'alice',
    spend_logs_metadata: { feature: 'answers', environment: 'staging' },
  },
};

describe('LiteLLM StandardLoggingPayload -> raw call event', () => {
  it('maps owners, times and usage, converting OpenAI-shaped usage to Anthropic semantics', () => {
    const result = rawEventFromLiteLLM(payload);
    if (!result.ok) throw new Error(JSON.stringify(result.rejection));
    expect(result.value).toMatchObject({
      event_id: 'litellm-chatcmpl-abc',
      trace_id: 'req-7',
      team_id: 'search',
      user_id: 'alice',
      api_key_id: 'hash-123',
      feature: 'answers',
      environment: 'staging',
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      response_model: 'claude-sonnet-4-5-20250929',
      occurred_at: 1_790_000_001_750,
      latency_ms: 1500,
      gateway_id: 'litellm',
    });
    expect(normaliseUsage('anthropic', result.value.usage)).toMatchObject({
      ok: true,
      value: { uncached_input: 100, cache_read: 2000, output: 300 },
    });
    expect(JSON.stringify(result.value)).not.toContain('never read');
  });

  it('needs an id and a feature tag', () => {
    expect(rawEventFromLiteLLM({ ...payload, id: undefined })).toMatchObject({
      ok: false,
      rejection: { reason: 'MISSING_FIELD', field: 'id' },
    });
    expect(rawEventFromLiteLLM({ ...payload, metadata: {} })).toMatchObject({
      ok: false,
      rejection: { reason: 'MISSING_FIELD', field: 'feature' },
    });
  });

  it('falls back to top-level counts and marks failures', () => {
    const result = rawEventFromLiteLLM({
      ...payload,
      custom_llm_provider: undefined,
      model: 'gpt-4o',
      response: undefined,
      status: 'failure',
      error_information: { error_code: '429' },
      model_map_information: { model_map_value: { litellm_provider: 'openai' } },
    });
    expect(
      result.ok && [result.value.provider, result.value.usage.input_tokens, result.value.status_code],
    ).toEqual(['openai', 2100, 429]);
  });
});
