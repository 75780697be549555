import {
  TOPICS,
  type EnrichedCallEvent,
  type PricedCallEvent,
  type QuarantineRecord,
} from '@tokentally/contracts';
import { priceEnrichedCall } from '@tokentally/domain-pricing';
import type { RateBook } from '@tokentally/domain-pricing';
import type { LedgerWriter } from '@tokentally/domain-ledger';
import { type ConsumedRecord, type QuarantineSink, type RecordSender } from '@tokentally/platform-kafka';
import type { BudgetCheck } from './budget.check';
import type { PricerMetrics } from './pricer.metrics';

/** The current rate book (the RateBookCache in the service, a fixed book in fast tests). */
export interface RateBookSource {
  readonly current: RateBook;
}

export interface PricingResult {
  priced: number;
  duplicates: number;
  unknownRate: number;
  /** Resends of a booked event_id with other content: quarantined as CONFLICT, never booked. */
  conflicts: number;
}

/**
 * One consumed batch of enriched calls: price each (pure domain), write the ledger and its rollups in
 * one transaction, publish the priced events, quarantine what has no rate and what resends a booked
 * event_id with other content (CONFLICT). The consumer commits the offsets only after this resolves,
 * so a crash re-delivers the batch and the ledger's key absorbs it.
 */
export class PricingPipeline {
  constructor(
    private readonly ledger: LedgerWriter,
    private readonly rates: RateBookSource,
    private readonly producer: RecordSender,
    private readonly quarantine: QuarantineSink,
    private readonly metrics: PricerMetrics,
    private readonly budget: Pick<BudgetCheck, 'commit'>,
    private readonly clock: () => number = Date.now,
  ) {}

  async handle(records: readonly ConsumedRecord<EnrichedCallEvent>[]): Promise<PricingResult> {
    const book = this.rates.current;
    const now = this.clock();
    const priced: PricedCallEvent[] = [];
    const sources = new Map<PricedCallEvent, ConsumedRecord<EnrichedCallEvent>>();
    const unknown: QuarantineRecord[] = [];
    for (const record of records) {
      const outcome = priceEnrichedCall(record.value, book, now);
      if (outcome.ok) {
        priced.push(outcome.value);
        sources.set(outcome.value, record);
        continue;
      }
      unknown.push(this.quarantined(record, outcome.reason, outcome.message));
    }
    // every priced call goes to the ledger, repeats of an event_id too: the ledger tells a redelivery
    // (a duplicate) from a conflicting resend
    const { inserted, duplicates, conflicts } = await this.ledger.record(priced);
    const refused = new Set(conflicts.map((conflict) => conflict.event));
    const seen = new Set<string>();
    const events = priced.filter((event) => {
      if (refused.has(event) || seen.has(event.event_id)) return false;
      seen.add(event.event_id);
      return true;
    });
    // The ledger holds these calls now: free their budget reservations and count them (idempotent, so a
    // redelivered batch, whose rows were duplicates, is safe to commit again).
    await this.budget.commit(
      events.map((e) => ({
        eventId: e.event_id,
        occurredAt: e.occurred_at,
        teamId: e.team_id,
        feature: e.feature,
        environment: e.environment,
        totalNanos: BigInt(e.cost.total_nanos),
      })),
    );
    if (events.length > 0)
      await this.producer.send(
        TOPICS.pricedCalls,
        events.map((value) => ({ key: value.trace_id, value })),
      );
    const conflicting = conflicts.map(({ event, differences }) =>
      this.quarantined(
        sources.get(event) as ConsumedRecord<EnrichedCallEvent>,
        'CONFLICT',
        `event_id ${event.event_id} is already booked with other content (${differences.join('; ')}); the booked call stands`,
      ),
    );
    await this.quarantine.publish([...unknown, ...conflicting]);

    this.metrics.outcomes.inc({ outcome: 'priced' }, inserted);
    this.metrics.outcomes.inc({ outcome: 'duplicate' }, duplicates);
    this.metrics.outcomes.inc({ outcome: 'unknown_rate' }, unknown.length);
    this.metrics.outcomes.inc({ outcome: 'conflict' }, conflicts.length);
    const byProvider = new Map<string, number>();
    for (const event of events)
      byProvider.set(event.provider, (byProvider.get(event.provider) ?? 0) + event.cost.total_nanos);
    for (const [provider, nanos] of byProvider) this.metrics.pricedNanos.inc({ provider }, nanos);
    return { priced: inserted, duplicates, unknownRate: unknown.length, conflicts: conflicts.length };
  }

  private quarantined(
    record: ConsumedRecord<EnrichedCallEvent>,
    reason: QuarantineRecord['reason'],
    message: string,
  ): QuarantineRecord {
    return this.quarantine.fromConsumed(record, {
      event_id: record.value.event_id,
      trace_id: record.value.trace_id,
      reason,
      message,
    });
  }
}
