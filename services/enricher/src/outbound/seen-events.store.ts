import type { Redis } from 'ioredis';

/**
 * Remembers which raw events were enriched, so a redelivered batch (after a crash or a rebalance)
 * does not publish them twice. An id is marked only after its enriched event was acknowledged by the
 * broker: a crash in between yields a duplicate downstream (the ledger's event_id key absorbs it),
 * never a lost event.
 */
export class SeenEventsStore {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
  ) {}

  private key(eventId: string): string {
    return `tokentally:enricher:seen:${eventId}`;
  }

  async seen(eventIds: readonly string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const values = await this.redis.mget(eventIds.map((id) => this.key(id)));
    return new Set(eventIds.filter((_, index) => values[index] !== null));
  }

  async markSeen(eventIds: readonly string[]): Promise<void> {
    if (eventIds.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const id of eventIds) pipeline.set(this.key(id), '1', 'EX', this.ttlSeconds);
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error !== null);
    if (failed?.[0]) throw failed[0];
  }
}
