import type { Admin, Kafka } from 'kafkajs';
import { TOPICS, type TopicSpec } from '@tokentally/contracts';
import {
  ledgerCompleteness,
  periodOf,
  type LedgerCompleteness,
  type PartitionProgress,
} from '@tokentally/domain-ledger';
import type { InsightsRepository } from '@tokentally/adapters-postgres-ledger';
import { readGroupProgress, type AvroRegistry, type GroupProgress } from '@tokentally/platform-kafka';
import type { Logger } from '@tokentally/platform-observability';
import type { ConsoleMetrics } from '../console.metrics';

export interface PipelineStatus {
  checked_at: string;
  groups: (GroupProgress & { through: string | null })[];
  ledger: LedgerCompleteness;
}

/** The call topics (values with occurred_at); those between ingest and the ledger gate its completeness. */
const TIMED: readonly TopicSpec<{ occurred_at: number }>[] = [
  TOPICS.rawCalls,
  TOPICS.enrichedCalls,
  TOPICS.pricedCalls,
];
const LEDGER_PATH = [TOPICS.rawCalls.name, TOPICS.enrichedCalls.name];

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
  ) {}

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
    const progress = await readGroupProgress(this.kafka, this.admin, this.registry, this.groups, TIMED);
    const now = this.clock();
    const rows = (groups: readonly GroupProgress[], topics: readonly string[]): PartitionProgress[] =>
      groups.flatMap((g) =>
        g.topics
          .filter((t) => topics.includes(t.topic))
          .flatMap((t) => t.partitions.map((p) => ({ group: g.group, topic: t.topic, ...p }))),
      );
    const ledger = ledgerCompleteness(rows(progress, LEDGER_PATH), now);
    if (ledger.complete_through) this.metrics.completeThrough.set(Date.parse(ledger.complete_through) / 1000);
    this.metrics.inFlight.set(ledger.in_flight);
    this.metrics.periodSpend.reset();
    for (const { team_id, nanos } of await this.insights.teamSpend(periodOf(now)))
      this.metrics.periodSpend.set({ team: team_id }, Number(nanos));
    const timedNames = TIMED.map((t) => t.name);
    return {
      checked_at: new Date(now).toISOString(),
      groups: progress.map((g) => ({
        ...g,
        // how far this group has handled the calls it reads (its own "complete through")
        through: ledgerCompleteness(rows([g], timedNames), now).complete_through,
      })),
      ledger,
    };
  }
}
