import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { TOPICS } from '@tokentally/contracts';
import { createKafkaClient, skipGroupToEnd } from '@tokentally/platform-kafka';
import { silentLogger } from '@tokentally/platform-observability';
import { spawnService, waitHealthy } from '../services';

/** The five services of the demo, on ports 3301-3305, each with a consumer group of its own. */
export const SERVICES = [
  'enricher',
  'pricer',
  'anomaly-detector',
  'reconciler',
  'chargeback-exporter',
] as const;
export type ServiceName = (typeof SERVICES)[number];
export const PORT = (name: ServiceName): number => 3301 + SERVICES.indexOf(name);
export const GROUP = (name: ServiceName): string => `tokentally-demo-${name}`;
export const INGEST_TOKEN = 'demo-ingest-token-0000000000'; // 24+ chars: INGEST_TOKENS refuses shorter
export const FINANCE_TOKEN = 'demo-finance-token-0000';
export const UPLOAD_TOKEN = 'demo-reconcile-token-000000';
const ANOMALY_PREFIX = 'tokentally:demo-anomaly';
const BROKERS = ['127.0.0.1:9092'];

export interface RunningServices {
  stop(): Promise<void>;
}

/**
 * The demo's consumer groups start where the topics end now (only this run's traffic counts) and the
 * detector's Redis state starts empty, so every run is judged on its own calls.
 */
async function freshStart(): Promise<void> {
  const kafka = createKafkaClient({ clientId: 'demo', brokers: BROKERS, logger: silentLogger });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await skipGroupToEnd(admin, GROUP('enricher'), TOPICS.rawCalls.name);
    await skipGroupToEnd(admin, GROUP('pricer'), TOPICS.enrichedCalls.name);
    await skipGroupToEnd(admin, GROUP('anomaly-detector'), TOPICS.pricedCalls.name);
  } finally {
    await admin.disconnect();
  }
  const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${ANOMALY_PREFIX}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export async function startServices(root: string, databaseUrl: string): Promise<RunningServices> {
  await freshStart();
  mkdirSync(path.join(root, '.demo/logs'), { recursive: true });
  const children: { name: ServiceName; child: ChildProcess }[] = [];
  for (const name of SERVICES) {
    const child = spawnService(name, PORT(name), {
      DATABASE_URL: databaseUrl,
      KAFKA_CONSUMER_GROUP: GROUP(name),
      INGEST_TOKENS: INGEST_TOKEN,
      CHARGEBACK_API_TOKENS: `${FINANCE_TOKEN}:finance`,
      RECONCILE_UPLOAD_TOKENS: UPLOAD_TOKEN,
      CONSOLE_CONSUMER_GROUPS: [GROUP('enricher'), GROUP('pricer'), GROUP('anomaly-detector')].join(','),
      ANOMALY_REDIS_PREFIX: ANOMALY_PREFIX,
      // a small company: an hour $5 above its usual is worth an alert (the default, $20, is for larger bills)
      ANOMALY_MIN_IMPACT_USD_PER_HOUR: '5',
      LOG_LEVEL: 'warn',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
    });
    const log: string[] = [];
    child.stdout?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
    child.on('exit', () => writeFileSync(path.join(root, `.demo/logs/${name}.log`), log.join('')));
    children.push({ name, child });
  }
  const stop = async (): Promise<void> => {
    children.forEach(({ child }) => child.kill('SIGTERM'));
    await Promise.all(
      children.map(
        ({ child }) =>
          new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.on('exit', resolve))),
      ),
    );
  };
  try {
    await Promise.all(children.map(({ name, child }) => waitHealthy(name, PORT(name), child)));
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}

/** Waits (up to `timeoutMs`) until the anomaly detector's group has consumed the priced topic to its end. */
export async function waitDetectorCaughtUp(timeoutMs: number): Promise<boolean> {
  const kafka = createKafkaClient({ clientId: 'demo-lag', brokers: BROKERS, logger: silentLogger });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ends = await admin.fetchTopicOffsets(TOPICS.pricedCalls.name);
      const [committed] = await admin.fetchOffsets({
        groupId: GROUP('anomaly-detector'),
        topics: [TOPICS.pricedCalls.name],
      });
      const at = new Map(committed?.partitions.map((p) => [p.partition, BigInt(p.offset)]) ?? []);
      const lag = ends.reduce((sum, p) => sum + BigInt(p.high) - (at.get(p.partition) ?? 0n), 0n);
      if (lag <= 0n) return true;
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await admin.disconnect();
  }
}
