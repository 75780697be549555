import { randomUUID } from 'node:crypto';
import { TOPICS } from '@tokentally/contracts';
import { up } from '@tokentally/deploy';
import { AvroRegistry, BatchConsumer } from '@tokentally/platform-kafka';
import { silentLogger } from '@tokentally/platform-observability';
import { KafkaHarness, buildRawCallEvent, stackEnv, waitUntil } from '@tokentally/testing';
import { rate } from './report';

const COUNT = 100_000;

export async function benchKafka(): Promise<void> {
  await up();
  const harness = new KafkaHarness();
  await harness.start();
  try {
    const topic = await harness.topic(TOPICS.rawCalls, 'bench');
    const events = Array.from({ length: COUNT }, (_, n) => buildRawCallEvent(n));
    let started = process.hrtime.bigint();
    for (let i = 0; i < events.length; i += 5000) {
      await harness.producer.send(
        topic,
        events.slice(i, i + 5000).map((value) => ({ key: value.trace_id, value })),
      );
    }
    console.log(`produce (Avro encode + sendBatch, acks=all): ${rate(COUNT, started)}`);
    let received = 0;
    const consumer = new BatchConsumer(harness.kafka, new AvroRegistry(stackEnv.registryUrl), {
      groupId: `bench-${randomUUID()}`,
      topic,
      logger: silentLogger,
      handler: async (records) => void (received += records.length),
      onPoison: async () => undefined,
    });
    started = process.hrtime.bigint();
    await consumer.start();
    await waitUntil('all consumed', async () => received >= COUNT, 300000, 50);
    console.log(
      `consume (fetch + Avro decode + commit per batch): ${rate(received, started)} (includes group join)`,
    );
    await consumer.stop();
  } finally {
    await harness.stop();
  }
}
