import { randomBytes } from 'node:crypto';
import { TOPICS, type PricedCallEvent } from '@tokentally/contracts';
import { AlertsRepository } from '@tokentally/adapters-postgres-alerts';
import { LedgerRepository } from '@tokentally/adapters-postgres-ledger';
import { createPool } from '@tokentally/platform-db';
import { KafkaHarness, stackEnv, waitUntil } from '@tokentally/testing';
import { MIN, pricedCalls, publishPriced, times } from './fixtures/priced-calls';
import { ServiceProcess } from './service-process';

const RUN = randomBytes(4).toString('hex');
const priced = pricedCalls(RUN);

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
  const publish = (events: PricedCallEvent[]) => publishPriced(harness, events);
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
