import { parseRawEventJson } from './raw-event-json';

const base = {
  event_id: 'e1',
  trace_id: 't1',
  occurred_at: '2026-11-24T10:00:00.000Z',
  team_id: 'search',
  feature: 'answers',
  environment: 'prod',
  provider: 'openai',
  model: 'gpt-4o',
  usage: { input_tokens: 10, output_tokens: 2 },
};

describe('raw events from JSON', () => {
  it('accepts snake_case and camelCase alike, ISO or epoch-ms times', () => {
    const snake = parseRawEventJson(base);
    const camel = parseRawEventJson({
      eventId: 'e1',
      traceId: 't1',
      occurredAt: Date.parse('2026-11-24T10:00:00.000Z'),
      teamId: 'search',
      feature: 'answers',
      environment: 'prod',
      provider: 'openai',
      model: 'gpt-4o',
      usage: { inputTokens: 10, outputTokens: 2 },
    });
    expect(snake.ok && camel.ok).toBe(true);
    if (snake.ok && camel.ok) expect(camel.value.event).toEqual(snake.value.event);
  });

  it.each([
    ['missing event_id', { ...base, event_id: undefined }, 'MISSING_FIELD', 'event_id'],
    ['wrong type', { ...base, feature: 42 }, 'INVALID_VALUE', 'feature'],
    ['unknown environment', { ...base, environment: 'production' }, 'INVALID_VALUE', 'environment'],
    ['bad timestamp', { ...base, occurred_at: 'yesterday' }, 'INVALID_VALUE', 'occurred_at'],
    [
      'tokens as text',
      { ...base, usage: { input_tokens: '10', output_tokens: 2 } },
      'INVALID_VALUE',
      'usage.input_tokens',
    ],
    ['missing usage', { ...base, usage: undefined }, 'MISSING_FIELD', 'usage'],
    ['non-string tag', { ...base, attributes: { n: 1 } }, 'INVALID_VALUE', 'attributes.n'],
  ])('%s -> %s', (_name, input, reason, field) => {
    expect(parseRawEventJson(input)).toMatchObject({ ok: false, rejection: { reason, field } });
  });

  it('drops prompt text and credentials sent at the top level, and counts them', () => {
    const result = parseRawEventJson({
      ...base,
      prompt: 'secret',
      messages: [{ content: 'x' }],
      apiKey: 'sk-123',
    });
    expect(result.ok && result.value.dropped).toBe(3);
    expect(JSON.stringify(result.ok && result.value.event)).not.toMatch(/secret|sk-123/);
  });
});
