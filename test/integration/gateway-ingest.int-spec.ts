import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TOPICS, type EnrichedCallEvent, type RawCallEvent } from '@tokentally/contracts';
import { createPool } from '@tokentally/platform-db';
import { AvroRegistry, BatchConsumer } from '@tokentally/platform-kafka';
import { silentLogger } from '@tokentally/platform-observability';
import { KafkaHarness, stackEnv, waitUntil } from '@tokentally/testing';
import { ServiceProcess } from './service-process';
import { tally } from './tally';

const ROOT = path.resolve(__dirname, '../..');
const RUN = randomBytes(4).toString('hex');
const TOKEN = `otlp-ingest-token-${RUN}-000`; // 24+ chars: INGEST_TOKENS refuses shorter

describe('gateway ingest: OpenTelemetry spans and LiteLLM payloads become attributed calls', () => {
  const harness = new KafkaHarness();
  const enricher = new ServiceProcess('enricher', 3213, {
    DATABASE_URL: stackEnv.databaseUrl,
    INGEST_TOKENS: TOKEN,
    OWNER_ENFORCEMENT: 'soft',
    LOG_LEVEL: 'warn',
    KAFKA_CONSUMER_GROUP: 'it-gateway-enricher',
  });
  // A pricer of its own (test port range of the ingest suites) for the fix-and-resend case.
  const pricer = new ServiceProcess('pricer', 3245, {
    DATABASE_URL: stackEnv.databaseUrl,
    LOG_LEVEL: 'warn',
    KAFKA_CONSUMER_GROUP: 'it-gateway-pricer',
  });
  const pool = createPool({ connectionString: stackEnv.databaseUrl, max: 2 });
  const enriched = new Map<string, EnrichedCallEvent>();
  let reader: BatchConsumer<EnrichedCallEvent>;
  let rawReader: BatchConsumer<RawCallEvent>;
  const rawWritten = new Map<string, RawCallEvent>(); // what HTTP ingest put on llm.calls.raw.v1

  beforeAll(async () => {
    // The teams this suite books to, so that a team the registry does not know is told apart.
    const org = path.join(mkdtempSync(path.join(tmpdir(), 'org-')), 'org.yaml');
    writeFileSync(
      org,
      `teams:\n${[1, 2, 4].map((n) => `  - { id: team-${n}, name: team-${n} }`).join('\n')}\n`,
    );
    tally('org', 'apply', org);
    await harness.start();
    await harness.skipToEnd('it-gateway-enricher', TOPICS.rawCalls.name);
    await harness.skipToEnd('it-gateway-pricer', TOPICS.enrichedCalls.name);
    enricher.start();
    pricer.start();
    await Promise.all([enricher.healthy(), pricer.healthy()]);
    reader = new BatchConsumer(harness.kafka, new AvroRegistry(stackEnv.registryUrl), {
      groupId: `it-otlp-${RUN}`,
      topic: TOPICS.enrichedCalls,
      logger: silentLogger,
      handler: async (records) =>
        records.forEach(
          (r) =>
            (r.value.event_id.startsWith('otlp-') || r.value.event_id.includes(RUN)) &&
            enriched.set(r.value.event_id, r.value),
        ),
      onPoison: async () => undefined,
    });
    await reader.start();
    const rawGroup = `it-gateway-raw-${RUN}`;
    await harness.skipToEnd(rawGroup, TOPICS.rawCalls.name);
    rawReader = new BatchConsumer(harness.kafka, new AvroRegistry(stackEnv.registryUrl), {
      groupId: rawGroup,
      topic: TOPICS.rawCalls,
      logger: silentLogger,
      handler: async (records) =>
        records.forEach((r) => r.value.event_id.includes(RUN) && rawWritten.set(r.value.event_id, r.value)),
      onPoison: async () => undefined,
    });
    await rawReader.start();
  });
  afterAll(async () => {
    await Promise.all([reader.stop(), rawReader.stop()]);
    await Promise.all([enricher.stop(), pricer.stop()]);
    await pool.end();
    await harness.stop();
  });

  it.each([
    ['OTLP/HTTP JSON', 'json', 'team-1'],
    ['OTLP/HTTP protobuf', 'protobuf', 'team-2'],
  ])('%s', async (_name, encoding, team) => {
    const user = `otel-user-${RUN}`;
    const exported = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'tools/bin/ts.js'),
        'test/integration/fixtures/export-genai-span.ts',
        `${enricher.url}/v1/otlp/v1/traces`,
        TOKEN,
        encoding,
        team,
        user,
        `chatcmpl-${RUN}`,
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 60000 },
    );
    expect(exported.stderr).toBe('');
    expect(exported.status).toBe(0);
    const eventId = exported.stdout.trim();
    const event = await waitUntil(`enriched ${eventId}`, async () => enriched.get(eventId), 90000);
    expect(event).toMatchObject({
      team_id: team,
      owner_source: 'event',
      feature: 'checkout-help',
      environment: 'prod',
      provider: 'openai',
      model: 'gpt-4o',
      response_model: 'gpt-4o-2024-08-06',
      provider_request_id: `chatcmpl-${RUN}`,
      buckets: {
        uncached_input: 176,
        cache_read: 1024,
        cache_write_5m: 0,
        cache_write_1h: 0,
        output: 80,
        reasoning: 0,
        units: {},
      },
    });
    expect(event.user_ref).toMatch(/^dev:[0-9a-f]{32}$/);
    expect(JSON.stringify(event)).not.toContain(user);
  });

  it('LiteLLM generic logging callback payloads', async () => {
    const now = Date.now() / 1000;
    const payload = (id: string, feature: string | undefined) => ({
      id,
      trace_id: `litellm-trace-${RUN}`,
      status: 'success',
      model: 'anthropic/claude-haiku-4-5',
      custom_llm_provider: 'anthropic',
      startTime: now - 2,
      endTime: now - 1,
      messages: [{ role: 'user', content: `secret question ${RUN}` }],
      response: {
        usage: { prompt_tokens: 900, completion_tokens: 40, prompt_tokens_details: { cached_tokens: 800 } },
      },
      metadata: {
        user_api_key_hash: 'hash-xyz',
        user_api_key_team_id: 'team-4',
        user_api_key_user_id: `litellm-user-${RUN}`,
        spend_logs_metadata: feature ? { feature } : {},
      },
    });
    const response = await fetch(`${enricher.url}/v1/litellm`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify([
        payload(`ok-${RUN}`, 'support-bot'),
        payload(`nofeature-${RUN}`, undefined),
        // Anthropic cache writes through LiteLLM: prompt_tokens include reads and writes, split by TTL.
        {
          ...payload(`writes-${RUN}`, 'support-bot'),
          response: {
            usage: {
              prompt_tokens: 1000,
              completion_tokens: 40,
              prompt_tokens_details: {
                cached_tokens: 800,
                cache_creation_tokens: 100,
                cache_creation_token_details: {
                  ephemeral_5m_input_tokens: 60,
                  ephemeral_1h_input_tokens: 40,
                },
              },
              cache_creation_input_tokens: 100,
              service_tier: 'priority',
            },
          },
        },
        // No usage at all, or counts as text: refused, never booked at $0.
        { ...payload(`nousage-${RUN}`, 'support-bot'), response: { choices: [] } },
        {
          ...payload(`strings-${RUN}`, 'support-bot'),
          response: { usage: { prompt_tokens: '900', completion_tokens: '40' } },
        },
      ]),
    });
    const body = (await response.json()) as {
      accepted: number;
      results: { status: string; field?: string }[];
    };
    expect(response.status).toBe(200);
    expect(body.accepted).toBe(2);
    expect(body.results[1]).toMatchObject({ status: 'rejected', field: 'feature' });
    expect(body.results[3]).toMatchObject({ status: 'rejected', field: 'response.usage' });
    expect(body.results[4]).toMatchObject({ status: 'rejected', field: 'response.usage.prompt_tokens' });
    const writes = await waitUntil('cache writes', async () => enriched.get(`litellm-writes-${RUN}`), 60000);
    expect(writes.service_tier).toBe('priority');
    expect(writes.buckets).toMatchObject({
      uncached_input: 100,
      cache_read: 800,
      cache_write_5m: 60,
      cache_write_1h: 40,
      output: 40,
    });
    const event = await waitUntil(
      'LiteLLM call enriched',
      async () => enriched.get(`litellm-ok-${RUN}`),
      60000,
    );
    expect(event).toMatchObject({
      team_id: 'team-4',
      api_key_id: 'hash-xyz',
      feature: 'support-bot',
      provider: 'anthropic',
      model: 'claude-haiku-4-5',
      gateway_id: 'litellm',
      buckets: { uncached_input: 100, cache_read: 800, output: 40 },
    });
    expect(JSON.stringify(event)).not.toMatch(new RegExp(`secret question|litellm-user-${RUN}`));
  });

  it('a corrected event resent after UNKNOWN_RATE is priced, not dropped as a duplicate', async () => {
    const eventId = `${RUN}-fix-and-resend`;
    const send = (model: string) =>
      fetch(`${enricher.url}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify([
          {
            event_id: eventId,
            trace_id: `${RUN}-fix-trace`,
            occurred_at: Date.now() - 60_000,
            team_id: 'team-1',
            feature: 'answers',
            environment: 'prod',
            provider: 'openai',
            model,
            usage: { input_tokens: 1000, output_tokens: 100 },
          },
        ]),
      });
    expect((await send(`no-such-model-${RUN}`)).status).toBe(200);
    await waitUntil(
      'UNKNOWN_RATE quarantine',
      async () =>
        (
          await pool.query(
            "SELECT 1 FROM tokentally.quarantine WHERE event_id = $1 AND stage = 'pricer' AND reason = 'UNKNOWN_RATE'",
            [eventId],
          )
        ).rowCount === 1,
      60000,
    );
    expect((await send('gpt-4o')).status).toBe(200);
    const booked = await waitUntil(
      'corrected copy in the ledger',
      async () =>
        (
          await pool.query<{ model: string; total_nanos: bigint }>(
            'SELECT model, total_nanos FROM tokentally.ledger WHERE event_id = $1',
            [eventId],
          )
        ).rows[0],
      60000,
    );
    expect(booked.model).toBe('gpt-4o');
    expect(BigInt(booked.total_nanos)).toBeGreaterThan(0n);
    const { rows } = await pool.query<{ replay_count: number }>(
      'SELECT replay_count FROM tokentally.quarantine WHERE event_id = $1',
      [eventId],
    );
    expect(rows.map((r) => r.replay_count)).toEqual([1]); // superseded: a replay will not send the stale copy
  });

  it('bad-input corpus: U+FFFD, bytes that are not UTF-8, wrong content types, look-alike teams, span ids', async () => {
    const post = (url: string, body: string | Buffer, contentType = 'application/json') =>
      fetch(`${enricher.url}${url}`, {
        method: 'POST',
        headers: { 'content-type': contentType, authorization: `Bearer ${TOKEN}` },
        body,
      });
    const event = (id: string, overrides: Record<string, unknown> = {}) => ({
      event_id: `${RUN}-${id}`,
      trace_id: `${RUN}-corpus`,
      occurred_at: new Date(Date.now() - 1000).toISOString(),
      team_id: 'team-1',
      feature: 'answers',
      environment: 'prod',
      provider: 'openai',
      model: 'gpt-4o',
      usage: { input_tokens: 10, output_tokens: 2 },
      ...overrides,
    });
    const accepted = await post(
      '/v1/events',
      JSON.stringify([
        event('fffd', { workflow: 'r\u00e9sum\ufffd' }),
        event('zwj-team', { team_id: 'team-1\u200d' }),
      ]),
    );
    expect(await accepted.json()).toMatchObject({ accepted: 2, rejected: 0 });
    const fffd = await waitUntil('U+FFFD enriched', async () => enriched.get(`${RUN}-fffd`), 60000);
    expect(fffd.workflow).toBe('r\u00e9sum\ufffd');
    const lookAlike = await waitUntil('look-alike team', async () => enriched.get(`${RUN}-zwj-team`), 60000);
    expect([lookAlike.team_id, lookAlike.owner_source]).toEqual(['unattributed', 'unattributed']);

    const json = Buffer.from(JSON.stringify([event('bad-bytes', { workflow: 'XX' })]));
    const at = json.indexOf('XX');
    json[at] = 0xc3;
    json[at + 1] = 0x28; // not UTF-8
    const badBytes = await post('/v1/events', json);
    expect(badBytes.status).toBe(400);
    expect(await badBytes.json()).toMatchObject({ error: 'invalid_utf8' });

    for (const url of ['/v1/events', '/v1/litellm', '/v1/otlp/v1/traces']) {
      const wrongType = await post(url, JSON.stringify([event('text-plain')]), 'text/plain');
      expect(wrongType.status).toBe(415);
      expect(((await wrongType.json()) as { message: string }).message).toMatch(/content-type.*text\/plain/);
    }

    const genAiSpan = (traceId: string) => ({
      traceId,
      spanId: 'b7ad6b7169203331',
      startTimeUnixNano: String(BigInt(Date.now() - 2000) * 1_000_000n),
      endTimeUnixNano: String(BigInt(Date.now() - 1000) * 1_000_000n),
      attributes: [
        { key: 'gen_ai.provider.name', value: { stringValue: 'openai' } },
        { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
        { key: 'gen_ai.usage.input_tokens', value: { intValue: 10 } },
        { key: 'gen_ai.usage.output_tokens', value: { intValue: 2 } },
        { key: 'tokentally.feature', value: { stringValue: 'answers' } },
      ],
    });
    const otlp = await post(
      '/v1/otlp/v1/traces',
      JSON.stringify({
        resourceSpans: [{ scopeSpans: [{ spans: [genAiSpan(''), genAiSpan('0'.repeat(32))] }] }],
      }),
    );
    expect(otlp.status).toBe(200);
    expect(await otlp.json()).toMatchObject({ partialSuccess: { rejectedSpans: 2 } });
  });

  it('planted prompts, keys and raw user ids reach neither the raw nor the enriched topic', async () => {
    const planted = {
      user: `planted-user-${RUN}@example.com`,
      tenant: `planted-tenant-${RUN}`,
      prompt: `planted prompt ${RUN}`,
      hexKey: `9f86d081884c7d659a2feaa0${RUN}`,
      github: `ghp_${RUN}abcdefghijklmnopqrstuvwxyz`,
      live: `sk-live-${RUN}4f9a8b7c6d5e`,
    };
    const eventId = `${RUN}-planted`;
    const response = await fetch(`${enricher.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify([
        {
          event_id: eventId,
          trace_id: `${RUN}-planted-trace`,
          occurred_at: Date.now() - 1000,
          team_id: 'team-1',
          user_id: planted.user,
          tenant_id: planted.tenant,
          api_key_id: planted.live,
          feature: 'answers',
          environment: 'prod',
          provider: 'openai',
          model: 'gpt-4o',
          usage: { input_tokens: 10, output_tokens: 2 },
          raw_usage_json: { prompt_tokens: 10, extra: { prompt_text: planted.prompt } },
          attributes: {
            user_prompt: planted.prompt,
            'gen_ai.prompt.0.content': planted.prompt,
            'llm.input_messages': planted.prompt,
            'x-api-key': planted.hexKey,
            user_email: planted.user,
            deploy: `token=${planted.github}`,
            release: 'r1',
          },
        },
      ]),
    });
    expect(await response.json()).toMatchObject({ accepted: 1 });
    const written = await waitUntil('raw event written', async () => rawWritten.get(eventId), 60000);
    const event = await waitUntil('planted event enriched', async () => enriched.get(eventId), 60000);
    for (const dump of [JSON.stringify(written), JSON.stringify(event)]) {
      for (const secret of Object.values(planted)) expect(dump).not.toContain(secret);
    }
    expect(TOPICS.rawCalls.name).toBe('test.llm.calls.raw.v1'); // never the default topics of `npm start`
    expect(written.user_id).toMatch(/^dev:[0-9a-f]{32}$/);
    expect(event.user_ref).toBe(written.user_id); // pseudonymised once, at ingest
    expect(event.attributes).toEqual({ release: 'r1' });
    expect(event.api_key_id).toMatch(/^sha256:[0-9a-f]{32}$/);
  });

  it('refuses exports without the ingest token', async () => {
    const response = await fetch(`${enricher.url}/v1/otlp/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"resourceSpans":[]}',
    });
    expect(response.status).toBe(401);
  });
});
