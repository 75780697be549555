import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { TOPICS, type RawCallEvent } from '@tokentally/contracts';
import { stackConfig, up } from '@tokentally/deploy';
import { AvroProducer, AvroRegistry, createKafkaClient, skipGroupToEnd } from '@tokentally/platform-kafka';
import { silentLogger } from '@tokentally/platform-observability';
import { buildRawCallEvent, stackEnv, waitUntil } from '@tokentally/testing';
import { build } from '../build/build';
import { openScratchDatabase, stackDatabaseUrl } from '../scratch-database';
import { spawnService, waitHealthy } from '../services';

const EVENTS = Number(process.env['BENCH_PIPELINE_EVENTS'] ?? 100_000);
const OFFERED = 2000;
const OFFERED_SECONDS = 10;
const INGEST_TOKEN = `bench-pipeline-ingest-${randomBytes(8).toString('hex')}`;
const PORTS = { enricher: 3311, pricer: 3312 } as const;
type Service = keyof typeof PORTS;

const mb = (bytes: number): string => `${Math.round(bytes / 1048576)} MB`;
const rssOf = (pid: number | undefined): number =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

async function pricedCount(): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${PORTS.pricer}/metrics`)).text();
  return Number(/^tokentally_pricer_events_total\{outcome="priced"[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
}

/** The enricher and the pricer as deployed (compiled), on consumer groups that start at the topics' end. */
class Pipeline {
  readonly peakRss = new Map<Service, number>();
  private readonly children = new Map<Service, ChildProcess>();
  private sampler: NodeJS.Timeout | undefined;

  constructor(
    private readonly run: string,
    private readonly databaseUrl: string,
  ) {}

  async start(): Promise<void> {
    for (const name of Object.keys(PORTS) as Service[])
      this.children.set(
        name,
        spawnService(
          name,
          PORTS[name],
          {
            DATABASE_URL: this.databaseUrl,
            KAFKA_CONSUMER_GROUP: `bench-pipeline-${name}-${this.run}`,
            INGEST_TOKENS: INGEST_TOKEN,
            OWNER_ENFORCEMENT: 'soft',
            LOG_LEVEL: 'error',
            KAFKAJS_NO_PARTITIONER_WARNING: '1',
          },
          ['ignore', 'ignore', 'inherit'],
        ),
      );
    await Promise.all([...this.children].map(([name, child]) => waitHealthy(name, PORTS[name], child)));
    this.sampler = setInterval(() => {
      for (const [name, child] of this.children)
        this.peakRss.set(name, Math.max(this.peakRss.get(name) ?? 0, rssOf(child.pid)));
    }, 100);
  }

  stop(): void {
    clearInterval(this.sampler);
    for (const child of this.children.values()) child.kill('SIGTERM');
  }
}

/** Waits for `target` priced rows, printing progress; resolves with the seconds from `startedNs`. */
async function drained(target: number, startedNs: bigint, label: string): Promise<number> {
  await waitUntil(
    `${label}: ${target} calls priced`,
    async () => {
      const priced = await pricedCount();
      process.stdout.write(
        `\r  ${label}: ${priced.toLocaleString('en-US')} / ${target.toLocaleString('en-US')} priced`,
      );
      return priced >= target;
    },
    600_000,
    100,
  );
  process.stdout.write('\n');
  return Number(process.hrtime.bigint() - startedNs) / 1e9;
}

const rawEvents = (run: string, phase: string, count: number, at: () => number): RawCallEvent[] =>
  Array.from({ length: count }, (_, i) =>
    // n % 4 in {0, 1}: the builder's OpenAI and Anthropic models, which the catalog prices out of the box
    buildRawCallEvent(2 * i - (i % 2), {
      event_id: `pipe-${run}-${phase}-${i}`,
      trace_id: `pipe-${run}-${phase}-t${i}`,
      occurred_at: at(),
    }),
  );

async function latencyPercentiles(pool: Pool, prefix: string): Promise<string> {
  const { rows } = await pool.query<{ p50: number; p99: number; n: string }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99, count(*) AS n
       FROM (SELECT extract(epoch FROM recorded_at - occurred_at) * 1000 AS ms FROM tokentally.ledger WHERE event_id LIKE $1) l`,
    [`${prefix}%`],
  );
  const row = rows[0];
  return `p50 ${Math.round(row?.p50 ?? 0)} ms, p99 ${Math.round(row?.p99 ?? 0)} ms over ${row?.n ?? 0} calls (target p99 <= 1 s)`;
}

/**
 * `npm run bench -- pipeline`: enricher + pricer as real processes. A backlog of EVENTS raw events
 * (the SDK's producer path: Avro on llm.calls.raw.v1) drained end to end into the ledger; then the same
 * count through HTTP ingest; then a fixed offered load with the produce -> ledger latency per call
 * (the ledger row's recorded_at is its transaction's start, so the figure is, if anything, low).
 */
