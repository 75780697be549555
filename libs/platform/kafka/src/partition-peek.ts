import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';

export interface PeekRequest {
  topic: string;
  partition: number;
  /** the first offset wanted (e.g. a group's committed offset: its oldest unhandled message) */
  offset: string;
}

export interface PeekedMessage extends PeekRequest {
  /** offset of the message read: the first at or after the one asked for */
  read_offset: string;
  value: Buffer | null;
  /** Kafka message timestamp, epoch ms as a string */
  timestamp: string;
}

/**
 * Reads the first message at or after an offset of each asked partition, without joining or disturbing
 * any real consumer group: a throwaway group (never committing) seeks, reads one message per partition
 * and leaves, and is deleted. kafkajs has no assign-and-fetch API, so this costs one group join (the
 * local broker's initial rebalance delay is 0); callers do it on a timer, never per request.
 */
export async function peekMessages(
  kafka: Kafka,
  admin: Admin,
  requests: readonly PeekRequest[],
  timeoutMs = 8000,
): Promise<PeekedMessage[]> {
  if (requests.length === 0) return [];
  const groupId = `tokentally-peek-${randomUUID()}`;
  const wanted = new Map(requests.map((r) => [`${r.topic}/${r.partition}`, r]));
  const found = new Map<string, PeekedMessage>();
  const consumer = kafka.consumer({
    groupId,
    sessionTimeout: 10000,
    heartbeatInterval: 1000,
    maxWaitTimeInMs: 200,
  });
  let done: () => void = () => undefined;
  const complete = new Promise<void>((resolve) => (done = resolve));
  const timer = setTimeout(done, timeoutMs);
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...new Set(requests.map((r) => r.topic))], fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const key = `${batch.topic}/${batch.partition}`;
        const request = wanted.get(key);
        if (!request || found.has(key)) return;
        const message = batch.messages.find((m) => BigInt(m.offset) >= BigInt(request.offset));
        if (!message) return;
        found.set(key, {
          ...request,
          read_offset: message.offset,
          value: message.value,
          timestamp: message.timestamp,
        });
        consumer.pause([{ topic: batch.topic, partitions: [batch.partition] }]);
        if (found.size === wanted.size) done();
      },
    });
    for (const r of requests) consumer.seek({ topic: r.topic, partition: r.partition, offset: r.offset });
    await complete;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
  return [...found.values()];
}
