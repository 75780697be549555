import { randomUUID } from 'node:crypto';
import { TOPICS, type RawCallEvent, type TopicSpec } from '@tokentally/contracts';
import {
  AvroRegistry,
  BatchConsumer,
  type ConsumedRecord,
  type PoisonMessage,
} from '@tokentally/platform-kafka';
import { silentLogger } from '@tokentally/platform-observability';
import { buildRawCallEvent, KafkaHarness, stackEnv, waitUntil } from '@tokentally/testing';

const COUNT = 10_000;

describe('raw call events round-trip through the real broker and schema registry', () => {
  const harness = new KafkaHarness();
  let topic: TopicSpec<RawCallEvent>;

  beforeAll(async () => {
    await harness.start();
    topic = await harness.topic(TOPICS.rawCalls, 'roundtrip');
  });
  afterAll(() => harness.stop());

  it(`publishes ${COUNT} events as Avro and consumes them back, field for field, in another group`, async () => {
    const sent = Array.from({ length: COUNT }, (_, n) => buildRawCallEvent(n));
    await harness.producer.send(
      topic,
      sent.map((value) => ({ key: value.trace_id, value })),
    );

    const received = new Map<string, ConsumedRecord<RawCallEvent>>();
    let deliveries = 0;
    const poison: PoisonMessage[] = [];
    const groupId = `test-roundtrip-${randomUUID()}`;
    // A fresh registry client: the consumer learns the writer schema from the id on the wire.
    const consumer = new BatchConsumer(harness.kafka, new AvroRegistry(stackEnv.registryUrl), {
      groupId,
      topic,
      logger: silentLogger,
      handler: async (records) => {
        deliveries += records.length;
        records.forEach((record) => received.set(record.value.event_id, record));
      },
      onPoison: async (messages) => void poison.push(...messages),
    });
    await consumer.start();
    try {
      await waitUntil(`${COUNT} events`, async () => received.size >= COUNT, 120000);
      await waitUntil(
        'offsets committed after handling',
        () => harness.committedEqualsEnd(groupId, topic.name),
        30000,
      );
    } finally {
      await consumer.stop();
    }

    expect(poison).toEqual([]);
    expect(received.size).toBe(COUNT);
    expect(deliveries).toBe(COUNT); // each message handed to the handler exactly once in a clean run
    const partitionsByTrace = new Map<string, Set<number>>();
    for (const event of sent) {
      const record = received.get(event.event_id);
      expect(record?.value).toEqual(event);
      expect(record?.key).toBe(event.trace_id);
      const partitions = partitionsByTrace.get(event.trace_id) ?? new Set<number>();
      partitions.add(record?.partition ?? -1);
      partitionsByTrace.set(event.trace_id, partitions);
    }
    // Keyed by trace_id: every call of one user-visible request lands on one partition, in order.
    expect([...partitionsByTrace.values()].every((partitions) => partitions.size === 1)).toBe(true);
    expect(new Set([...received.values()].map((r) => r.partition)).size).toBe(topic.partitions);
  });
});
