import type { Admin, Kafka } from 'kafkajs';
import { ALL_TOPICS, type TopicSpec } from '@tokentally/contracts';
import {
  AvroProducer,
  AvroRegistry,
  createKafkaClient,
  provisionTopics,
  skipGroupToEnd,
} from '@tokentally/platform-kafka';
import { silentLogger } from '@tokentally/platform-observability';
import { stackEnv } from './stack-env';
import { isolatedTopic } from './topics';

/** Real broker + registry, private topics per suite or benchmark, everything torn down afterwards. */
export class KafkaHarness {
  readonly kafka: Kafka = createKafkaClient({
    clientId: 'tokentally-testing',
    brokers: stackEnv.brokers,
    logger: silentLogger,
  });
  readonly admin: Admin = this.kafka.admin();
  readonly registry = new AvroRegistry(stackEnv.registryUrl);
  readonly producer = new AvroProducer(this.kafka, this.registry);
  private readonly topics: TopicSpec<unknown>[] = [];

  async start(): Promise<void> {
    await this.admin.connect();
    await this.producer.connect();
    // The suites run on topics of their own (TOKENTALLY_TOPIC_PREFIX=test.): make sure they exist.
    await provisionTopics(this.admin, ALL_TOPICS);
    await this.registry.registerWriters(ALL_TOPICS);
  }

  async topic<T>(spec: TopicSpec<T>, label: string): Promise<TopicSpec<T>> {
    const topic = isolatedTopic(spec, label);
    await provisionTopics(this.admin, [topic]);
    await this.registry.registerWriters([topic]);
    this.topics.push(topic);
    return topic;
  }

  /** The group reads only what is produced from now on (start it after this). */
  async skipToEnd(groupId: string, topic: string): Promise<void> {
    await skipGroupToEnd(this.admin, groupId, topic);
  }

  async committedEqualsEnd(groupId: string, topic: string): Promise<boolean> {
    const [ends, committed] = await Promise.all([
      this.admin.fetchTopicOffsets(topic),
      this.admin.fetchOffsets({ groupId, topics: [topic] }),
    ]);
    const done = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, p.offset]));
    return ends.every((end) => end.high === '0' || done.get(end.partition) === end.high);
  }

  async stop(): Promise<void> {
    await this.producer.disconnect();
    if (this.topics.length > 0)
      await this.admin.deleteTopics({ topics: this.topics.map((t) => t.name) }).catch(() => undefined);
    for (const topic of this.topics) {
      await fetch(`${stackEnv.registryUrl}/subjects/${topic.subject}`, { method: 'DELETE' }).catch(
        () => undefined,
      );
    }
    await this.admin.disconnect();
  }
}
