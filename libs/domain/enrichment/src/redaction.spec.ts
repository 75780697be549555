import type { RawCallEvent } from '@tokentally/contracts';
import { rawEvent } from './spec-builders';
import { isForbiddenName, isForbiddenValue, redactForbiddenContent } from './redaction';

const raw = (overrides: Partial<RawCallEvent> = {}): RawCallEvent => rawEvent(overrides);

describe('the scrubber: names and values that carry prompts, credentials or personal data', () => {
  it.each([
    'user_prompt',
    'gen_ai.prompt.0.content',
    'gen_ai.completion.0.content',
    'llm.input_messages',
    'llm.output_messages.0.message.content',
    'prompt_text',
    'systemPrompt',
    'x-api-key',
    'X-Api-Key',
    'openai_api_key',
    'Authorization',
    'access_token',
    'refresh-token',
    'session_token',
    'client_secret',
    'db_password',
    'user_email',
    'userEmail',
    'phone',
    'input',
    'messages',
  ])('drops the name %s', (name) => {
    expect(isForbiddenName(name)).toBe(true);
  });

  it.each([
    'release',
    'prompt_tokens',
    'prompt_template_version',
    'prompt_tokens_details',
    'completion_tokens',
    'cached_tokens',
    'text_tokens',
    'input_tokens',
    'max_tokens',
    'token_count',
    'content_type',
    'message_id',
    'gen_ai.system',
    'cache_key',
    'git_sha',
    'session_id',
  ])('keeps the name %s', (name) => {
    expect(isForbiddenName(name)).toBe(false);
  });

  it.each([
    'token=ghp_abcdefghijklmnopqrstuvwxyz0123456789',
    'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
    'github_pat_11ABCDEFG0123456789_abcdefghijklmnop',
    'sk-live-4f9a8b7c6d5e4f3a2b1c',
    'sk_live_51HxYzAbCdEfGhIjKl',
    'sk-ant-api03-abcdefghijklmnopqrstuvwx',
    'sk-proj-abcdefghijklmnopqrstuvwx',
    'AKIAIOSFODNN7EXAMPLE',
    'Bearer eyJhbGciOiJIUzI1NiJ9abcdef',
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig',
    'api_key: 0123456789abcdef',
    'password=hunter2-secret',
    'alice@example.com',
    'contact <bob.smith@corp.example.org>',
    '-----BEGIN RSA PRIVATE KEY-----',
  ])('drops the value %s', (value) => {
    expect(isForbiddenValue(value)).toBe(true);
  });

  it.each(['2026.11.3', 'hash-123', 'a'.repeat(64), 'eu-west-1', 'skip-cache', 'v2', 'task-sk-1'])(
    'keeps the value %s',
    (value) => {
      expect(isForbiddenValue(value)).toBe(false);
    },
  );

  it('removes and counts them in attributes and anywhere in raw_usage_json', () => {
    const { event, redactions } = redactForbiddenContent(
      raw({
        attributes: {
          user_prompt: 'Summarise the merger memo',
          'gen_ai.prompt.0.content': 'hello',
          'llm.input_messages': '[...]',
          'x-api-key': '9f86d081884c7d659a2feaa0c55ad015',
          user_email: 'carol@example.com',
          deploy: 'token=ghp_abcdefghijklmnopqrstuvwxyz0123456789',
          release: 'r1',
        },
        raw_usage_json: JSON.stringify({
          prompt_tokens: 10,
          extra: { prompt_text: 'the planted prompt', notes: ['sk-live-4f9a8b7c6d5e4f3a2b1c', 'ok'] },
        }),
      }),
    );
    expect(redactions).toBe(8);
    expect(event.attributes).toEqual({ release: 'r1' });
    expect(JSON.parse(event.raw_usage_json ?? 'null')).toEqual({
      prompt_tokens: 10,
      extra: { notes: [null, 'ok'] },
    });
    expect(JSON.stringify(event)).not.toMatch(/merger|planted|ghp_|sk-live|carol|9f86d081/);
  });

  it('a live key sent as api_key_id becomes a stable fingerprint', () => {
    const first = redactForbiddenContent(raw({ api_key_id: 'sk-live-4f9a8b7c6d5e4f3a2b1c' }));
    const again = redactForbiddenContent(raw({ api_key_id: 'sk-live-4f9a8b7c6d5e4f3a2b1c' }));
    expect(first.event.api_key_id).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(first.event.api_key_id).toBe(again.event.api_key_id);
    expect(first.redactions).toBe(1);
    expect(redactForbiddenContent(raw({ api_key_id: 'key-search-prod' })).event.api_key_id).toBe(
      'key-search-prod',
    );
  });
});
