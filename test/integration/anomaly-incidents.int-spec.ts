import { randomBytes } from 'node:crypto';
import { TOPICS, type PricedCallEvent } from '@tokentally/contracts';
import { LedgerRepository } from '@tokentally/adapters-postgres-ledger';
import { createPool } from '@tokentally/platform-db';
import { KafkaHarness, stackEnv, waitUntil } from '@tokentally/testing';
import { HOUR, MIN, WEEK, pricedCalls, publishPriced, times, type CallShape } from './fixtures/priced-calls';
import { ServiceProcess } from './service-process';

const RUN = randomBytes(4).toString('hex');
const priced = pricedCalls(RUN);
/** A Wednesday 10:00 UTC in the past: event time, not the wall clock, decides everything. */
const T = Date.UTC(2026, 8, 16, 10);
const INCIDENT_END = T + 30 * MIN;

type Minute = (team: string, at: number) => PricedCallEvent[];
const calls =
  (n: number, shape: CallShape = {}): Minute =>
  (team, at) =>
    times(n, (i) => priced(team, at + i * 7000, shape));
const both =
  (...minutes: Minute[]): Minute =>
  (team, at) =>
    minutes.flatMap((m) => m(team, at));

/**
 * Each incident: the team's usual minute (last week's history goes to the ledger, so the detector's
 * baselines come from the hourly rollups), what the incident minute looks like instead from T for
 * 30 minutes (a drop: 2 hours of silence), and the alert it must raise.
 */
const INCIDENTS: Record<
  string,
  { usual: Minute; during: Minute; until?: number; kind: string; cause: string }
> = {
  traffic: { usual: calls(2), during: calls(8), kind: 'traffic_spike', cause: 'traffic' },
  prompts: {
    usual: calls(2),
    during: calls(2, { inputTokens: 8000, template: 'v7' }),
    kind: 'prompt_growth',
    cause: 'prompt_size',
  },
  modelMix: {
    usual: both(calls(3), calls(1, { model: 'o1', scale: 10 })),
    during: both(calls(1), calls(3, { model: 'o1', scale: 10 })),
    kind: 'model_mix_shift',
    cause: 'model_mix',
  },
  retries: {
    usual: calls(2),
    during: both(calls(2), calls(6, { is_retry: true, attempt: 2 })),
    kind: 'retry_storm',
    cause: 'retries',
  },
  newFeature: {
    usual: calls(2),
    during: both(calls(2), calls(6, { feature: 'launch', workflow: 'beta', template: 'v1' })),
    kind: 'new_feature',
    cause: 'new_entity',
  },
  drop: { usual: calls(2), during: () => [], until: T + 2 * HOUR, kind: 'spend_drop', cause: 'traffic' },
};
const teams = Object.fromEntries(Object.keys(INCIDENTS).map((k) => [k, `it-inc-${k}-${RUN}`]));

/** Last week around T, for the ledger (and so for the rollups the detector seeds from). */
const history = Object.entries(INCIDENTS).flatMap(([name, spec]) =>
  times(6 * 60, (m) => spec.usual(teams[name]!, T - WEEK - 3 * HOUR + m * MIN)).flat(),
);
/**
 * Today on Kafka: the usual minutes from T - 2h, the incident, the usual again, and a last burst of
 * calls at T + 2h that moves event time on (on every partition), so the minutes before it close and
 * the incidents resolve. Its own minute stays open (lateness).
 */
const today = Object.entries(INCIDENTS)
  .flatMap(([name, spec]) => {
    const team = teams[name]!;
    const out: PricedCallEvent[] = [];
    for (let at = T - 2 * HOUR; at < T + 2 * HOUR; at += MIN)
      out.push(...(at >= T && at < (spec.until ?? INCIDENT_END) ? spec.during : spec.usual)(team, at));
    return [...out, ...times(30, (i) => priced(team, T + 2 * HOUR + i * 1000))];
  })
  .sort((a, b) => a.occurred_at - b.occurred_at);

const env = (label: string): Record<string, string> => ({
  DATABASE_URL: stackEnv.databaseUrl,
  KAFKA_CONSUMER_GROUP: `it-incidents-${RUN}-${label}`,
  ANOMALY_REDIS_PREFIX: `it-incidents:${RUN}:${label}`,
  ANOMALY_BASELINE_WEEKS: '1',
  ANOMALY_MIN_WEEKS: '1',
  ANOMALY_MIN_IMPACT_USD_PER_HOUR: '5',
  ANOMALY_IDLE_CLOSE_MS: '0',
  LOG_LEVEL: 'warn',
});

interface Row {
  alert_id: string;
  revision: number;
  status: string;
  kind: string;
  team_id: string;
  series: string;
  primary_cause: string | null;
  observed_nanos: string;
  baseline_nanos: string;
  drivers: { cause: string; delta_nanos: number; template_version: string | null }[];
  explanation: string;
  published: boolean;
}

