import { randomUUID } from 'node:crypto';
import { TOPICS, type RawCallEvent } from '@tokentally/contracts';
import { AvroRegistry, BatchConsumer } from '@tokentally/platform-kafka';
import { silentLogger } from '@tokentally/platform-observability';
import { CallRecorder, InvalidCallEventError, fromAnthropic } from '@tokentally/sdk';
import { buildRawCallEvent, KafkaHarness, stackEnv, waitUntil } from '@tokentally/testing';

describe('producer SDK against the real broker', () => {
  const harness = new KafkaHarness();
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  it('validates before sending, batches, and delivers every recorded call on close', async () => {
    const topic = await harness.topic(TOPICS.rawCalls, 'sdk');
    const recorder = await CallRecorder.connect({
      brokers: stackEnv.brokers,
      registryUrl: stackEnv.registryUrl,
      topic,
      maxBatch: 100,
      flushIntervalMs: 50,
    });
    const now = Date.now();
    expect(() => recorder.record(buildRawCallEvent(1, { feature: '', occurred_at: now }))).toThrow(
      InvalidCallEventError,
    );
    try {
      recorder.record(
        buildRawCallEvent(2, {
          usage: { ...buildRawCallEvent(2).usage, output_tokens: -1 },
          occurred_at: now,
        }),
      );
    } catch (error) {
      expect(error).toMatchObject({
        name: 'InvalidCallEventError',
        reason: 'INVALID_VALUE',
        field: 'usage.output_tokens',
      });
    }
    const sent = Array.from({ length: 250 }, (_, n) =>
      buildRawCallEvent(n, {
        occurred_at: now - 1000,
        provider: 'anthropic',
        usage: fromAnthropic({
          input_tokens: 3,
          cache_read_input_tokens: 100,
          output_tokens: 20,
          cache_creation: { ephemeral_1h_input_tokens: 7 },
        }),
      }),
    );
    sent.forEach((event) => recorder.record(event, now));
    await recorder.close();

    const received: RawCallEvent[] = [];
    const consumer = new BatchConsumer(harness.kafka, new AvroRegistry(stackEnv.registryUrl), {
      groupId: `test-sdk-${randomUUID()}`,
      topic,
      logger: silentLogger,
      handler: async (records) => void received.push(...records.map((r) => r.value)),
      onPoison: async () => undefined,
    });
    await consumer.start();
    try {
      await waitUntil('recorded calls', async () => received.length >= sent.length, 60000);
    } finally {
      await consumer.stop();
    }
    expect(received.map((e) => e.event_id).sort()).toEqual(sent.map((e) => e.event_id).sort());
    expect(received[0]?.usage).toMatchObject({
      input_tokens: 3,
      cached_input_tokens: 100,
      cache_write_tokens: 7,
      cache_write_1h_tokens: 7,
    });
  });
});
