import { TOPICS, type AlertEvent, type PricedCallEvent } from '@tokentally/contracts';
import { FEEDBACK_VERDICTS, type AnomalyDetector, type FeedbackVerdict } from '@tokentally/domain-anomaly';
import type { AlertsRepository } from '@tokentally/adapters-postgres-alerts';
import type { AvroProducer, BatchContext, ConsumedRecord } from '@tokentally/platform-kafka';
import type { Logger } from '@tokentally/platform-observability';
import type { AnomalyDetectorMetrics } from './anomaly-detector.metrics';
import { callFactOf } from './inbound/call-fact.mapper';

/** Alert kinds the detector raises on a series (feedback on them suppresses that series). */
const SERIES_KINDS = new Set([
  'traffic_spike',
  'prompt_growth',
  'model_mix_shift',
  'retry_storm',
  'price_change',
  'new_feature',
  'spend_drop',
]);
import { alertEventOf } from './outbound/alert-event.mapper';
import type { BudgetChecker } from './outbound/budget.checker';
import type { DetectorStateStore } from './outbound/detector-state.store';
import type { PartitionLagReader } from './outbound/partition-lag.reader';
import { seedFromRollups } from './outbound/history.seeder';

export interface PipelineTimers {
  budgetCheckMs: number;
  /** How often, at most, Kafka is asked whether assigned partitions never read are empty. */
  lagCheckMs?: number;
}

/**
 * One consumed batch of priced calls: count them once (event_id per open minute), close the minutes
 * the teams' event time has passed, store what the detector decided in Postgres (idempotent key),
 * write the state to Redis in one transaction, check budgets, then send what the outbox holds. The
 * consumer commits offsets only after this resolves. `clock` only paces housekeeping (how often budgets
 * and feedback are read); every window, baseline and budget period follows occurred_at.
 */
export class AnomalyDetectorPipeline {
  private ready = false;
  private lastBudgetCheck = 0;
  private lastFeedbackPoll = new Date(0);
  private lastLagCheck = 0;
  private readonly pendingTeams = new Set<string>();
  private trailing: NodeJS.Timeout | undefined;

  constructor(
    private readonly detector: AnomalyDetector,
    private readonly store: DetectorStateStore,
    private readonly alerts: AlertsRepository,
    private readonly budgets: BudgetChecker,
    private readonly producer: AvroProducer,
    private readonly lag: PartitionLagReader | undefined,
    private readonly metrics: AnomalyDetectorMetrics,
    private readonly logger: Logger,
    private readonly timers: PipelineTimers,
    private readonly clock: () => number = Date.now,
  ) {}

  private queue: Promise<void> = Promise.resolve();

