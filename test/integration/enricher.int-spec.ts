import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  TOPICS,
  type EnrichedCallEvent,
  type QuarantineRecord,
  type RawCallEvent,
} from '@tokentally/contracts';
import { AvroRegistry, BatchConsumer } from '@tokentally/platform-kafka';
import { silentLogger } from '@tokentally/platform-observability';
import { buildRawCallEvent, KafkaHarness, stackEnv, waitUntil } from '@tokentally/testing';
import { ServiceProcess } from './service-process';
import { tally } from './tally';

const RUN = randomBytes(4).toString('hex');
const TOKEN = `it-ingest-token-${RUN}-00000`; // 24+ chars: INGEST_TOKENS refuses shorter
const LATE_KEY = `key-late-${RUN}`;
const rawUserId = (n: number): string => `uid-${RUN}-${n % 100}@example.com`;

function orgYaml(withLateKey: boolean): string {
  const teams = ['team-0', 'team-1', 'team-2', 'team-3', 'team-4'].map(
    (id) => `  - { id: ${id}, name: ${id}, monthly_budget_usd: "1000" }`,
  );
  const keys = Array.from({ length: 11 }, (_, i) => `  - { id: key-${i}, team: team-${i % 5} }`);
  if (withLateKey) keys.push(`  - { id: ${LATE_KEY}, team: team-1 }`);
  return `teams:\n${teams.join('\n')}\napi_keys:\n${keys.join('\n')}\nservice_accounts:\n  - { name: svc-ok, team: team-2 }\n`;
}

function applyOrg(withLateKey: boolean): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'org-')), 'org.yaml');
  writeFileSync(file, orgYaml(withLateKey));
  return tally('org', 'apply', file);
}

const good = (n: number, overrides: Partial<RawCallEvent> = {}): RawCallEvent =>
  buildRawCallEvent(n, {
    event_id: `${RUN}-good-${n}`,
    trace_id: `${RUN}-t-${n}`,
    user_id: rawUserId(n),
    occurred_at: Date.now() - 3_600_000,
    ...overrides,
  });

