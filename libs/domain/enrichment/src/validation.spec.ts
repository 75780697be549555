import type { RawCallEvent } from '@tokentally/contracts';
import { EMPTY_ORG, type OrgSnapshot } from './owner-resolution';
import { enrichCall, type EnrichmentContext } from './enrich';
import { checkUtf8Loss } from './utf8-loss';
import { validateRawEvent } from './validation';

const NOW = Date.UTC(2026, 10, 24, 12);

function raw(
  overrides: Partial<RawCallEvent> = {},
  usage: Partial<RawCallEvent['usage']> = {},
): RawCallEvent {
  return {
    event_id: 'evt-1',
    trace_id: 'trace-1',
    span_id: null,
    parent_span_id: null,
    provider_request_id: null,
    occurred_at: NOW - 60_000,
    team_id: 'search',
    user_id: 'alice@example.com',
    tenant_id: null,
    feature: 'answers',
    workflow: null,
    environment: 'prod',
    request_source: null,
    api_key_id: null,
    service_account: null,
    gateway_id: null,
    project_id: null,
    prompt_template_version: null,
    provider: 'openai',
    model: 'gpt-4o',
    response_model: null,
    region: null,
    service_tier: null,
    usage: {
      input_tokens: 100,
      output_tokens: 10,
      cached_input_tokens: null,
      cache_write_tokens: null,
      cache_write_1h_tokens: null,
      reasoning_tokens: null,
      units: {},
      ...usage,
    },
    raw_usage_json: null,
    attempt: null,
    is_retry: null,
    is_fallback: null,
    status_code: null,
    latency_ms: null,
    streamed: null,
    attributes: {},
    ...overrides,
  };
}

const org: OrgSnapshot = {
  teams: new Set(['search', 'support']),
  apiKeys: new Map([['key-support', 'support']]),
  serviceAccounts: new Map([['svc-batch@corp', 'search']]),
};
const context = (enforcement: 'soft' | 'hard' = 'hard'): EnrichmentContext => ({
  now: NOW,
  org,
  enforcement,
  pseudonymKey: { id: 'k1', secret: 'test-secret' },
});

// [case, event, reason, field]: each kind of bad input and the specific reason it must get.
const BAD: [string, RawCallEvent, string, string][] = [
  ['empty event_id', raw({ event_id: '' }), 'MISSING_FIELD', 'event_id'],
  ['blank trace_id', raw({ trace_id: '   ' }), 'MISSING_FIELD', 'trace_id'],
  ['missing feature', raw({ feature: '' }), 'MISSING_FIELD', 'feature'],
  ['missing model', raw({ model: '' }), 'MISSING_FIELD', 'model'],
  ['missing provider', raw({ provider: '' }), 'MISSING_FIELD', 'provider'],
  ['overlong event_id', raw({ event_id: 'x'.repeat(129) }), 'INVALID_VALUE', 'event_id'],
  ['control characters in model', raw({ model: 'gpt\u0007' }), 'INVALID_VALUE', 'model'],
  ['negative input tokens', raw({}, { input_tokens: -5 }), 'INVALID_VALUE', 'usage.input_tokens'],
  ['negative output tokens', raw({}, { output_tokens: -1 }), 'INVALID_VALUE', 'usage.output_tokens'],
  ['10^12 input tokens', raw({}, { input_tokens: 1e12 }), 'INVALID_VALUE', 'usage.input_tokens'],
  ['fractional tokens', raw({}, { output_tokens: 1.5 }), 'INVALID_VALUE', 'usage.output_tokens'],
  [
    'negative cache reads',
    raw({}, { cached_input_tokens: -1 }),
    'INVALID_VALUE',
    'usage.cached_input_tokens',
  ],
  ['absurd reasoning tokens', raw({}, { reasoning_tokens: 5e9 }), 'INVALID_VALUE', 'usage.reasoning_tokens'],
  [
    'cache reads above inclusive input',
    raw({}, { cached_input_tokens: 500 }),
    'INVALID_VALUE',
    'usage.cached_input_tokens',
  ],
  [
    '1h writes above all writes',
    raw({ provider: 'anthropic' }, { cache_write_tokens: 1, cache_write_1h_tokens: 2 }),
    'INVALID_VALUE',
    'usage.cache_write_1h_tokens',
  ],
  ['reasoning above output', raw({}, { reasoning_tokens: 11 }), 'INVALID_VALUE', 'usage.reasoning_tokens'],
  [
    'negative priced units',
    raw({}, { units: { web_search_requests: -2 } }),
    'INVALID_VALUE',
    'usage.units.web_search_requests',
  ],
  ['timestamp in seconds, not millis', raw({ occurred_at: 1_790_000_000 }), 'INVALID_VALUE', 'occurred_at'],
  ['timestamp in the future', raw({ occurred_at: NOW + 3_600_000 }), 'INVALID_VALUE', 'occurred_at'],
  [
    'too many tags',
    raw({ attributes: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, 'v'])) }),
    'INVALID_VALUE',
    'attributes',
  ],
  [
    'oversize tag value',
    raw({ attributes: { release: 'v'.repeat(600) } }),
    'INVALID_VALUE',
    'attributes.release',
  ],
  ['oversize tag key', raw({ attributes: { ['k'.repeat(80)]: 'v' } }), 'INVALID_VALUE', 'attributes'],
  ['negative latency', raw({ latency_ms: -3 }), 'INVALID_VALUE', 'latency_ms'],
  ['impossible HTTP status', raw({ status_code: 42 }), 'INVALID_VALUE', 'status_code'],
  ['attempt zero', raw({ attempt: 0 }), 'INVALID_VALUE', 'attempt'],
  [
    'oversize raw usage json',
    raw({ raw_usage_json: `{"x":"${'a'.repeat(20000)}"}` }),
    'INVALID_VALUE',
    'raw_usage_json',
  ],
  ['unknown provider', raw({ provider: 'acme-llm' }), 'UNKNOWN_PROVIDER', 'provider'],
  ['no owner at all (hard)', raw({ team_id: null }), 'MISSING_OWNER', 'team_id'],
  ['unknown api key (hard)', raw({ team_id: null, api_key_id: 'key-nobody' }), 'MISSING_OWNER', 'team_id'],
  [
    'service account not allow-listed (hard)',
    raw({ team_id: null, service_account: 'svc-rogue' }),
    'MISSING_OWNER',
    'team_id',
  ],
  ['team not in the registry (hard)', raw({ team_id: 'ghost-team' }), 'MISSING_OWNER', 'team_id'],
];

