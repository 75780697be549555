import { z } from 'zod';
import type { TopicSpec } from '@tokentally/contracts';
import { kafkaEnv, loadConfig } from '@tokentally/platform-config';
import { AvroProducer, AvroRegistry, createKafkaClient } from '@tokentally/platform-kafka';
import { silentLogger } from '@tokentally/platform-observability';

/**
 * Runs one CLI command with a connected Avro producer (KAFKA_BROKERS, SCHEMA_REGISTRY_URL), closed after.
 * `writes`: topics it encodes values for (their writer schemas are registered first); re-sending
 * already-encoded bytes needs none.
 */
export async function withProducer<T>(
  command: string,
  writes: readonly TopicSpec<unknown>[],
  work: (producer: AvroProducer) => Promise<T>,
): Promise<T> {
  const config = loadConfig(command, z.object(kafkaEnv));
  const kafka = createKafkaClient({ clientId: 'tally', brokers: config.KAFKA_BROKERS, logger: silentLogger });
  const registry = new AvroRegistry(config.SCHEMA_REGISTRY_URL);
  if (writes.length > 0) await registry.registerWriters(writes);
  const producer = new AvroProducer(kafka, registry);
  await producer.connect();
  try {
    return await work(producer);
  } finally {
    await producer.disconnect();
  }
}