  /** Batches of different partitions arrive concurrently; the detector's state takes them one at a time. */
  handle(records: readonly ConsumedRecord<PricedCallEvent>[], context?: BatchContext): Promise<void> {
    const run = this.queue.then(() => this.handleOne(records, context));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async handleOne(
    records: readonly ConsumedRecord<PricedCallEvent>[],
    context: BatchContext | undefined,
  ): Promise<void> {
    const facts = records.map((r) => callFactOf(r.value));
    // event time is the slowest assigned partition with records waiting (PartitionWatermarks)
    if (context) this.detector.partitions.assign(context.assigned());
    if (!this.ready)
      await this.start(facts.reduce((min, f) => Math.min(min, f.occurred_at), Number.POSITIVE_INFINITY));
    await this.applyFeedback();
    const result = { accepted: [] as typeof facts, counted: 0, duplicates: 0, late: 0 };
    const byPartition = new Map<number, typeof facts>();
    records.forEach((r, i) =>
      byPartition.set(r.partition, [...(byPartition.get(r.partition) ?? []), facts[i]!]),
    );
    for (const [partition, list] of byPartition) {
      const one = this.detector.ingest(list, partition);
      result.accepted.push(...one.accepted);
      result.counted += one.counted;
      result.duplicates += one.duplicates;
      result.late += one.late;
    }
    if (context)
      this.detector.partitions.setCaughtUp(
        context.partition,
        BigInt(context.lastOffset) + 1n >= BigInt(context.highWatermark),
        this.clock(),
      );
    await this.checkUnreadPartitions();
    const decisions = this.detector.advance(this.clock());
    const events = decisions.map(alertEventOf);
    const inserted = await this.alerts.insert(events);
    for (const e of events)
      if (inserted.has(`${e.alert_id}#${e.revision}`))
        this.metrics.alerts.inc({ kind: e.kind, status: e.status });
    await this.store.save(this.detector, result.accepted);
    for (const fact of result.accepted) this.pendingTeams.add(fact.team);
    await this.checkBudgets(false);
    await this.publish();
    this.metrics.calls.inc({ outcome: 'counted' }, result.counted);
    this.metrics.calls.inc({ outcome: 'duplicate' }, result.duplicates);
    this.metrics.calls.inc({ outcome: 'late' }, result.late);
    this.metrics.series.set(this.detector.history.slots.size);
  }

  private async start(firstEventAt: number): Promise<void> {
    if (await this.store.load(this.detector)) {
      this.logger.info('detector state loaded from redis', { teams: this.detector.clocks.size });
    } else if (Number.isFinite(firstEventAt)) {
      const seeded = await seedFromRollups(this.detector, this.alerts, firstEventAt);
      this.logger.info('no detector state in redis: baselines seeded from the hourly rollups', seeded);
    }
    this.lastFeedbackPoll = new Date(this.clock() - 30 * 86_400_000);
    this.ready = true;
  }

  /** An assigned partition never read holds event time until Kafka says it has nothing waiting. */
  private async checkUnreadPartitions(): Promise<void> {
    const unknown = this.detector.partitions.unknown();
    if (!this.lag || unknown.length === 0) return;
    const now = this.clock();
    if (now - this.lastLagCheck < (this.timers.lagCheckMs ?? 1000)) return;
    this.lastLagCheck = now;
    for (const partition of await this.lag.caughtUp(unknown))
      this.detector.partitions.setCaughtUp(partition, true, now);
  }

  private async applyFeedback(): Promise<void> {
    const rows = await this.alerts.feedbackSince(this.lastFeedbackPoll);
    for (const row of rows) {
      if ((FEEDBACK_VERDICTS as readonly string[]).includes(row.verdict)) {
        // budget crossings and reconciliation differences are not series incidents: stored only
        const seriesAlert = row.series && row.kind && SERIES_KINDS.has(row.kind) && row.detected_at;
        this.detector.feedback(
          row.alert_id,
          row.verdict as FeedbackVerdict,
          undefined,
          seriesAlert
            ? {
                series: row.series!,
                direction: row.kind === 'spend_drop' ? 'down' : 'up',
                detected_at: row.detected_at!.getTime(),
              }
            : undefined,
        );
      }
      this.lastFeedbackPoll = row.created_at;
    }
  }

  /** Budgets are read at most every budgetCheckMs; a trailing check runs when traffic stops meanwhile. */
  private async checkBudgets(trailing: boolean): Promise<void> {
    if (this.pendingTeams.size === 0) return;
    const now = this.clock();
    if (!trailing && now - this.lastBudgetCheck < this.timers.budgetCheckMs) {
      if (!this.trailing) {
        this.trailing = setTimeout(() => {
          this.trailing = undefined;
          this.checkBudgets(true)
            .then(() => this.publish())
            .catch((error: unknown) =>
              this.logger.warn('budget check failed; retried on the next batch', { error }),
            );
        }, this.timers.budgetCheckMs);
        this.trailing.unref();
      }
      return;
    }
    this.lastBudgetCheck = now;
    const clocks = new Map<string, number>();
    for (const team of this.pendingTeams) {
      const watermark = this.detector.clocks.get(team)?.watermark;
      if (watermark !== undefined && Number.isFinite(watermark)) clocks.set(team, watermark);
    }
    this.pendingTeams.clear();
    const crossings = await this.budgets.check(clocks);
    const inserted = await this.alerts.insert(crossings);
    for (const e of crossings)
      if (inserted.has(`${e.alert_id}#${e.revision}`)) {
        this.metrics.alerts.inc({ kind: e.kind, status: e.status });
        this.logger.info('budget threshold crossed', {
          alert_id: e.alert_id,
          team: e.scope.team_id,
          threshold_bp: e.threshold_bp,
        });
      }
  }

  private async publish(): Promise<void> {
    for (;;) {
      const sent = await this.alerts.publishPending(async (batch: AlertEvent[]) => {
        await this.producer.send(
          TOPICS.alerts,
          batch.map((value) => ({ key: value.scope.team_id, value })),
        );
      });
      if (sent === 0) return;
    }
  }

  onModuleDestroy(): void {
    if (this.trailing) clearTimeout(this.trailing);
  }
}
