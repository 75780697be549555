import { ALL_TOPICS } from '@tokentally/contracts';
import { AvroRegistry, createKafkaClient, provisionTopics } from '@tokentally/platform-kafka';
import { silentLogger } from '@tokentally/platform-observability';
import { kafkaBrokers, registryUrl } from './stack-config';

/** Creates every topic of the contract registry and registers every value schema under `<topic>-value`. */
export async function provisionContracts(log: (line: string) => void): Promise<void> {
  const kafka = createKafkaClient({
    clientId: 'tokentally-stack',
    brokers: kafkaBrokers(),
    logger: silentLogger,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const result = await provisionTopics(admin, ALL_TOPICS);
    log(`topics: ${result.created.length} created, ${result.existing.length} already present`);
  } finally {
    await admin.disconnect();
  }
  const ids = await new AvroRegistry(registryUrl()).registerWriters(ALL_TOPICS);
  log(`schemas: ${ids.size} subjects registered (BACKWARD compatibility)`);
}