export async function benchPipeline(): Promise<void> {
  await up();
  await build();
  const run = randomBytes(3).toString('hex');
  const pool = await openScratchDatabase('tokentally_bench', 'bench-pipeline');
  const redis = new Redis({ ...stackConfig.redis, lazyConnect: true });
  await redis.connect();
  const redisMemory = async (): Promise<number> =>
    Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0);
  const kafka = createKafkaClient({
    clientId: 'bench-pipeline',
    brokers: stackEnv.brokers,
    logger: silentLogger,
  });
  const admin = kafka.admin();
  await admin.connect();
  await skipGroupToEnd(admin, `bench-pipeline-enricher-${run}`, TOPICS.rawCalls.name);
  await skipGroupToEnd(admin, `bench-pipeline-pricer-${run}`, TOPICS.enrichedCalls.name);
  await admin.disconnect();
  const registry = new AvroRegistry(stackEnv.registryUrl);
  await registry.registerWriters([TOPICS.rawCalls]);
  const producer = new AvroProducer(kafka, registry);
  await producer.connect();
  const send = (events: RawCallEvent[]) =>
    producer.send(
      TOPICS.rawCalls,
      events.map((value) => ({ key: value.trace_id, value })),
    );

  const now = Date.now();
  const backlog = rawEvents(run, 'kafka', EVENTS, () => now - 60_000);
  for (let i = 0; i < backlog.length; i += 5000) await send(backlog.slice(i, i + 5000));
  console.log(`backlog: ${EVENTS.toLocaleString('en-US')} raw events on ${TOPICS.rawCalls.name}`);
  const redisBefore = await redisMemory();
  const pipeline = new Pipeline(run, stackDatabaseUrl('tokentally_bench'));
  try {
    await pipeline.start();
    let started = process.hrtime.bigint();
    const kafkaSeconds = await drained(EVENTS, started, 'from Kafka');
    console.log(
      `from Kafka: ${EVENTS.toLocaleString('en-US')} events in ${kafkaSeconds.toFixed(2)} s = ${Math.round(EVENTS / kafkaSeconds).toLocaleString('en-US')}/s end to end, from both services healthy (target >= 15,000/s)`,
    );

    const viaHttp = rawEvents(run, 'http', EVENTS, () => now - 30_000);
    started = process.hrtime.bigint();
    const batches: RawCallEvent[][] = [];
    for (let i = 0; i < viaHttp.length; i += 1000) batches.push(viaHttp.slice(i, i + 1000));
    const post = async (body: RawCallEvent[]): Promise<void> => {
      for (;;) {
        const response = await fetch(`http://127.0.0.1:${PORTS.enricher}/v1/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
          body: JSON.stringify(body),
        });
        if (response.status === 503) continue; // the broker was slower than the ingest deadline: retry
        if (response.status >= 300)
          throw new Error(`HTTP ingest answered ${response.status}: ${await response.text()}`);
        return;
      }
    };
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let batch = batches.shift(); batch; batch = batches.shift()) await post(batch);
      }),
    );
    const httpSeconds = await drained(2 * EVENTS, started, 'from HTTP ingest');
    console.log(
      `from HTTP ingest (4 clients, 1,000 events a request): ${EVENTS.toLocaleString('en-US')} events in ${httpSeconds.toFixed(2)} s = ${Math.round(EVENTS / httpSeconds).toLocaleString('en-US')}/s (target >= 10,000/s)`,
    );

    const total = OFFERED * OFFERED_SECONDS;
    const perTick = OFFERED / 100;
    const tickStarted = Date.now();
    for (let sent = 0; sent < total; sent += perTick) {
      const wait = tickStarted + (sent / OFFERED) * 1000 - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      await send(rawEvents(`${run}-live${sent}`, 'live', perTick, Date.now));
    }
    await drained(2 * EVENTS + total, process.hrtime.bigint(), 'offered load');
    console.log(
      `latency produce -> ledger at ${OFFERED.toLocaleString('en-US')}/s: ${await latencyPercentiles(pool, `pipe-${run}-live`)}`,
    );
    console.log(
      `peak RSS: ${[...pipeline.peakRss].map(([name, rss]) => `${name} ${mb(rss)}`).join(', ')} (target <= 200 MB each); ` +
        `Redis used memory ${mb(redisBefore)} before, ${mb(await redisMemory())} after ${(2 * EVENTS + total).toLocaleString('en-US')} events`,
    );
  } finally {
    pipeline.stop();
    await producer.disconnect();
    await redis.quit();
    await pool.end();
  }
}