/** Kinds of bad input sent over Kafka as valid Avro, each with the reason it must be quarantined for. */
const BAD_KINDS: [string, string, (base: RawCallEvent) => RawCallEvent][] = [
  ['empty event_id', 'MISSING_FIELD', (e) => ({ ...e, event_id: '' })],
  ['blank trace_id', 'MISSING_FIELD', (e) => ({ ...e, trace_id: '  ' })],
  ['missing feature', 'MISSING_FIELD', (e) => ({ ...e, feature: '' })],
  ['missing model', 'MISSING_FIELD', (e) => ({ ...e, model: '' })],
  ['overlong workflow', 'INVALID_VALUE', (e) => ({ ...e, workflow: 'w'.repeat(500) })],
  ['control characters', 'INVALID_VALUE', (e) => ({ ...e, model: 'gpt\u0007' })],
  ['negative input tokens', 'INVALID_VALUE', (e) => ({ ...e, usage: { ...e.usage, input_tokens: -5 } })],
  ['negative output tokens', 'INVALID_VALUE', (e) => ({ ...e, usage: { ...e.usage, output_tokens: -1 } })],
  ['10^12 tokens', 'INVALID_VALUE', (e) => ({ ...e, usage: { ...e.usage, input_tokens: 1e12 } })],
  [
    'negative cache reads',
    'INVALID_VALUE',
    (e) => ({ ...e, usage: { ...e.usage, cached_input_tokens: -3 } }),
  ],
  ['absurd reasoning', 'INVALID_VALUE', (e) => ({ ...e, usage: { ...e.usage, reasoning_tokens: 5e9 } })],
  [
    'cache reads above inclusive input',
    'INVALID_VALUE',
    (e) => ({
      ...e,
      provider: 'openai',
      usage: { ...e.usage, input_tokens: 10, cached_input_tokens: 500, cache_write_tokens: null },
    }),
  ],
  [
    '1h writes above all writes',
    'INVALID_VALUE',
    (e) => ({
      ...e,
      provider: 'anthropic',
      usage: { ...e.usage, cache_write_tokens: 1, cache_write_1h_tokens: 5 },
    }),
  ],
  [
    'reasoning above output',
    'INVALID_VALUE',
    (e) => ({
      ...e,
      provider: 'openai',
      usage: { ...e.usage, cached_input_tokens: null, output_tokens: 3, reasoning_tokens: 50 },
    }),
  ],
  [
    'negative units',
    'INVALID_VALUE',
    (e) => ({ ...e, usage: { ...e.usage, units: { web_search_requests: -1 } } }),
  ],
  ['timestamp in seconds', 'INVALID_VALUE', (e) => ({ ...e, occurred_at: Math.floor(Date.now() / 1000) })],
  ['future timestamp', 'INVALID_VALUE', (e) => ({ ...e, occurred_at: Date.now() + 86_400_000 })],
  [
    'too many tags',
    'INVALID_VALUE',
    (e) => ({ ...e, attributes: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, 'v'])) }),
  ],
  ['oversize tag value', 'INVALID_VALUE', (e) => ({ ...e, attributes: { release: 'v'.repeat(600) } })],
  ['oversize tag key', 'INVALID_VALUE', (e) => ({ ...e, attributes: { ['k'.repeat(80)]: 'v' } })],
  ['negative latency', 'INVALID_VALUE', (e) => ({ ...e, latency_ms: -1 })],
  ['impossible status', 'INVALID_VALUE', (e) => ({ ...e, status_code: 42 })],
  ['attempt zero', 'INVALID_VALUE', (e) => ({ ...e, attempt: 0 })],
  [
    'oversize raw usage',
    'INVALID_VALUE',
    (e) => ({ ...e, raw_usage_json: JSON.stringify({ pad: 'x'.repeat(20000) }) }),
  ],
  ['unknown provider', 'UNKNOWN_PROVIDER', (e) => ({ ...e, provider: 'acme-llm' })],
  ['no owner', 'MISSING_OWNER', (e) => ({ ...e, team_id: null, api_key_id: null, service_account: null })],
  [
    'unknown api key',
    'MISSING_OWNER',
    (e) => ({ ...e, team_id: null, api_key_id: LATE_KEY, service_account: null }),
  ],
  [
    'service account not allow-listed',
    'MISSING_OWNER',
    (e) => ({ ...e, team_id: null, api_key_id: null, service_account: 'svc-rogue' }),
  ],
  ['unknown team', 'MISSING_OWNER', (e) => ({ ...e, team_id: 'ghost-team' })],
];
const UNDECODABLE_KINDS = ['garbage bytes', 'unknown schema id', 'truncated body', 'empty value'];
const PER_KIND = 30;
const UNDECODABLE_PER_KIND = 25;
const HTTP_GOOD = 5000;
/** Named after the topics it reads, so a run on other topics (another checkout) never joins it. */
const GROUP = `it-enricher-${TOPICS.rawCalls.name}`;

