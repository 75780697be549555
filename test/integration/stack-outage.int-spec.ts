import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { TOPICS, type EnrichedCallEvent, type RawCallEvent } from '@tokentally/contracts';
import { AvroRegistry, BatchConsumer } from '@tokentally/platform-kafka';
import { silentLogger } from '@tokentally/platform-observability';
import { CallRecorder, UndeliveredCallsError } from '@tokentally/sdk';
import { buildRawCallEvent, KafkaHarness, stackEnv, waitUntil } from '@tokentally/testing';
import { STACK_DIR } from '@tokentally/deploy';
import { ServiceProcess } from './service-process';

const RUN = randomBytes(4).toString('hex');
const TOKEN = `it-outage-token-${RUN}`;

/** The machine's PostgreSQL (every suite shares it: keep each outage to a few seconds). */
function pgCluster(action: 'restart' | 'stop' | 'start'): void {
  const version = readdirSync('/etc/postgresql')[0] ?? '15';
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', action], { stdio: 'pipe' });
}

const brokerPid = (): number => Number(readFileSync(path.join(STACK_DIR, 'kafka/kafka.pid'), 'utf8').trim());

describe('services ride out PostgreSQL and broker outages (issue 9, items 18, 21, 10)', () => {
  const harness = new KafkaHarness();
  const enriched = new Set<string>();
  const reader = new BatchConsumer<EnrichedCallEvent>(harness.kafka, new AvroRegistry(stackEnv.registryUrl), {
    groupId: `it-outage-reader-${RUN}`,
    topic: TOPICS.enrichedCalls,
    logger: silentLogger,
    handler: async (records) => {
      for (const { value } of records) if (value.event_id.startsWith(RUN)) enriched.add(value.event_id);
    },
    onPoison: async () => undefined,
  });
  const env = (group: string): Record<string, string> => ({
    DATABASE_URL: stackEnv.databaseUrl,
    LOG_LEVEL: 'warn',
    INGEST_TOKENS: TOKEN,
    KAFKA_CONSUMER_GROUP: group,
  });
  const enricher = new ServiceProcess('enricher', 3258, env(`it-outage-enricher-${RUN}`));
  const pricer = new ServiceProcess('pricer', 3259, env(`it-outage-pricer-${RUN}`));
  const late = new ServiceProcess('pricer', 3260, env(`it-outage-late-${RUN}`));
  const event = (label: string, n: number): RawCallEvent =>
    buildRawCallEvent(n, {
      event_id: `${RUN}-${label}-${n}`,
      trace_id: `${RUN}-${label}-t`,
      occurred_at: Date.now() - 60_000,
    });
  const post = (events: RawCallEvent[]): Promise<Response> =>
    fetch(`${enricher.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(events.map((e) => ({ ...e, occurred_at: new Date(e.occurred_at).toISOString() }))),
    });

  beforeAll(async () => {
    await harness.start();
    await harness.skipToEnd(reader.groupId, reader.topicName);
    await harness.skipToEnd(`it-outage-enricher-${RUN}`, TOPICS.rawCalls.name);
    await harness.skipToEnd(`it-outage-pricer-${RUN}`, TOPICS.enrichedCalls.name);
    await reader.start();
    enricher.start();
    pricer.start();
    await Promise.all([enricher.healthy(), pricer.healthy()]);
  });
  afterAll(async () => {
    await Promise.all([enricher, pricer, late].map((s) => s.stop(5000)));
    await reader.stop();
    await harness.stop();
  });

  it('a PostgreSQL restart does not kill the enricher or the pricer; both process afterwards (item 18)', async () => {
    pgCluster('restart');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect([enricher.running, pricer.running]).toEqual([true, true]);
    await Promise.all([enricher.healthy(30000), pricer.healthy(30000)]);
    const events = [event('after-pg', 1), event('after-pg', 2)];
    expect((await post(events)).status).toBe(200);
    await waitUntil('events enriched after the restart', async () =>
      events.every((e) => enriched.has(e.event_id)),
    );
    expect(enricher.output.join('')).toMatch(/postgres connection lost/);
  });

  it('a service started while PostgreSQL is down waits for it instead of exiting (item 18)', async () => {
    pgCluster('stop');
    try {
      late.start();
      await new Promise((resolve) => setTimeout(resolve, 4000));
      expect(late.running).toBe(true);
    } finally {
      pgCluster('start');
    }
    await late.healthy(60000);
    expect(late.output.join('')).toMatch(/start-up step failed, retrying.*"step":"postgres"/);
  });

  it('broker down: ingest answers 503 with Retry-After within seconds; the SDK retries and reports what it could not send (items 21, 10)', async () => {
    const recorder = await CallRecorder.connect({
      brokers: stackEnv.brokers,
      registryUrl: stackEnv.registryUrl,
      flushIntervalMs: 10_000,
      logger: silentLogger,
      retry: { attempts: 20, initialDelayMs: 200, maxDelayMs: 1000, sendTimeoutMs: 1000 },
    });
    const impatient = await CallRecorder.connect({
      brokers: stackEnv.brokers,
      registryUrl: stackEnv.registryUrl,
      flushIntervalMs: 10_000,
      logger: silentLogger,
      retry: { attempts: 2, initialDelayMs: 100, maxDelayMs: 100, sendTimeoutMs: 500 },
    });
    const viaSdk = [event('sdk', 1), event('sdk', 2), event('sdk', 3)];
    const viaImpatient = [event('sdk-impatient', 1), event('sdk-impatient', 2)];
    let delivering: Promise<void> | undefined;
    const pid = brokerPid();
    process.kill(pid, 'SIGSTOP');
    try {
      const started = Date.now();
      const refused = await post([event('broker-down', 1)]);
      const answeredMs = Date.now() - started;
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await refused.json()).toMatchObject({ error: 'broker_unavailable' });
      expect(answeredMs).toBeLessThan(5000);

      viaImpatient.forEach((e) => impatient.record(e));
      const failure = await impatient.flush().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(UndeliveredCallsError);
      expect((failure as UndeliveredCallsError).undelivered.map((e) => e.event_id)).toEqual(
        viaImpatient.map((e) => e.event_id),
      );

      viaSdk.forEach((e) => recorder.record(e));
      delivering = recorder.flush();
      await new Promise((resolve) => setTimeout(resolve, 2000));
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await delivering;
    await impatient.close(); // delivers what the earlier flush reported as undelivered
    await recorder.close();
    await waitUntil(
      'ingest accepts again',
      async () => (await post([event('broker-back', 1)])).status === 200,
      30000,
    );
    const all = [...viaSdk, ...viaImpatient, event('broker-back', 1)];
    await waitUntil('SDK calls enriched', async () => all.every((e) => enriched.has(e.event_id)), 60000);
  });
});
