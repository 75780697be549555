import { randomUUID } from 'node:crypto';
import { TOPICS, type QuarantineRecord, type RawCallEvent, type TopicSpec } from '@tokentally/contracts';
import {
  AvroRegistry,
  BatchConsumer,
  QuarantinePublisher,
  type PoisonMessage,
} from '@tokentally/platform-kafka';
import { ServiceMetrics, silentLogger } from '@tokentally/platform-observability';
import { buildRawCallEvent, KafkaHarness, stackEnv, waitUntil } from '@tokentally/testing';

describe('consumer: bad bytes are quarantined with a reason, handler failures are retried before commit', () => {
  const harness = new KafkaHarness();
  let raw: TopicSpec<RawCallEvent>;
  let quarantine: TopicSpec<QuarantineRecord>;

  beforeAll(async () => {
    await harness.start();
    raw = await harness.topic(TOPICS.rawCalls, 'poison');
    quarantine = await harness.topic(TOPICS.quarantine, 'poison');
  });
  afterAll(() => harness.stop());

  it('routes garbage, unknown schema ids, truncated bodies and tombstones to quarantine and keeps consuming', async () => {
    const good = [buildRawCallEvent(1), buildRawCallEvent(2)];
    const valid = harness.registry.encode(raw, buildRawCallEvent(3));
    const unknownId = Buffer.from(valid);
    unknownId.writeUInt32BE(2_000_000_000, 1);
    const bad: { key: string; value: Buffer | null; reason: string }[] = [
      { key: 'garbage', value: Buffer.from('{"event_id": "json, not avro"}'), reason: 'UNDECODABLE' },
      { key: 'short', value: Buffer.from([0, 0]), reason: 'UNDECODABLE' },
      { key: 'unknown-id', value: unknownId, reason: 'UNKNOWN_SCHEMA' },
      { key: 'truncated', value: valid.subarray(0, valid.length - 7), reason: 'UNDECODABLE' },
      { key: 'tombstone', value: null, reason: 'UNDECODABLE' },
    ];
    // All on one partition (same key would do too) so good and bad share batches.
    await harness.producer.sendEncoded(raw.name, [
      { key: 'k', value: harness.registry.encode(raw, good[0] as RawCallEvent), partition: 0 },
      ...bad.map((b) => ({ key: b.key, value: b.value, partition: 0 })),
      { key: 'k', value: harness.registry.encode(raw, good[1] as RawCallEvent), partition: 0 },
    ]);

    const metrics = new ServiceMetrics('test', { defaultMetrics: false });
    const publisher = new QuarantinePublisher(harness.producer, {
      stage: 'enricher',
      metrics,
      topic: quarantine,
    });
    const handled: RawCallEvent[] = [];
    const poisoned: PoisonMessage[] = [];
    const consumer = new BatchConsumer(harness.kafka, new AvroRegistry(stackEnv.registryUrl), {
      groupId: `test-poison-${randomUUID()}`,
      topic: raw,
      logger: silentLogger,
      metrics,
      handler: async (records) => void handled.push(...records.map((r) => r.value)),
      onPoison: async (messages) => {
        poisoned.push(...messages);
        await publisher.publishPoison(messages);
      },
    });
    await consumer.start();
    try {
      await waitUntil(
        'all messages handled or quarantined',
        async () => handled.length + poisoned.length >= 7,
        60000,
      );
    } finally {
      await consumer.stop();
    }
    expect(handled.map((e) => e.event_id).sort()).toEqual(good.map((e) => e.event_id).sort());
    expect(Object.fromEntries(poisoned.map((p) => [p.key, p.error.reason]))).toEqual(
      Object.fromEntries(bad.map((b) => [b.key, b.reason])),
    );

    // The quarantine records carry the original bytes and a human message, and decode as Avro.
    const records: QuarantineRecord[] = [];
    const reader = new BatchConsumer(harness.kafka, new AvroRegistry(stackEnv.registryUrl), {
      groupId: `test-quarantine-${randomUUID()}`,
      topic: quarantine,
      logger: silentLogger,
      handler: async (batch) => void records.push(...batch.map((r) => r.value)),
      onPoison: async () => {
        throw new Error('quarantine records must decode');
      },
    });
    await reader.start();
    try {
      await waitUntil('quarantine records', async () => records.length >= bad.length, 60000);
    } finally {
      await reader.stop();
    }
    for (const b of bad) {
      const record = records.find((r) => r.trace_id === b.key);
      expect(record).toMatchObject({
        stage: 'enricher',
        reason: b.reason,
        source_topic: raw.name,
        source_partition: 0,
      });
      expect(record?.message.length).toBeGreaterThan(10);
      expect(Buffer.compare(record?.original_payload ?? Buffer.alloc(1), b.value ?? Buffer.alloc(0))).toBe(0);
    }
    const metricText = await metrics.render();
    expect(metricText).toMatch(
      /tokentally_events_quarantined_total\{stage="enricher",reason="UNDECODABLE",service="test"\} 4/,
    );
    expect(metricText).toMatch(
      /tokentally_events_quarantined_total\{stage="enricher",reason="UNKNOWN_SCHEMA",service="test"\} 1/,
    );
  });

  it('retries a failing handler with backoff and commits only after it succeeds', async () => {
    const topic = await harness.topic(TOPICS.rawCalls, 'retry');
    const events = Array.from({ length: 20 }, (_, n) => buildRawCallEvent(n));
    await harness.producer.send(
      topic,
      events.map((value) => ({ key: 'one-partition', value })),
    );
    const groupId = `test-retry-${randomUUID()}`;
    let calls = 0;
    const seen = new Set<string>();
    const metrics = new ServiceMetrics('test', { defaultMetrics: false });
    const consumer = new BatchConsumer(harness.kafka, new AvroRegistry(stackEnv.registryUrl), {
      groupId,
      topic,
      logger: silentLogger,
      metrics,
      retry: { attempts: 5, initialDelayMs: 50, maxDelayMs: 200 },
      handler: async (records) => {
        calls += 1;
        if (calls <= 2) {
          // Nothing may be committed while the handler is failing.
          expect(await harness.committedEqualsEnd(groupId, topic.name)).toBe(false);
          throw new Error('database briefly unavailable');
        }
        records.forEach((r) => seen.add(r.value.event_id));
      },
      onPoison: async () => undefined,
    });
    await consumer.start();
    try {
      await waitUntil('all events handled', async () => seen.size >= events.length, 60000);
      await waitUntil('offsets committed', () => harness.committedEqualsEnd(groupId, topic.name), 30000);
    } finally {
      await consumer.stop();
    }
    expect(seen.size).toBe(events.length);
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(await metrics.render()).toMatch(
      /tokentally_handler_errors_total\{topic="[^"]+",service="test"\} 2/,
    );
  });

  it('reports a partition whose batch keeps failing as stalled (health and metrics) and clears it once it passes', async () => {
    const topic = await harness.topic(TOPICS.rawCalls, 'stalled');
    await harness.producer.sendEncoded(topic.name, [
      { key: 'k', value: harness.registry.encode(topic, buildRawCallEvent(1)), partition: 0 },
    ]);
    const groupId = `test-stalled-${randomUUID()}`;
    let broken = true;
    const metrics = new ServiceMetrics('test', { defaultMetrics: false });
    const consumer = new BatchConsumer(harness.kafka, new AvroRegistry(stackEnv.registryUrl), {
      groupId,
      topic,
      logger: silentLogger,
      metrics,
      retry: { attempts: 3, initialDelayMs: 50, maxDelayMs: 100 },
      handler: async () => {
        if (broken) throw new Error('invalid byte sequence for encoding "UTF8": 0x00');
      },
      onPoison: async () => undefined,
    });
    await consumer.start();
    try {
      const reason = await waitUntil(
        'partition reported stalled',
        () =>
          consumer.health.check().then(
            () => undefined,
            (error: Error) => error.message,
          ),
        60000,
      );
      expect(reason).toMatch(/\[0\] stalled at offset 0 .* after \d+ attempts: invalid byte sequence/);
      expect(await metrics.render()).toMatch(
        new RegExp(`tokentally_consumer_stalled\\{topic="${topic.name}",partition="0",service="test"\\} 1`),
      );
      expect(await harness.committedEqualsEnd(groupId, topic.name)).toBe(false);
      broken = false;
      await waitUntil('offsets committed', () => harness.committedEqualsEnd(groupId, topic.name), 30000);
      await expect(consumer.health.check()).resolves.toBe('running');
      expect(await metrics.render()).toMatch(
        new RegExp(`tokentally_consumer_stalled\\{topic="${topic.name}",partition="0",service="test"\\} 0`),
      );
    } finally {
      await consumer.stop();
    }
  });
});
