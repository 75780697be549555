import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TOPICS, type AlertEvent } from '@tokentally/contracts';
import { AlertsRepository } from '@tokentally/adapters-postgres-alerts';
import { createPool, migrate } from '@tokentally/platform-db';
import { KafkaHarness, stackEnv, waitUntil } from '@tokentally/testing';
import { ServiceProcess } from './service-process';

const RUN = randomBytes(4).toString('hex');
/** The receivers are down at first: they answer 500 to the first FAILS requests. */
const FAILS = 6;

interface Received {
  path: string;
  key: string;
  alertId: string;
  status: number;
  body: Record<string, unknown>;
}

function alert(i: number): AlertEvent {
  return {
    alert_id: `al_it_webhook_${RUN}_${i}`,
    kind: 'budget_crossing',
    severity: 'warning',
    scope: {
      team_id: `it-wh-${RUN}`,
      feature: null,
      model: null,
      environment: null,
      workflow: null,
      series: `team:it-wh-${RUN}`,
    },
    window_start: Date.UTC(2026, 9, 1),
    window_end: Date.UTC(2026, 10, 1),
    observed_nanos: 80_000_000_000 + i,
    baseline_nanos: 100_000_000_000,
    explanation: `Support has spent 80% of its October budget (${i})`,
    drivers: [],
    detected_at: Date.UTC(2026, 9, 20),
    status: 'open',
    revision: 1,
    primary_cause: null,
    period: '2026-10',
    threshold_bp: 8000,
    budget_nanos: 100_000_000_000,
    forecast_crossing_date: '2026-10-24',
  };
}

describe('webhook notifier: an alert reaches every webhook exactly once, whatever it answered first', () => {
  const pool = createPool({ connectionString: stackEnv.databaseUrl, max: 2 });
  const harness = new KafkaHarness();
  const received: Received[] = [];
  let server: Server;
  let port = 0;
  const started: ServiceProcess[] = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      req.on('end', () => {
        const key = String(req.headers['idempotency-key'] ?? '');
        const status = received.length < FAILS ? 500 : 200;
        received.push({
          path: req.url ?? '',
          key,
          alertId: String(req.headers['x-tokentally-alert-id'] ?? ''),
          status,
          body: JSON.parse(raw) as Record<string, unknown>,
        });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    // this suite's alerts only: what other suites left in the outbox is not for these receivers
    await migrate(pool);
    await harness.start();
    // the detector reads no old priced calls: only the alerts this suite stores
    await harness.skipToEnd(`it-webhooks-${RUN}`, TOPICS.pricedCalls.name);
    await pool.query('UPDATE tokentally.alerts SET webhooks_enqueued = true WHERE NOT webhooks_enqueued');
    await pool.query('DELETE FROM tokentally.alert_deliveries WHERE delivered_at IS NULL');
  });
  afterAll(async () => {
    for (const s of started) await s.kill();
    await new Promise((resolve) => server.close(resolve));
    await harness.stop();
    await pool.end();
  });

  it('retries 500s with backoff, across a kill -9, and delivers each (alert, webhook) once', async () => {
    const env = {
      DATABASE_URL: stackEnv.databaseUrl,
      KAFKA_CONSUMER_GROUP: `it-webhooks-${RUN}`,
      ANOMALY_REDIS_PREFIX: `it-webhooks:${RUN}`,
      ALERT_WEBHOOK_URLS: `slack:http://127.0.0.1:${port}/slack,http://127.0.0.1:${port}/json`,
      ALERT_WEBHOOK_POLL_MS: '200',
      ALERT_WEBHOOK_RETRY_INITIAL_MS: '300',
      ALERT_WEBHOOK_RETRY_MAX_MS: '1000',
      LOG_LEVEL: 'error',
    };
    const first = new ServiceProcess('anomaly-detector', 3250, env);
    started.push(first);
    first.start();
    await first.healthy();
    const alerts = Array.from({ length: 3 }, (_, i) => alert(i));
    const ours = new Set(alerts.map((a) => a.alert_id));
    await new AlertsRepository(pool).insert(alerts);
    const mine = () => received.filter((r) => ours.has(r.alertId));
    await waitUntil('a first failed attempt', async () => mine().some((r) => r.status === 500), 30_000, 50);
    // the notifier dies while the webhooks are down: the outbox keeps the deliveries for the next one
    await first.kill();
    const second = new ServiceProcess('anomaly-detector', 3251, env);
    started.push(second);
    second.start();
    await second.healthy();
    await waitUntil(
      'every alert delivered to both webhooks',
      async () => mine().filter((r) => r.status === 200).length >= 2 * alerts.length,
      60_000,
    );
    await new Promise((r) => setTimeout(r, 1500));
    const ok = mine().filter((r) => r.status === 200);
    // exactly once per (alert, webhook), each under its own idempotency key, after every failure
    expect(ok.map((r) => `${r.alertId}${r.path}`).sort()).toEqual(
      alerts.flatMap((a) => [`${a.alert_id}/json`, `${a.alert_id}/slack`]).sort(),
    );
    expect(new Set(ok.map((r) => r.key)).size).toBe(ok.length);
    expect(received.filter((r) => r.status === 500)).toHaveLength(FAILS);
    // a failed delivery is retried under the same key
    for (const failed of received.filter((r) => r.status === 500))
      expect(ok.map((r) => r.key)).toContain(failed.key);
    const slack = ok.find((r) => r.path === '/slack')!.body;
    expect(slack['text']).toEqual(expect.stringContaining('80% of its October budget'));
    expect(Array.isArray(slack['blocks'])).toBe(true);
    const json = ok.find((r) => r.path === '/json')!.body as { alert: AlertEvent; delivery_id: string };
    expect(ours.has(json.alert.alert_id)).toBe(true);
    const rows = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM tokentally.alert_deliveries WHERE alert_id = ANY($1) AND delivered_at IS NOT NULL`,
      [[...ours]],
    );
    expect(Number(rows.rows[0]!.n)).toBe(2 * alerts.length);
    const metrics = await fetch(`${second.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/tokentally_anomaly_webhook_failures_total\{webhook="[0-9a-f]{12}"[^}]*\} [1-9]/);
    await second.kill();
  });
});
