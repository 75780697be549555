import type { Admin, Kafka } from 'kafkajs';
import type { TopicSpec } from '@tokentally/contracts';
import type { AvroRegistry } from './avro-registry';
import { peekMessages, type PeekRequest } from './partition-peek';

export interface PartitionProgressRow {
  partition: number;
  committed: string | null;
  end: string;
  lag: number;
  /** event time (epoch ms) of the first unhandled message, on timed topics with lag; else null */
  oldest_in_flight_ms: number | null;
}

export interface GroupProgress {
  group: string;
  topics: { topic: string; lag: number; partitions: PartitionProgressRow[] }[];
}

/**
 * Where each consumer group stands on every topic it has committed offsets for: lag per partition
 * (log end minus committed; the whole log when nothing is committed) and, on the timed topics (values
 * with an `occurred_at`), the event time of the first message not yet handled, read from the broker
 * (its Kafka timestamp when it does not decode).
 */
export async function readGroupProgress(
  kafka: Kafka,
  admin: Admin,
  registry: AvroRegistry,
  groups: readonly string[],
  timedTopics: readonly TopicSpec<{ occurred_at: number }>[],
): Promise<GroupProgress[]> {
  registry.useReaders(timedTopics);
  const timed = (topic: string) => timedTopics.find((t) => t.name === topic);
  const waiting: { row: PartitionProgressRow; request: PeekRequest }[] = [];
  const out: GroupProgress[] = [];
  const ends = new Map<string, Awaited<ReturnType<Admin['fetchTopicOffsets']>>>();
  for (const group of groups) {
    const topics: GroupProgress['topics'] = [];
    for (const { topic, partitions } of await admin.fetchOffsets({ groupId: group })) {
      if (!ends.has(topic)) ends.set(topic, await admin.fetchTopicOffsets(topic));
      const done = new Map(partitions.map((p) => [p.partition, p.offset]));
      const rows = (ends.get(topic) ?? []).map((end): PartitionProgressRow => {
        const offset = done.get(end.partition);
        const committed = offset === undefined || Number(offset) < 0 ? null : offset;
        const lag =
          committed === null
            ? Number(end.high) - Number(end.low)
            : Math.max(0, Number(end.high) - Number(committed));
        const row = { partition: end.partition, committed, end: end.high, lag, oldest_in_flight_ms: null };
        if (lag > 0 && timed(topic))
          waiting.push({ row, request: { topic, partition: end.partition, offset: committed ?? end.low } });
        return row;
      });
      rows.sort((a, b) => a.partition - b.partition);
      topics.push({ topic, lag: rows.reduce((s, r) => s + r.lag, 0), partitions: rows });
    }
    out.push({ group, topics });
  }
  const key = (p: PeekRequest): string => `${p.topic}/${p.partition}/${p.offset}`;
  const requests = [...new Map(waiting.map((w) => [key(w.request), w.request])).values()];
  for (const message of await peekMessages(kafka, admin, requests)) {
    const spec = timed(message.topic);
    const [decoded] = spec ? await registry.decodeBatch(spec, [message.value]).catch(() => []) : [];
    const at = decoded?.ok ? Number(decoded.value.occurred_at) : Number(message.timestamp);
    for (const w of waiting) if (key(w.request) === key(message)) w.row.oldest_in_flight_ms = at;
  }
  return out;
}
