import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { TOPICS } from '@tokentally/contracts';
import { KafkaHarness, buildRawCallEvent, stackEnv, waitUntil } from '@tokentally/testing';
import { ServiceProcess } from './service-process';
import { tally } from './tally';

const ROOT = path.resolve(__dirname, '../..');
const RUN = randomBytes(4).toString('hex');
const ORG_WIDE = `org-wide-ingest-token-${RUN}`;
const SEARCH_GW = `search-gateway-token-${RUN}-0`;
const PROD_SECRETS = {
  TOKENTALLY_ENV: 'prod',
  PSEUDONYM_KEY_ID: `k-${RUN}`,
  PSEUDONYM_SECRET: randomBytes(24).toString('hex'),
  QUARANTINE_SEAL_KEY: randomBytes(24).toString('hex'),
  METRICS_TOKEN: `metrics-token-${RUN}-0000000`,
};

/** Starts the enricher exactly as a deployment does; returns what it printed when it refused to start. */
function refusedStart(env: Record<string, string>): { status: number | null; output: string } {
  const run = spawnSync(
    process.execPath,
    [path.join(ROOT, 'tools/bin/ts.js'), 'services/enricher/src/main.ts'],
    {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: stackEnv.databaseUrl, HTTP_PORT: '3251', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('secrets on the real enricher: production start, sealed quarantine, scoped and throttled tokens', () => {
  const harness = new KafkaHarness();
  const enricher = new ServiceProcess('enricher', 3250, {
    ...PROD_SECRETS,
    DATABASE_URL: stackEnv.databaseUrl,
    INGEST_TOKENS: `${ORG_WIDE},${SEARCH_GW}:gateway=search-gw:teams=search`,
    INGEST_AUTH_MAX_FAILURES: '10',
    INGEST_AUTH_WINDOW_SECONDS: '8',
    OWNER_ENFORCEMENT: 'hard',
    LOG_LEVEL: 'warn',
    KAFKA_CONSUMER_GROUP: 'it-secrets-enricher',
  });
  const post = (token: string | undefined, body: unknown): Promise<Response> =>
    fetch(`${enricher.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  const call = (id: string, team: string, extra: Record<string, unknown> = {}) => ({
    event_id: `${RUN}-${id}`,
    trace_id: `${RUN}-t-${id}`,
    occurred_at: new Date(Date.now() - 1000).toISOString(),
    team_id: team,
    feature: 'search-answers',
    environment: 'prod',
    provider: 'openai',
    model: 'gpt-4o',
    user_id: `person-${RUN}@example.com`,
    usage: { input_tokens: 10, output_tokens: 2 },
    ...extra,
  });

  beforeAll(async () => {
    await harness.start();
    await harness.registry.registerWriters([TOPICS.rawCalls]);
    await harness.skipToEnd('it-secrets-enricher', TOPICS.rawCalls.name);
    enricher.start();
    await enricher.healthy();
  });
  afterAll(async () => {
    await enricher.stop();
    await harness.stop();
  });

  it('refuses a production start on the public pseudonym secret, without printing any secret', () => {
    const publicDefault = refusedStart({ TOKENTALLY_ENV: 'prod' });
    expect(publicDefault.status).toBe(1);
    expect(publicDefault.output).toMatch(/PSEUDONYM_SECRET: must be set to a secret of your own/);
    expect(publicDefault.output).toMatch(/QUARANTINE_SEAL_KEY: must be set to a secret of your own/);
    expect(publicDefault.output).not.toContain('tokentally-dev-only');

    const leaky = refusedStart({
      ...PROD_SECRETS,
      PSEUDONYM_SECRET: 'hunter2-secret',
      INGEST_TOKENS: `ab,${ORG_WIDE}`,
      CHARGEBACK_API_TOKENS: 'hunter3-token',
    });
    expect(leaky.status).toBe(1);
    expect(leaky.output).toMatch(/PSEUDONYM_SECRET: must be at least 32 characters/);
    expect(leaky.output).toMatch(/INGEST_TOKENS: entry 1: a token needs at least 24 characters/);
    expect(leaky.output).not.toMatch(/hunter2|org-wide-ingest|"ab"/);

    const { METRICS_TOKEN: _unset, ...withoutMetricsToken } = PROD_SECRETS;
    const exposed = refusedStart({ ...withoutMetricsToken, HTTP_HOST: '0.0.0.0' });
    expect(exposed.status).toBe(1);
    expect(exposed.output).toMatch(/METRICS_TOKEN: must be set when HTTP_HOST=0.0.0.0/);
  });

  it('serves /metrics (volumes and spend) only with METRICS_TOKEN', async () => {
    expect((await fetch(`${enricher.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${enricher.url}/metrics`, {
      headers: { authorization: `Bearer ${ORG_WIDE}` },
    });
    expect(wrong.status).toBe(401);
    const scraped = await fetch(`${enricher.url}/metrics`, {
      headers: { authorization: `Bearer ${PROD_SECRETS.METRICS_TOKEN}` },
    });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('tokentally_events_in_total');
  });

  it('a Search gateway token cannot book to Finance: 403 per event, its own team accepted', async () => {
    const mixed = await post(SEARCH_GW, [call('search-1', 'search'), call('finance-1', 'finance')]);
    expect(mixed.status).toBe(200);
    const body = (await mixed.json()) as {
      accepted: number;
      forbidden: number;
      results: Record<string, unknown>[];
    };
    expect(body).toMatchObject({ accepted: 1, forbidden: 1 });
    expect(body.results[1]).toMatchObject({ status: 'forbidden', error: 'out_of_scope', field: 'team_id' });
    expect(String(body.results[1]?.['message'])).toMatch(/may not book to team "finance"/);

    const onlyFinance = await post(SEARCH_GW, [call('finance-2', 'finance')]);
    expect(onlyFinance.status).toBe(403);
    const otherGateway = await post(SEARCH_GW, [call('gw-1', 'search', { gateway_id: 'billing-gw' })]);
    expect(otherGateway.status).toBe(403);
    expect((await otherGateway.json()) as object).toMatchObject({ results: [{ field: 'gateway_id' }] });
    expect((await post(ORG_WIDE, [call('finance-3', 'finance')])).status).toBe(200);
  });

  it('seals quarantined originals with a key of their own: QUARANTINE_SEAL_KEY opens them, the pseudonym secret does not', async () => {
    // Kafka producers get quarantine for what HTTP ingest refuses up front: an unknown provider.
    const ghost = buildRawCallEvent(1, {
      event_id: `${RUN}-ghost`,
      trace_id: `${RUN}-t-ghost`,
      provider: 'acme-llm',
      user_id: `person-${RUN}@example.com`,
    });
    await harness.producer.send(TOPICS.rawCalls, [{ key: ghost.trace_id, value: ghost }]);
    const env = { ...PROD_SECRETS };
    const listed = await waitUntil(
      'the unknown-provider call quarantined',
      async () => {
        const out = tally('quarantine', 'list', '--json', '--event', `${RUN}-ghost`, '--all');
        return out.trim()
          ? (JSON.parse(out.trim().split('\n')[0] ?? '{}') as { quarantine_id: string; sealed: boolean })
          : undefined;
      },
      60_000,
      500,
    );
    expect(listed.sealed).toBe(true);
    const shown = withEnv(env, () => tally('quarantine', 'show', listed.quarantine_id));
    expect(shown).toContain(`${RUN}-ghost`);
    expect(shown).not.toContain(`person-${RUN}`);
    expect(() =>
      withEnv({ ...env, QUARANTINE_SEAL_KEY: PROD_SECRETS.PSEUDONYM_SECRET }, () =>
        tally('quarantine', 'show', listed.quarantine_id),
      ),
    ).toThrow(/does not open with this key/);
  });

  it('throttles wrong tokens per client address: 500 guesses get 429 with Retry-After, then the window ends', async () => {
    const started = Date.now();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let batch = 0; batch < 10; batch += 1) {
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          post(`guess-${batch}-${i}-${'x'.repeat(24)}`, [call('guess', 'search')]),
        ),
      );
      for (const response of responses) {
        statuses.push(response.status);
        if (response.status === 429) retryAfter = response.headers.get('retry-after');
      }
    }
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(10);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(490);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(8);
    // While refused even the right token waits: a guess that happens to be right must not get through.
    expect((await post(ORG_WIDE, [call('during', 'search')])).status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + 8500 - Date.now())));
    expect((await post(ORG_WIDE, [call('after', 'search')])).status).toBe(200);
  });
});

/** Runs `work` with extra variables in process.env (the tally helper passes process.env on). */
function withEnv<T>(env: Record<string, string>, work: () => T): T {
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  try {
    return work();
  } finally {
    for (const [key, value] of Object.entries(saved))
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
  }
}