describe('validation and attribution: every bad input gets its specific reason', () => {
  it.each(BAD)('%s', (_name, event, reason, field) => {
    const result = enrichCall(event, context());
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.rejection).toMatchObject({ reason, field });
      expect(result.rejection.message.length).toBeGreaterThan(10);
    }
  });

  it('covers every validation reason code the enricher can give', () => {
    expect(new Set(BAD.map(([, , reason]) => reason))).toEqual(
      new Set(['MISSING_FIELD', 'INVALID_VALUE', 'UNKNOWN_PROVIDER', 'MISSING_OWNER']),
    );
  });
});

describe('enrichment of good calls', () => {
  it('resolves owners from the event, the api key, then the service account', () => {
    const viaKey = enrichCall(raw({ team_id: null, api_key_id: 'key-support' }), context());
    const viaAccount = enrichCall(raw({ team_id: null, service_account: 'svc-batch@corp' }), context());
    expect(viaKey.ok && [viaKey.value.event.team_id, viaKey.value.event.owner_source]).toEqual([
      'support',
      'api_key',
    ]);
    expect(viaAccount.ok && [viaAccount.value.event.team_id, viaAccount.value.event.owner_source]).toEqual([
      'search',
      'service_account',
    ]);
  });

  it('lets ownerless calls pass as unattributed under soft enforcement', () => {
    const result = enrichCall(raw({ team_id: null }), context('soft'));
    expect(result.ok && [result.value.event.team_id, result.value.event.owner_source]).toEqual([
      'unattributed',
      'unattributed',
    ]);
  });

  it.each([
    ['a look-alike team ("search" + a zero-width joiner)', 'search\u200d'],
    ['a team nobody declared', 'brand-new-team'],
    ['a differently cased team', 'Search'],
  ])('%s is an unresolved owner, not a new team', (_name, team) => {
    const soft = enrichCall(raw({ team_id: team }), context('soft'));
    expect(soft.ok && [soft.value.event.team_id, soft.value.event.owner_source]).toEqual([
      'unattributed',
      'unattributed',
    ]);
    expect(enrichCall(raw({ team_id: team }), context('hard'))).toMatchObject({
      ok: false,
      rejection: { reason: 'MISSING_OWNER', field: 'team_id' },
    });
  });

  it('pseudonymises user and tenant ids with a keyed HMAC and never carries the raw id', () => {
    const result = enrichCall(raw({ tenant_id: 'acme-corp' }), context());
    if (!result.ok) throw new Error('expected enrichment');
    const { event } = result.value;
    expect(event.user_ref).toMatch(/^k1:[0-9a-f]{32}$/);
    expect(event.tenant_ref).toMatch(/^k1:[0-9a-f]{32}$/);
    expect(event.pseudonym_key_id).toBe('k1');
    expect(JSON.stringify(event)).not.toMatch(/alice@example\.com|acme-corp/);
    const again = enrichCall(raw({ event_id: 'evt-2' }), context());
    expect(again.ok && again.value.event.user_ref).toBe(event.user_ref); // stable per key
    const rotated = enrichCall(raw(), { ...context(), pseudonymKey: { id: 'k2', secret: 'other' } });
    expect(rotated.ok && rotated.value.event.user_ref).not.toBe(event.user_ref);
  });

  it('removes prompt text and credentials, counts them, and still enriches the call', () => {
    const result = enrichCall(
      raw({
        attributes: {
          release: '2026.11',
          prompt: 'Tell me everything about ' + 'x'.repeat(1000),
          api_key: 'sk-live-abc',
          note: 'Bearer abcdefghijklmnopqrstuvwxyz',
        },
        raw_usage_json: JSON.stringify({
          prompt_tokens: 100,
          messages: [{ role: 'user', content: 'secret plans' }],
        }),
      }),
      context(),
    );
    if (!result.ok) throw new Error(`expected enrichment, got ${JSON.stringify(result.rejection)}`);
    expect(result.value.redactions).toBe(4);
    expect(result.value.event.attributes).toEqual({ release: '2026.11' });
    expect(result.value.event.raw_usage_json).toBe(JSON.stringify({ prompt_tokens: 100 }));
    expect(JSON.stringify(result.value.event)).not.toMatch(/Tell me|sk-live|secret plans|Bearer/);
  });

  it('canonicalises provider aliases and normalises buckets', () => {
    const result = enrichCall(
      raw(
        { provider: 'gcp.gemini', model: 'gemini-2.5-flash' },
        { input_tokens: 100, cached_input_tokens: 60, output_tokens: 5, reasoning_tokens: 20 },
      ),
      context(),
    );
    expect(result.ok && result.value.event.provider).toBe('google');
    expect(result.ok && result.value.event.buckets).toMatchObject({
      uncached_input: 40,
      cache_read: 60,
      output: 25,
      reasoning: 20,
    });
  });

  it('accepts an empty org registry under soft enforcement (first run, nothing declared yet)', () => {
    expect(enrichCall(raw({ team_id: 'anyone' }), { ...context('soft'), org: EMPTY_ORG }).ok).toBe(true);
  });
});

