import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createKafkaClient } from '@tokentally/platform-kafka';
import { silentLogger } from '@tokentally/platform-observability';

/**
 * Run by `npm test` after the integration suites: a dump of the test database and every message of the
 * suites' topics must hold none of what the suites plant in calls (raw user and tenant ids, prompt text,
 * live keys, GitHub tokens). The suites send them through every ingest path on purpose; finding one here
 * means it was stored or published where only refs and redacted copies may be.
 */
export const PLANTED_MARKERS = ['planted-user-', 'planted-tenant-', 'planted prompt', 'sk-live-', 'ghp_'];

export interface LeakFinding {
  where: string;
  marker: string;
}

function scan(chunk: Buffer, where: string, findings: LeakFinding[]): void {
  for (const marker of PLANTED_MARKERS)
    if (chunk.indexOf(marker) >= 0 && !findings.some((f) => f.where === where && f.marker === marker))
      findings.push({ where, marker });
}

/** The whole `tokentally` schema's data as pg_dump writes it, scanned as it streams. */
async function auditDatabase(databaseUrl: string, findings: LeakFinding[]): Promise<number> {
  const dump = spawn('pg_dump', ['--data-only', '--schema=tokentally', '--dbname', databaseUrl], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let bytes = 0;
  let tail = Buffer.alloc(0);
  dump.stdout.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    // keep the end of the previous chunk: a marker may straddle two chunks
    const window = Buffer.concat([tail, chunk]);
    scan(window, 'database', findings);
    tail = window.subarray(Math.max(0, window.length - 64));
  });
  const code = await new Promise<number | null>((resolve) => dump.on('exit', resolve));
  if (code !== 0) throw new Error(`pg_dump exited ${code}`);
  return bytes;
}

/** Every message (key and value bytes) of the topics with this prefix, from the start to their end now. */
async function auditTopics(brokers: string[], prefix: string, findings: LeakFinding[]): Promise<number> {
  const kafka = createKafkaClient({ clientId: 'leak-audit', brokers, logger: silentLogger });
  const admin = kafka.admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((name) => name.startsWith(prefix));
  const ends = new Map<string, Map<number, bigint>>();
  let remaining = 0;
  for (const topic of topics) {
    const offsets = await admin.fetchTopicOffsets(topic);
    const live = offsets.filter((p) => BigInt(p.high) > BigInt(p.low));
    ends.set(topic, new Map(live.map((p) => [p.partition, BigInt(p.high)])));
    remaining += live.length;
  }
  await admin.disconnect();
  if (remaining === 0) return 0;
  const consumer = kafka.consumer({ groupId: `leak-audit-${randomBytes(4).toString('hex')}` });
  await consumer.connect();
  for (const topic of ends.keys()) await consumer.subscribe({ topic, fromBeginning: true });
  let messages = 0;
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachBatch: async ({ batch }) => {
          for (const message of batch.messages) {
            messages += 1;
            if (message.key) scan(message.key, batch.topic, findings);
            if (message.value) scan(message.value, batch.topic, findings);
          }
          const end = ends.get(batch.topic)?.get(batch.partition);
          if (end !== undefined && BigInt(batch.lastOffset()) + 1n >= end) {
            ends.get(batch.topic)?.delete(batch.partition);
            remaining -= 1;
            if (remaining === 0) resolve();
          }
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return messages;
}

export async function leakAudit(
  databaseUrl: string,
  brokers: string[],
  topicPrefix: string,
): Promise<LeakFinding[]> {
  const findings: LeakFinding[] = [];
  const bytes = await auditDatabase(databaseUrl, findings);
  const messages = await auditTopics(brokers, topicPrefix, findings);
  console.log(
    `leak audit: ${(bytes / 1e6).toFixed(1)} MB of database dump and ${messages.toLocaleString('en-US')} messages of ${topicPrefix}* topics scanned for ${PLANTED_MARKERS.length} planted markers`,
  );
  return findings;
}

if (require.main === module) {
  const databaseUrl =
    process.env['DATABASE_URL'] ?? 'postgres://tokentally:tokentally@127.0.0.1:5432/tokentally_test';
  const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
  leakAudit(databaseUrl, brokers, process.env['TOKENTALLY_TOPIC_PREFIX'] ?? 'test.').then(
    (findings) => {
      for (const f of findings) console.log(`  LEAK: "${f.marker}" found in ${f.where}`);
      process.exit(findings.length > 0 ? 1 : 0);
    },
    (error: unknown) => {
      console.error(`leak audit: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