describe('anomaly detector: injected incidents on the real stack, baselines from the ledger rollups', () => {
  const harness = new KafkaHarness();
  const pool = createPool({ connectionString: stackEnv.databaseUrl, max: 3 });
  const started: ServiceProcess[] = [];
  let startOffsets: { partition: number; offset: string }[] = [];
  const detector = async (label: string, port: number, from?: typeof startOffsets) => {
    const group = env(label).KAFKA_CONSUMER_GROUP!;
    if (from)
      await harness.admin.setOffsets({ groupId: group, topic: TOPICS.pricedCalls.name, partitions: from });
    else await harness.skipToEnd(group, TOPICS.pricedCalls.name);
    const service = new ServiceProcess('anomaly-detector', port, env(label));
    service.start();
    started.push(service);
    await service.healthy();
    return service;
  };
  const rows = async (): Promise<Row[]> =>
    (
      await pool.query<Row>(
        `SELECT alert_id, revision, status, kind, team_id, series, primary_cause, observed_nanos::text,
                baseline_nanos::text, drivers, explanation, published_at IS NOT NULL AS published
           FROM tokentally.alerts WHERE team_id = ANY($1) ORDER BY alert_id, revision`,
        [Object.values(teams)],
      )
    ).rows;
  const drained = (label: string) =>
    waitUntil(
      `${label} read everything`,
      () => harness.committedEqualsEnd(env(label).KAFKA_CONSUMER_GROUP!, TOPICS.pricedCalls.name),
      180_000,
      500,
    );

  beforeAll(async () => {
    await harness.start();
    await pool.query('SELECT 1');
    await new LedgerRepository(pool).record(history);
  });
  afterAll(async () => {
    for (const s of started) await s.kill();
    await harness.stop();
    await pool.end();
  });

  it('raises each incident once with its kind and primary driver; drivers sum exactly to the delta', async () => {
    const service = await detector('live', 3240);
    startOffsets = (await harness.admin.fetchTopicOffsets(TOPICS.pricedCalls.name)).map((p) => ({
      partition: p.partition,
      offset: p.high,
    }));
    await publishPriced(harness, today);
    await drained('live');
    await waitUntil('every alert published', async () => (await rows()).every((r) => r.published), 30_000);
    const all = await rows();
    for (const [name, spec] of Object.entries(INCIDENTS)) {
      const team = teams[name]!;
      const opened = all.filter((r) => r.series === `team:${team}` && r.status === 'open');
      expect({ name, opened: opened.map((r) => [r.kind, r.primary_cause]) }).toEqual({
        name,
        opened: [[spec.kind, spec.cause]],
      });
      // spikes end within the day and resolve; the drop lasts until the last burst
      if (name !== 'drop')
        expect(all.some((r) => r.alert_id === opened[0]!.alert_id && r.status === 'resolved')).toBe(true);
    }
    for (const r of all) {
      const sum = r.drivers.reduce((a, d) => a + BigInt(d.delta_nanos), 0n);
      expect({ alert: r.alert_id, revision: r.revision, sum }).toEqual({
        alert: r.alert_id,
        revision: r.revision,
        sum: BigInt(r.observed_nanos) - BigInt(r.baseline_nanos),
      });
    }
    // rollups carry no template version: v7 is named new because v6 was seen before the window
    const prompt = all.find((r) => r.series === `team:${teams['prompts']}` && r.status === 'open')!;
    expect(prompt.drivers.find((d) => d.cause === 'prompt_size')?.template_version).toBe('v7');
    expect(prompt.explanation).toMatch(/bigger prompts in workflow weekly-digest since template v7/);
    const metrics = await fetch(`${service.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/tokentally_anomaly_alerts_total\{kind="retry_storm",status="open"[^}]*\} 1\b/);
    await service.kill();
  });

  it('a replay of the same calls (fresh group, empty Redis) decides the same alerts, none twice', async () => {
    const before = await rows();
    expect(before.length).toBeGreaterThanOrEqual(Object.keys(INCIDENTS).length);
    const strip = (list: Row[]) => list.map(({ published: _p, ...rest }) => rest);
    // 1. the decisions: with the alerts gone, a fresh detector re-reading the topic writes them again
    await pool.query('DELETE FROM tokentally.alerts WHERE team_id = ANY($1)', [Object.values(teams)]);
    const replay = await detector('replay', 3241, startOffsets);
    await drained('replay');
    await waitUntil('replayed alerts', async () => (await rows()).length >= before.length, 30_000, 500);
    expect(strip(await rows())).toEqual(strip(before));
    await replay.kill();
    // 2. idempotence: another re-read with the alerts in place adds no row and re-sends nothing
    const again = await detector('again', 3242, startOffsets);
    await drained('again');
    const after = await rows();
    expect(strip(after)).toEqual(strip(before));
    expect(after.every((r) => r.published)).toBe(true);
    const metrics = await fetch(`${again.url}/metrics`).then((r) => r.text());
    expect(metrics).not.toMatch(/tokentally_anomaly_alerts_total\{[^}]*\} [1-9]/);
    await again.kill();
  });
});