describe('enricher on the real stack: every call enriched or quarantined with its reason', () => {
  const harness = new KafkaHarness();
  const enricher = new ServiceProcess('enricher', 3211, {
    DATABASE_URL: stackEnv.databaseUrl,
    OWNER_ENFORCEMENT: 'hard',
    INGEST_TOKENS: TOKEN,
    INGEST_MAX_BODY_BYTES: '2000000',
    ORG_REFRESH_MS: '300',
    LOG_LEVEL: 'warn',
    KAFKA_CONSUMER_GROUP: GROUP,
  });
  const enriched = new Map<string, EnrichedCallEvent[]>();
  const quarantined: QuarantineRecord[] = [];
  const quarantineIds = new Set<string>();
  const readers: BatchConsumer<unknown>[] = [];
  const expected = new Map<string, string>(); // event id or key -> reason
  let kafkaSent = 0;
  let httpAccepted = 0;

  const ours = (id: string | null): boolean => id !== null && id.includes(RUN);

  beforeAll(async () => {
    await harness.start();
    await harness.registry.registerWriters([TOPICS.rawCalls]);
    applyOrg(false);
    await harness.skipToEnd(GROUP, TOPICS.rawCalls.name);
    enricher.start();
    await enricher.healthy();
    const registry = new AvroRegistry(stackEnv.registryUrl);
    const enrichedReader = new BatchConsumer(harness.kafka, registry, {
      groupId: `it-enriched-${RUN}`,
      topic: TOPICS.enrichedCalls,
      logger: silentLogger,
      handler: async (records) => {
        for (const { value } of records)
          if (ours(value.event_id))
            enriched.set(value.event_id, [...(enriched.get(value.event_id) ?? []), value]);
      },
      onPoison: async () => undefined,
    });
    const quarantineReader = new BatchConsumer(harness.kafka, registry, {
      groupId: `it-quarantine-${RUN}`,
      topic: TOPICS.quarantine,
      logger: silentLogger,
      handler: async (records) => {
        for (const { value } of records)
          // The topic is at-least-once: a batch redelivered after a rebalance publishes its records again
          // with the same quarantine_id (the table keeps one). Count each record once, by that id.
          if ((ours(value.event_id) || ours(value.trace_id)) && !quarantineIds.has(value.quarantine_id)) {
            quarantineIds.add(value.quarantine_id);
            quarantined.push(value);
          }
      },
      onPoison: async () => undefined,
    });
    readers.push(enrichedReader as BatchConsumer<unknown>, quarantineReader as BatchConsumer<unknown>);
    await Promise.all(readers.map((r) => r.start()));
  });

  afterAll(async () => {
    await Promise.all(readers.map((r) => r.stop()));
    await enricher.stop();
    await harness.stop();
  });

  it('HTTP ingest: 401 without a token, 413 over the size limit, exact per-event errors', async () => {
    const post = (body: string, token?: string): Promise<Response> =>
      fetch(`${enricher.url}/v1/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body,
      });
    expect((await post('[]')).status).toBe(401);
    expect((await post('[]', 'wrong-token')).status).toBe(401);
    expect((await post(JSON.stringify([{ pad: 'x'.repeat(2_100_000) }]), TOKEN)).status).toBe(413);

    const base = {
      event_id: `${RUN}-http-ok`,
      trace_id: `${RUN}-http-t`,
      occurredAt: new Date(Date.now() - 1000).toISOString(),
      teamId: 'team-1',
      feature: 'f',
      environment: 'prod',
      provider: 'openai',
      model: 'gpt-4o',
      usage: { inputTokens: 5, outputTokens: 1 },
    };
    const response = await post(
      JSON.stringify([
        base,
        { ...base, event_id: `${RUN}-http-bad-type`, feature: 42 },
        { ...base, event_id: `${RUN}-http-bad-time`, occurredAt: 'last tuesday' },
        { ...base, event_id: `${RUN}-http-negative`, usage: { inputTokens: -1, outputTokens: 1 } },
        { ...base, event_id: `${RUN}-http-no-usage`, usage: undefined },
      ]),
      TOKEN,
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      accepted: number;
      rejected: number;
      results: { status: string; reason?: string; field?: string }[];
    };
    expect(body).toMatchObject({ accepted: 1, rejected: 4 });
    expect(body.results.map((r) => [r.status, r.reason ?? null, r.field ?? null])).toEqual([
      ['accepted', null, null],
      ['rejected', 'INVALID_VALUE', 'feature'],
      ['rejected', 'INVALID_VALUE', 'occurred_at'],
      ['rejected', 'INVALID_VALUE', 'usage.input_tokens'],
      ['rejected', 'MISSING_FIELD', 'usage'],
    ]);
    httpAccepted += 1;
    const allBad = await post(JSON.stringify([{ nonsense: true }]), TOKEN);
    expect(allBad.status).toBe(400);
  });

  it('HTTP ingest: guessed times and contradicting counts are refused per event with their field, never a 500', async () => {
    const base = {
      event_id: `${RUN}-corpus-ok`,
      trace_id: `${RUN}-corpus-t`,
      occurred_at: new Date(Date.now() - 2000).toISOString(),
      team_id: 'team-1',
      feature: 'f',
      environment: 'prod',
      provider: 'openai',
      model: 'gpt-4o',
      usage: { input_tokens: 50, output_tokens: 10 },
    };
    const bad: [string, Record<string, unknown>, string][] = [
      ['30 February', { occurred_at: '2026-02-30T10:00:00Z' }, 'occurred_at'],
      ['a bare year', { occurred_at: '2021' }, 'occurred_at'],
      ['US date', { occurred_at: '12/01/2026 20:00' }, 'occurred_at'],
      ['RFC 2822', { occurred_at: new Date(Date.now() - 5000).toUTCString() }, 'occurred_at'],
      ['no offset', { occurred_at: '2026-11-24T10:00:00' }, 'occurred_at'],
      ['fractional epoch ms', { occurred_at: Date.now() - 5000.5 }, 'occurred_at'],
      [
        'cache reads above input',
        { usage: { input_tokens: 10, cached_input_tokens: 500, output_tokens: 1 } },
        'usage.cached_input_tokens',
      ],
      [
        'reasoning above output',
        { usage: { input_tokens: 10, output_tokens: 3, reasoning_tokens: 50 } },
        'usage.reasoning_tokens',
      ],
      [
        '1h writes above all writes',
        {
          provider: 'anthropic',
          model: 'claude-sonnet-4-5',
          usage: { input_tokens: 10, output_tokens: 3, cache_write_tokens: 1, cache_write_1h_tokens: 5 },
        },
        'usage.cache_write_1h_tokens',
      ],
    ];
    const response = await fetch(`${enricher.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify([
        base,
        ...bad.map(([kind, change]) => ({
          ...base,
          event_id: `${RUN}-corpus-${kind.replace(/\W+/g, '_')}`,
          ...change,
        })),
      ]),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      accepted: number;
      results: { status: string; reason?: string; field?: string; message?: string }[];
    };
    expect(body.accepted).toBe(1);
    expect(body.results.slice(1).map((r) => [r.status, r.reason, r.field])).toEqual(
      bad.map(([, , field]) => ['rejected', 'INVALID_VALUE', field]),
    );
    httpAccepted += 1;
  });

  it('20,000 events over Kafka and HTTP: in = enriched + quarantined, each bad one with its reason', async () => {
    const topic = TOPICS.rawCalls;
    // Bad input over Kafka: 29 kinds of invalid envelopes plus invalid UTF-8 on the wire (30 of each),
    // and 4 kinds of undecodable bytes (25 of each): 34 kinds in all.
    const messages: { key: string; value: Buffer | null }[] = [];
    let n = 100_000;
    for (const [kind, reason, mutate] of BAD_KINDS) {
      for (let i = 0; i < PER_KIND; i++, n++) {
        const event = mutate(good(n, { event_id: `${RUN}-${kind.replace(/\W+/g, '_')}-${i}` }));
        const key = `${RUN}-k-${n}`;
        // Without an event_id the quarantine record is found by its trace_id.
        expected.set(event.event_id === '' ? event.trace_id : event.event_id, reason);
        messages.push({ key, value: harness.registry.encode(topic, event) });
      }
    }
    for (let i = 0; i < PER_KIND; i++, n++) {
      const event = good(n, { event_id: `${RUN}-utf8-${i}`, feature: 'ZZZZZZZZ' });
      const bytes = harness.registry.encode(topic, event);
      const at = bytes.indexOf(Buffer.from('ZZZZZZZZ'));
      Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xff]).copy(bytes, at); // not UTF-8, same length
      expected.set(event.event_id, 'INVALID_VALUE');
      messages.push({ key: `${RUN}-k-${n}`, value: bytes });
    }
    for (const kind of UNDECODABLE_KINDS) {
      for (let i = 0; i < UNDECODABLE_PER_KIND; i++, n++) {
        const key = `${RUN}-k-${n}`;
        const valid = harness.registry.encode(topic, good(n));
        let value: Buffer | null;
        if (kind === 'garbage bytes') {
          value = randomBytes(64);
          value[0] = 7; // anything but the Confluent magic byte 0
        } else if (kind === 'unknown schema id') {
          value = Buffer.from(valid);
          value.writeUInt32BE(1_900_000_000 + i, 1);
        } else if (kind === 'truncated body') value = valid.subarray(0, valid.length - 9);
        else value = Buffer.alloc(0);
        expected.set(key, kind === 'unknown schema id' ? 'UNKNOWN_SCHEMA' : 'UNDECODABLE');
        messages.push({ key, value });
      }
    }
    // A prompt in a tag is removed and counted, and the call still enriched.
    const withPrompt = good(5, {
      event_id: `${RUN}-with-prompt`,
      attributes: { prompt: 'Summarise the merger memo', release: 'r1' },
    });
    messages.push({ key: withPrompt.trace_id, value: harness.registry.encode(topic, withPrompt) });
    // U+FFFD sent on purpose is a valid character (only bytes replaced on decoding are refused).
    const withFffd = good(6, { event_id: `${RUN}-with-fffd`, workflow: 'r\u00e9sum\ufffd' });
    messages.push({ key: withFffd.trace_id, value: harness.registry.encode(topic, withFffd) });

    const badCount = messages.length - 2;
    const goodOverKafka = 20_000 - HTTP_GOOD - messages.length;
    for (let i = 0; i < goodOverKafka; i++) {
      const event = good(i);
      messages.push({ key: event.trace_id, value: harness.registry.encode(topic, event) });
    }
    await harness.producer.sendEncoded(topic.name, messages);
    kafkaSent += messages.length;

    for (let batch = 0; batch < HTTP_GOOD / 1000; batch++) {
      const events = Array.from({ length: 1000 }, (_, i) => {
        const e = good(50_000 + batch * 1000 + i);
        return { ...e, occurred_at: new Date(e.occurred_at).toISOString(), raw_usage_json: null };
      });
      const send = (): Promise<Response> =>
        fetch(`${enricher.url}/v1/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
          body: JSON.stringify(events),
        });
      // A keep-alive socket the server closed while this process was busy encoding the Kafka batch
      // fails with ECONNRESET before anything is read, and a broker slower than the ingest deadline
      // answers 503 with Retry-After: send again, as a client must (event ids make it idempotent).
      let response = await send().catch(send);
      for (let retry = 0; response.status === 503 && retry < 5; retry++) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        response = await send().catch(send);
      }
      const body = (await response.json()) as { accepted: number };
      expect({ status: response.status, accepted: body.accepted }).toEqual({ status: 200, accepted: 1000 });
      httpAccepted += body.accepted;
    }
    expect(messages.length + HTTP_GOOD).toBe(20_000);

    const total = kafkaSent + httpAccepted;
    await waitUntil(
      `${total} events accounted for`,
      async () => enriched.size + quarantined.length >= total,
      120000,
      500,
    ).catch((error: unknown) => {
      const byReason = new Map<string, number>();
      quarantined.forEach((q) => byReason.set(q.reason, (byReason.get(q.reason) ?? 0) + 1));
      const missing = [...expected.keys()]
        .filter((id) => !quarantined.some((q) => q.event_id === id || q.trace_id === id))
        .slice(0, 5);
      throw new Error(
        `${(error as Error).message}: enriched ${enriched.size}, quarantined ${quarantined.length} ${JSON.stringify([...byReason])}, ` +
          `missing e.g. ${missing.join(', ')}; enricher said: ${enricher.output.join('').slice(-3000)}`,
      );
    });
    expect(enriched.size + quarantined.length).toBe(total);
    expect(quarantined.length).toBe(badCount);
    expect([...enriched.values()].every((copies) => copies.length === 1)).toBe(true);

    const reasons = new Map(
      quarantined.map((q) => [
        q.event_id && expected.has(q.event_id) ? q.event_id : (q.trace_id ?? ''),
        q.reason,
      ]),
    );
    const wrong = [...expected].filter(([id, reason]) => reasons.get(id) !== reason).slice(0, 5);
    expect(wrong).toEqual([]);
    expect(new Set(expected.values()).size).toBe(6);
    expect(BAD_KINDS.length + 1 + UNDECODABLE_KINDS.length).toBeGreaterThanOrEqual(30);

    const prompt = enriched.get(withPrompt.event_id)?.[0];
    expect(prompt?.redactions).toBe(1);
    expect(prompt?.attributes).toEqual({ release: 'r1' });
    expect(enriched.get(withFffd.event_id)?.[0]?.workflow).toBe('r\u00e9sum\ufffd');
    expect(enricher.running).toBe(true);
    expect((await fetch(`${enricher.url}/health`)).status).toBe(200);
  });

  it('raw user ids appear neither on the enriched or quarantine topics nor anywhere in Postgres', () => {
    const needle = `uid-${RUN}`;
    const enrichedDump = JSON.stringify([...enriched.values()]);
    expect(enrichedDump).not.toContain(needle);
    expect(enrichedDump).toMatch(/"user_ref":"dev:[0-9a-f]{32}"/);
    for (const record of quarantined)
      expect(record.original_payload.includes(Buffer.from(needle))).toBe(false);
    const url = new URL(stackEnv.databaseUrl);
    const dump = spawnSync(
      'pg_dump',
      [
        '--data-only',
        '-h',
        url.hostname,
        '-p',
        url.port || '5432',
        '-U',
        url.username,
        url.pathname.slice(1),
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) },
        maxBuffer: 512 * 1024 * 1024,
      },
    );
    expect(dump.status).toBe(0);
    expect(dump.stdout).toContain('tokentally.quarantine'); // the dump really covers the quarantine table
    expect(dump.stdout).not.toContain(needle);
  });

  it('after `tally org apply` adds the missing api key, replay enriches those calls exactly once, even replayed twice', async () => {
    const late = [...expected].filter(([id]) => id.includes('unknown_api_key')).map(([id]) => id);
    expect(late).toHaveLength(PER_KIND);
    expect(applyOrg(true)).toMatch(/org registry version \d+ applied/);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // > ORG_REFRESH_MS: the cache reloads
    expect(
      tally('quarantine', 'replay', '--reason', 'MISSING_OWNER', '--since', '1h', '--event', `${RUN}-*`),
    ).toMatch(/done/);
    await waitUntil('late-key calls enriched', async () => late.every((id) => enriched.has(id)), 60000);
    for (const id of late)
      expect(enriched.get(id)?.[0]).toMatchObject({ team_id: 'team-1', owner_source: 'api_key' });

    const metricsBefore = await (await fetch(`${enricher.url}/metrics`)).text();
    const duplicatesBefore = Number(
      /tokentally_enricher_events_total\{outcome="duplicate"[^}]*\} (\d+)/.exec(metricsBefore)?.[1] ?? 0,
    );
    expect(
      tally(
        'quarantine',
        'replay',
        '--reason',
        'MISSING_OWNER',
        '--since',
        '1h',
        '--event',
        `${RUN}-*`,
        '--all',
      ),
    ).toMatch(/done/);
    await waitUntil(
      'second replay dropped as duplicates',
      async () => {
        const text = await (await fetch(`${enricher.url}/metrics`)).text();
        return (
          Number(/tokentally_enricher_events_total\{outcome="duplicate"[^}]*\} (\d+)/.exec(text)?.[1] ?? 0) >=
          duplicatesBefore + PER_KIND
        );
      },
      60000,
    );
    for (const id of late) expect(enriched.get(id)).toHaveLength(1);
    const list = tally('quarantine', 'list', '--reason', 'MISSING_OWNER', '--event', `${RUN}-*`, '--all');
    expect(list).toMatch(/replayed 2x/);
  });

  it('shows a quarantined event with its reason and the raw ids masked', () => {
    const id = quarantined.find((q) => q.reason === 'UNKNOWN_PROVIDER')?.quarantine_id ?? randomUUID();
    const shown = tally('quarantine', 'show', id);
    expect(shown).toMatch(/"reason": "UNKNOWN_PROVIDER"/);
    expect(shown).toMatch(/"provider": "acme-llm"/);
    expect(shown).toMatch(/"user_id": "<masked>"/);
    expect(shown).not.toContain(`uid-${RUN}`);
  });
});
