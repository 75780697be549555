import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TOPICS, type PricedCallEvent } from '@tokentally/contracts';
import { AlertsRepository } from '@tokentally/adapters-postgres-alerts';
import { LedgerRepository } from '@tokentally/adapters-postgres-ledger';
import { createPool } from '@tokentally/platform-db';
import { KafkaHarness, stackEnv, waitUntil } from '@tokentally/testing';
import { ServiceProcess } from './service-process';

const RUN = randomBytes(4).toString('hex');
const MIN = 60_000;
const TEMPLATE_IN_SCHEMA = (
  JSON.parse(readFileSync(path.join(__dirname, '../../schemas/priced-call-event.avsc'), 'utf8')) as {
    fields: { name: string }[];
  }
).fields.some((f) => f.name === 'prompt_template_version');

let serial = 0;
function priced(
  team: string,
  at: number,
  o: Partial<PricedCallEvent> & { template?: string; inputTokens?: number } = {},
): PricedCallEvent {
  const input = o.inputTokens ?? 2000;
  const inputNanos = input * 50_000; // $0.05 per 1k input tokens: each call costs about $0.10-$0.40
  const outputNanos = 400 * 125_000;
  serial++;
  const event: PricedCallEvent & { prompt_template_version?: string | null } = {
    event_id: `${RUN}-${serial}`,
    trace_id: `${RUN}-t-${serial}`,
    span_id: null,
    parent_span_id: null,
    provider_request_id: null,
    occurred_at: at,
    team_id: team,
    user_ref: null,
    tenant_ref: null,
    feature: 'answers',
    workflow: 'weekly-digest',
    environment: 'prod',
    provider: 'openai',
    model: 'gpt-4o',
    response_model: null,
    region: null,
    service_tier: null,
    attempt: 1,
    is_retry: false,
    is_fallback: false,
    status_code: 200,
    latency_ms: 500,
    buckets: {
      uncached_input: input,
      cache_read: 0,
      cache_write_5m: 0,
      cache_write_1h: 0,
      output: 400,
      reasoning: 0,
      units: {},
    },
    cost: {
      uncached_input_nanos: inputNanos,
      cache_read_nanos: 0,
      cache_write_5m_nanos: 0,
      cache_write_1h_nanos: 0,
      output_nanos: outputNanos,
      reasoning_nanos: 0,
      request_fee_nanos: 0,
      units_nanos: 0,
      total_nanos: inputNanos + outputNanos,
    },
    rate_card_id: 'catalog:openai',
    rate_card_version: 'it',
    rate_multiplier_id: null,
    rate_multiplier_version: null,
    rate_multiplier: null,
    pricing_tier: null,
    original_currency: 'USD',
    original_total_minor: null,
    fx_rate_id: null,
    priced_at: at,
    priced_model: null,
    owner_source: 'event',
    request_source: null,
    api_key_id: null,
    service_account: null,
    gateway_id: null,
    project_id: null,
    prompt_template_version: null,
    ...o,
  };
  delete (event as { template?: string }).template;
  delete (event as { inputTokens?: number }).inputTokens;
  if (TEMPLATE_IN_SCHEMA) event.prompt_template_version = o.template ?? 'v6';
  return event;
}

const times = <X>(n: number, f: (i: number) => X): X[] => Array.from({ length: n }, (_, i) => f(i));
const env = (label: string): Record<string, string> => ({
  DATABASE_URL: stackEnv.databaseUrl,
  KAFKA_CONSUMER_GROUP: `it-anomaly-${RUN}-${label}`,
  ANOMALY_REDIS_PREFIX: `it-anomaly:${RUN}:${label}`,
  ANOMALY_BASELINE_WEEKS: '1',
  ANOMALY_MIN_WEEKS: '1',
  ANOMALY_MIN_IMPACT_USD_PER_HOUR: '5',
  ANOMALY_IDLE_CLOSE_MS: '0',
  BUDGET_ALERT_CHECK_MS: '200',
  LOG_LEVEL: 'warn',
});

describe('anomaly detector on the real stack', () => {
  const harness = new KafkaHarness();
  const pool = createPool({ connectionString: stackEnv.databaseUrl, max: 3 });
  const alerts = new AlertsRepository(pool);
  const started: ServiceProcess[] = [];
  const detector = async (label: string, port: number): Promise<ServiceProcess> => {
    const service = new ServiceProcess('anomaly-detector', port, env(label));
    await harness.skipToEnd(env(label).KAFKA_CONSUMER_GROUP!, TOPICS.pricedCalls.name);
    service.start();
    started.push(service);
    await service.healthy();
    return service;
  };
  const publish = async (events: PricedCallEvent[]) => {
    for (let i = 0; i < events.length; i += 2000)
      await harness.producer.send(
        TOPICS.pricedCalls,
        events.slice(i, i + 2000).map((value) => ({ key: value.trace_id, value })),
      );
  };
  beforeAll(async () => {
    await harness.start();
    await harness.registry.registerWriters([TOPICS.pricedCalls]);
    await pool.query('SELECT 1');
  });
  afterAll(async () => {
    for (const s of started) await s.kill();
    await harness.stop();
    await pool.end();
  });

  it('budget thresholds fire exactly once each across two instances and a kill -9 and restart', async () => {
    const team = `it-an-budget-${RUN}`;
    await pool.query(
      `INSERT INTO tokentally.teams (team_id, name, monthly_budget_nanos) VALUES ($1, 'Support', 100000000000)`,
      [team],
    );
    await alerts.setFeatureBudget(team, 'answers', 50_000_000_000n);
    const ledger = new LedgerRepository(pool);
    const month = Date.UTC(2026, 9, 1);
    // $0.10 a call: 850 calls = $85 (80% of the team, 100%+ of the feature), then 250 more = $110
    const wave = (from: number, n: number) =>
      times(n, (i) => priced(team, month + (from + i) * 30 * MIN, { inputTokens: 1000 }));
    const first = wave(0, 850);
    const second = wave(850, 250);
    const one = await detector('b1', 3232);
    const two = await detector('b2', 3233);
    await ledger.record(first);
    await publish(first);
    const budgetRows = async () =>
      (
        await pool.query<{
          alert_id: string;
          threshold_bp: number;
          feature: string | null;
          forecast_date: string | null;
        }>(
          `SELECT alert_id, threshold_bp, feature, forecast_date FROM tokentally.alerts WHERE team_id = $1 AND kind = 'budget_crossing' ORDER BY feature NULLS FIRST, threshold_bp`,
          [team],
        )
      ).rows;
    await waitUntil(
      '80% of the team and both feature thresholds',
      async () => (await budgetRows()).length >= 3,
      60_000,
      300,
    );
    await one.kill();
    const again = new ServiceProcess('anomaly-detector', 3232, env('b1'));
    started.push(again);
    again.start();
    await again.healthy();
    await ledger.record(second);
    await publish(second);
    await waitUntil('100% of the team', async () => (await budgetRows()).length >= 4, 60_000, 300);
    await new Promise((r) => setTimeout(r, 3000));
    const rows = await budgetRows();
    expect(rows.map((r) => [r.feature, r.threshold_bp])).toEqual([
      [null, 8000],
      [null, 10000],
      ['answers', 8000],
      ['answers', 10000],
    ]);
    expect(rows[0]!.forecast_date).toMatch(/^2026-10-\d\d$/);
    const unpublished = await pool.query(
      `SELECT 1 FROM tokentally.alerts WHERE team_id = $1 AND published_at IS NULL`,
      [team],
    );
    expect(unpublished.rowCount).toBe(0);
    await again.kill();
    await two.kill();
  });
});
