import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { TOPICS } from '@tokentally/contracts';
import { up } from '@tokentally/deploy';
import { AvroProducer, AvroRegistry, createKafkaClient } from '@tokentally/platform-kafka';
import { silentLogger } from '@tokentally/platform-observability';
import { buildRawCallEvent, stackEnv, waitUntil } from '@tokentally/testing';
import { rate } from './report';

const ROOT = path.resolve(__dirname, '../..');
const COUNT = 100_000;
const PORT = 3299;

async function processed(): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${PORT}/metrics`)).text();
  // Every consumed message, including undecodable ones the transport quarantines before the handler.
  const match = /^tokentally_events_in_total\{topic="llm\.calls\.raw\.v1"[^}]*\} (\d+)/m.exec(text);
  return Number(match?.[1] ?? 0);
}

/**
 * The enricher service alone, as deployed: raw events are loaded into llm.calls.raw.v1 first, then a
 * fresh enricher process (its own consumer group, so it starts from the beginning of the topic)
 * drains them; throughput is taken from its own metrics between the first and the last event.
 */
export async function benchEnrich(): Promise<void> {
  await up();
  const run = randomBytes(4).toString('hex');
  const kafka = createKafkaClient({ clientId: 'bench', brokers: stackEnv.brokers, logger: silentLogger });
  const admin = kafka.admin();
  await admin.connect();
  const registry = new AvroRegistry(stackEnv.registryUrl);
  await registry.registerWriters([TOPICS.rawCalls]);
  const producer = new AvroProducer(kafka, registry);
  await producer.connect();
  let started = process.hrtime.bigint();
  const now = Date.now();
  for (let i = 0; i < COUNT; i += 5000) {
    const events = Array.from({ length: Math.min(5000, COUNT - i) }, (_, k) =>
      buildRawCallEvent(i + k, { event_id: `bench-${run}-${i + k}`, occurred_at: now - 60_000 }),
    );
    await producer.send(
      TOPICS.rawCalls,
      events.map((value) => ({ key: value.trace_id, value })),
    );
  }
  console.log(`loaded raw events: ${rate(COUNT, started)}`);
  await producer.disconnect();
  const backlog = (await admin.fetchTopicOffsets(TOPICS.rawCalls.name)).reduce(
    (sum, p) => sum + Number(p.high) - Number(p.low),
    0,
  );
  await admin.disconnect();

  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'tools/bin/ts.js'), 'services/enricher/src/main.ts'],
    {
      cwd: ROOT,
      env: {
        TOKENTALLY_ENV: 'dev', // a local bench may use the built-in dev secrets
        ...process.env,
        HTTP_PORT: String(PORT),
        KAFKA_CONSUMER_GROUP: `bench-enricher-${run}`,
        LOG_LEVEL: 'error',
        OWNER_ENFORCEMENT: 'soft',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  try {
    await waitUntil(
      'enricher up',
      async () => (await fetch(`http://127.0.0.1:${PORT}/health`)).ok,
      90000,
      200,
    );
    await waitUntil('first events', async () => (await processed()) > 0, 60000, 20);
    started = process.hrtime.bigint();
    const first = await processed();
    let last = first;
    await waitUntil(
      `${backlog} events drained`,
      async () => {
        last = await processed();
        process.stdout.write(
          `\r  consumed: ${last.toLocaleString('en-US')} / ${backlog.toLocaleString('en-US')}`,
        );
        return last >= backlog;
      },
      300000,
      100,
    );
    process.stdout.write('\n');
    console.log(
      `enricher (consume + validate + enrich + Redis dedup + produce + commit): ${rate(last - first, started)}`,
    );
  } finally {
    child.kill('SIGTERM');
  }
}
