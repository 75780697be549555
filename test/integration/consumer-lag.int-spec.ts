import { randomUUID } from 'node:crypto';
import { TOPICS } from '@tokentally/contracts';
import { AvroRegistry, BatchConsumer, ConsumerLagMonitor } from '@tokentally/platform-kafka';
import { ServiceMetrics, silentLogger } from '@tokentally/platform-observability';
import { buildRawCallEvent, KafkaHarness, stackEnv, waitUntil } from '@tokentally/testing';

describe('consumer lag per topic-partition', () => {
  const harness = new KafkaHarness();
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  it('reports the backlog of a group, then zero once it has caught up', async () => {
    const topic = await harness.topic(TOPICS.rawCalls, 'lag');
    const events = Array.from({ length: 300 }, (_, n) => buildRawCallEvent(n));
    await harness.producer.send(
      topic,
      events.map((value) => ({ key: value.trace_id, value })),
    );
    const groupId = `test-lag-${randomUUID()}`;
    const metrics = new ServiceMetrics('test', { defaultMetrics: false });
    const monitor = new ConsumerLagMonitor(
      harness.admin,
      [{ groupId, topic: topic.name }],
      metrics,
      silentLogger,
    );

    const before = await monitor.refresh();
    expect([...before.values()].reduce((a, b) => a + b, 0)).toBe(events.length);
    expect(before.size).toBe(topic.partitions);

    let handled = 0;
    const consumer = new BatchConsumer(harness.kafka, new AvroRegistry(stackEnv.registryUrl), {
      groupId,
      topic,
      logger: silentLogger,
      handler: async (records) => void (handled += records.length),
      onPoison: async () => undefined,
    });
    await consumer.start();
    try {
      await waitUntil('caught up', async () => handled >= events.length);
      await waitUntil(
        'lag zero',
        async () => [...(await monitor.refresh()).values()].every((lag) => lag === 0),
        30000,
      );
    } finally {
      await consumer.stop();
    }
    const text = await metrics.render();
    expect(text).toMatch(
      new RegExp(
        `tokentally_consumer_lag\\{group="${groupId}",topic="${topic.name.replace(/\./g, '\\.')}",partition="0",service="test"\\} 0`,
      ),
    );
  });
});
