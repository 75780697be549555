import type { Admin } from 'kafkajs';
import type { Logger, ServiceMetrics } from '@tokentally/platform-observability';

/**
 * Consumer lag per topic-partition (log end offset minus committed offset), refreshed on an interval
 * rather than on scrape so a slow broker never slows /metrics down.
 */
export class ConsumerLagMonitor {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly admin: Admin,
    private readonly subscriptions: readonly { groupId: string; topic: string }[],
    private readonly metrics: ServiceMetrics,
    private readonly logger: Logger,
  ) {}

  start(intervalMs = 10000): void {
    const tick = (): void => {
      this.refresh().catch((error: unknown) => this.logger.debug('consumer lag refresh failed', { error }));
    };
    tick();
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async refresh(): Promise<Map<string, number>> {
    const lags = new Map<string, number>();
    for (const { groupId, topic } of this.subscriptions) {
      const [ends, committed] = await Promise.all([
        this.admin.fetchTopicOffsets(topic),
        this.admin.fetchOffsets({ groupId, topics: [topic] }),
      ]);
      const committedByPartition = new Map(
        (committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)] as const),
      );
      for (const end of ends) {
        const high = Number(end.high);
        const done = committedByPartition.get(end.partition) ?? -1;
        const lag = done < 0 ? high - Number(end.low) : Math.max(0, high - done);
        this.metrics.consumerLag.set({ group: groupId, topic, partition: String(end.partition) }, lag);
        lags.set(`${topic}/${end.partition}`, lag);
      }
    }
    return lags;
  }
}