describe('validation alone catches cross-field contradictions (HTTP ingest answers them synchronously)', () => {
  it.each([
    [
      'cache reads above inclusive input',
      raw({ provider: 'openai' }, { input_tokens: 10, cached_input_tokens: 500 }),
      'usage.cached_input_tokens',
    ],
    [
      'reasoning above output',
      raw({ provider: 'openai' }, { output_tokens: 3, reasoning_tokens: 50 }),
      'usage.reasoning_tokens',
    ],
    [
      '1h cache writes above all writes',
      raw({ provider: 'anthropic' }, { cache_write_tokens: 1, cache_write_1h_tokens: 5 }),
      'usage.cache_write_1h_tokens',
    ],
    [
      '1h cache writes without any write count',
      raw({ provider: 'anthropic' }, { cache_write_1h_tokens: 5 }),
      'usage.cache_write_1h_tokens',
    ],
  ])('%s -> INVALID_VALUE on %s', (_name, event, field) => {
    expect(validateRawEvent(event, NOW)).toMatchObject({
      ok: false,
      rejection: { reason: 'INVALID_VALUE', field },
    });
  });

  it('lets consistent counts through unchanged', () => {
    const event = raw({ provider: 'anthropic' }, { cached_input_tokens: 500, cache_write_tokens: 20 });
    expect(validateRawEvent(event, NOW)).toEqual({ ok: true, value: event });
  });
});

describe('U+FFFD: a valid character, unless the decoder put it there', () => {
  const event = raw({ feature: 'caf\uFFFD', attributes: { note: '\uFFFD' } });
  const wire = (text: string): Uint8Array => Buffer.from(`\u0000\u0002${text}\u0004`, 'utf8');

  it('is accepted when the producer sent it (its bytes EF BF BD are on the wire)', () => {
    expect(validateRawEvent(event, NOW)).toEqual({ ok: true, value: event });
    expect(checkUtf8Loss(event, wire('caf\uFFFD ... \uFFFD'))).toBeUndefined();
  });

  it('is refused with the field when the wire bytes were not UTF-8', () => {
    const bytes = Buffer.concat([Buffer.from('caf'), Buffer.from([0xc3, 0x28]), wire('\uFFFD')]);
    expect(checkUtf8Loss(event, bytes)).toMatchObject({
      ok: false,
      rejection: { reason: 'INVALID_VALUE', field: 'feature' },
    });
  });

  it('costs nothing for events without U+FFFD', () => {
    expect(checkUtf8Loss(raw(), new Uint8Array(0))).toBeUndefined();
  });
});
