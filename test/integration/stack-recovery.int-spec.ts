import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ALL_TOPICS, TOPICS } from '@tokentally/contracts';
import { createKafkaClient } from '@tokentally/platform-kafka';
import { silentLogger } from '@tokentally/platform-observability';
import { stackEnv, waitUntil } from '@tokentally/testing';
import { STACK_DIR, isAlive, up } from '@tokentally/deploy';

function pidOf(file: string): number {
  const pidFile = path.join(STACK_DIR, file);
  if (!existsSync(pidFile)) {
    throw new Error(
      `${pidFile} is missing: the server on this port was not started by this checkout's stack. ` +
        'Stop it (npm run stack:down in the checkout that owns it) and run the tests again.',
    );
  }
  return Number(readFileSync(pidFile, 'utf8').trim());
}

async function subjectVersions(subject: string): Promise<unknown> {
  const response = await fetch(`${stackEnv.registryUrl}/subjects/${subject}/versions/latest`);
  return response.json();
}

describe('stack:up recovers from kill -9 of the broker and the registry', () => {
  it('brings both back with topics and schema ids intact', async () => {
    const kafka = createKafkaClient({
      clientId: 'recovery-test',
      brokers: stackEnv.brokers,
      logger: silentLogger,
    });
    const admin = kafka.admin();
    await admin.connect();
    const topicsBefore = (await admin.listTopics()).sort();
    await admin.disconnect();
    const schemaBefore = await subjectVersions(TOPICS.rawCalls.subject);

    const brokerPid = pidOf('kafka/kafka.pid');
    const registryPid = pidOf('apicurio/registry.pid');
    process.kill(brokerPid, 'SIGKILL');
    process.kill(registryPid, 'SIGKILL');
    await waitUntil('processes gone', async () => !isAlive(brokerPid) && !isAlive(registryPid), 10000);

    await up();

    expect(pidOf('kafka/kafka.pid')).not.toBe(brokerPid);
    const after = kafka.admin();
    await after.connect();
    try {
      const topicsAfter = (await after.listTopics()).sort();
      expect(topicsAfter).toEqual(expect.arrayContaining(ALL_TOPICS.map((t) => t.name)));
      expect(topicsAfter).toEqual(expect.arrayContaining(topicsBefore.filter((t) => !t.startsWith('test.'))));
      const metadata = await after.fetchTopicMetadata({ topics: [TOPICS.rawCalls.name] });
      expect(metadata.topics[0]?.partitions).toHaveLength(TOPICS.rawCalls.partitions);
    } finally {
      await after.disconnect();
    }
    // The registry keeps its schemas in PostgreSQL: same id and version after the restart.
    expect(await subjectVersions(TOPICS.rawCalls.subject)).toEqual(schemaBefore);
  });
});
