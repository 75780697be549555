import type { Admin, Kafka } from 'kafkajs';
import { TOPICS, type TopicSpec } from '@tokentally/contracts';
import {
  ledgerCompleteness,
  periodOf,
  type LedgerCompleteness,
  type PartitionProgress,
} from '@tokentally/domain-ledger';
import type { InsightsRepository } from '@tokentally/adapters-postgres-ledger';
import { peekMessages, type AvroRegistry, type PeekRequest } from '@tokentally/platform-kafka';
import type { Logger } from '@tokentally/platform-observability';
import type { ConsoleMetrics } from '../console.metrics';

export interface PartitionLag {
  partition: number;
  committed: string | null;
  end: string;
  lag: number;
}

export interface PipelineStatus {
  checked_at: string;
  groups: { group: string; topics: { topic: string; lag: number; partitions: PartitionLag[] }[] }[];
  ledger: LedgerCompleteness;
}

/** The topics between ingest and the ledger: a group's lag on them is calls not yet booked. */
const LEDGER_PATH: readonly TopicSpec<{ occurred_at: number }>[] = [TOPICS.rawCalls, TOPICS.enrichedCalls];
const onLedgerPath = (topic: string): TopicSpec<{ occurred_at: number }> | undefined =>
  LEDGER_PATH.find((t) => t.name === topic);

/**
 * Consumer lag of the watched groups and how complete the ledger is, refreshed on a timer (never per
 * request: finding the oldest call in flight reads one message per lagging partition), kept as a
 * snapshot for GET /v1/status and exported as metrics with the open period's spend per team.
 */
export class PipelineStatusMonitor {
  private snapshot: PipelineStatus | null = null;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;

  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly registry: AvroRegistry,
    private readonly insights: InsightsRepository,
    private readonly groups: readonly string[],
    private readonly metrics: ConsoleMetrics,
    private readonly logger: Logger,
    private readonly clock: () => number = Date.now,
  ) {
    this.registry.useReaders(LEDGER_PATH);
  }

  start(intervalMs: number): void {
    const tick = (): void => void this.refresh();
    tick();
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** The last snapshot; before the first refresh has finished, waits for it. */
  async current(): Promise<PipelineStatus> {
    if (!this.snapshot) await this.refresh();
    if (!this.snapshot) throw new Error('pipeline status is not available yet (broker unreachable?)');
    return this.snapshot;
  }

  refresh(): Promise<void> {
    this.running ??= this.load()
      .then((status) => {
        this.snapshot = status;
      })
      .catch((error: unknown) =>
        this.logger.warn('pipeline status refresh failed; keeping the last one', { error }),
      )
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async load(): Promise<PipelineStatus> {
    const groups: PipelineStatus['groups'] = [];
    const progress: (PartitionProgress & { offset: string })[] = [];
    for (const group of this.groups) {
      const topics: PipelineStatus['groups'][number]['topics'] = [];
      for (const { topic, partitions } of await this.admin.fetchOffsets({ groupId: group })) {
        const done = new Map(partitions.map((p) => [p.partition, p.offset]));
        const rows = (await this.admin.fetchTopicOffsets(topic)).map((end): PartitionLag => {
          const offset = done.get(end.partition);
          const committed = offset === undefined || Number(offset) < 0 ? null : offset;
          const lag =
            committed === null
              ? Number(end.high) - Number(end.low)
              : Math.max(0, Number(end.high) - Number(committed));
          if (onLedgerPath(topic))
            progress.push({
              group,
              topic,
              partition: end.partition,
              lag,
              oldest_in_flight_ms: null,
              offset: committed ?? end.low,
            });
          return { partition: end.partition, committed, end: end.high, lag };
        });
        topics.push({ topic, lag: rows.reduce((s, r) => s + r.lag, 0), partitions: rows });
      }
      groups.push({ group, topics });
    }
    await this.readEventTimes(progress.filter((p) => p.lag > 0));
    const now = this.clock();
    const ledger = ledgerCompleteness(progress, now);
    if (ledger.complete_through) this.metrics.completeThrough.set(Date.parse(ledger.complete_through) / 1000);
    this.metrics.inFlight.set(ledger.in_flight);
    this.metrics.periodSpend.reset();
    for (const { team_id, nanos } of await this.insights.teamSpend(periodOf(now)))
      this.metrics.periodSpend.set({ team: team_id }, Number(nanos));
    return { checked_at: new Date(now).toISOString(), groups, ledger };
  }

  /** The event time of each lagging partition's first unhandled call (its Kafka timestamp if it does not decode). */
  private async readEventTimes(lagging: (PartitionProgress & { offset: string })[]): Promise<void> {
    const key = (p: PeekRequest): string => `${p.topic}/${p.partition}/${p.offset}`;
    const requests = [...new Map(lagging.map((p) => [key(p), p])).values()].map(
      ({ topic, partition, offset }) => ({ topic, partition, offset }),
    );
    for (const message of await peekMessages(this.kafka, this.admin, requests)) {
      const spec = onLedgerPath(message.topic);
      const [decoded] = spec ? await this.registry.decodeBatch(spec, [message.value]).catch(() => []) : [];
      const at = decoded?.ok ? Number(decoded.value.occurred_at) : Number(message.timestamp);
      for (const p of lagging) if (key(p) === key(message)) p.oldest_in_flight_ms = at;
    }
  }
}
