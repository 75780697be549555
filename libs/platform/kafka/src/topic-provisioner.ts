import type { Admin } from 'kafkajs';
import type { TopicSpec } from '@tokentally/contracts';

export interface ProvisionResult {
  created: string[];
  existing: string[];
  partitionsAdded: string[];
}

/**
 * Creates the topics of the registry that do not exist yet, with their partitions and retention,
 * and grows partition counts that are lower than declared. Idempotent: safe at every service start.
 * Auto-creation is off everywhere, because auto-created topics briefly have no leader.
 */
export async function provisionTopics(
  admin: Admin,
  specs: readonly TopicSpec<unknown>[],
  replicationFactor = 1,
): Promise<ProvisionResult> {
  const existingNames = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !existingNames.has(spec.name));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((spec) => ({
        topic: spec.name,
        numPartitions: spec.partitions,
        replicationFactor,
        configEntries: [
          { name: 'retention.ms', value: String(spec.retentionMs) },
          { name: 'cleanup.policy', value: 'delete' },
        ],
      })),
    });
  }
  const present = specs.filter((spec) => existingNames.has(spec.name));
  const partitionsAdded: string[] = [];
  if (present.length > 0) {
    const metadata = await admin.fetchTopicMetadata({ topics: present.map((s) => s.name) });
    const toGrow = present.filter((spec) => {
      const topic = metadata.topics.find((t) => t.name === spec.name);
      return topic !== undefined && topic.partitions.length < spec.partitions;
    });
    if (toGrow.length > 0) {
      await admin.createPartitions({
        topicPartitions: toGrow.map((s) => ({ topic: s.name, count: s.partitions })),
      });
      partitionsAdded.push(...toGrow.map((s) => s.name));
    }
  }
  return { created: missing.map((s) => s.name), existing: present.map((s) => s.name), partitionsAdded };
}

/**
 * Commits a consumer group's offsets at the topic's current end, so the group reads only what is
 * produced from now on (the demo and the test suites, which share topics with everything else). The
 * group must have no running members.
 */
export async function skipGroupToEnd(admin: Admin, groupId: string, topic: string): Promise<void> {
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.setOffsets({
    groupId,
    topic,
    partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })),
  });
}
