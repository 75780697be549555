import type { Admin } from 'kafkajs';

/**
 * Which assigned partitions have nothing waiting for this consumer group (committed offset at the
 * high watermark, or an empty partition never committed). Kafka delivers no batch for an empty
 * partition, so this is how the detector learns it must not hold event time back.
 */
export class PartitionLagReader {
  constructor(
    private readonly admin: Admin,
    private readonly groupId: string,
    private readonly topic: string,
  ) {}

  async caughtUp(partitions: readonly number[]): Promise<number[]> {
    if (partitions.length === 0) return [];
    const [ends, committed] = await Promise.all([
      this.admin.fetchTopicOffsets(this.topic),
      this.admin.fetchOffsets({ groupId: this.groupId, topics: [this.topic] }),
    ]);
    const done = new Map(
      (committed[0]?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)] as const),
    );
    return ends
      .filter((end) => partitions.includes(end.partition))
      .filter((end) => {
        const at = done.get(end.partition) ?? -1n;
        return at < 0n ? BigInt(end.high) === BigInt(end.low) : at >= BigInt(end.high);
      })
      .map((end) => end.partition);
  }
}
