import {
  TOPICS,
  type EnrichedCallEvent,
  type PricedCallEvent,
  type QuarantineRecord,
} from '@tokentally/contracts';
import { priceEnrichedCall } from '@tokentally/domain-pricing';
import type { LedgerRepository } from '@tokentally/platform-db';
import {
  quarantineIdFor,
  type AvroProducer,
  type ConsumedRecord,
  type QuarantinePublisher,
} from '@tokentally/platform-kafka';
import type { BudgetCheck } from './budget.check';
import type { RateBookCache } from './outbound/rate-book.cache';
import type { PricerMetrics } from './pricer.metrics';

export interface PricingResult {
  priced: number;
  duplicates: number;
  unknownRate: number;
}

/**
 * One consumed batch of enriched calls: price each (pure domain), write the ledger and its rollups in
 * one transaction, publish the priced events, quarantine what has no rate. The consumer commits the
 * offsets only after this resolves, so a crash re-delivers the batch and the ledger's key absorbs it.
 */
export class PricingPipeline {
  constructor(
    private readonly ledger: LedgerRepository,
    private readonly rates: RateBookCache,
    private readonly producer: AvroProducer,
    private readonly quarantine: QuarantinePublisher,
    private readonly metrics: PricerMetrics,
    private readonly budget: Pick<BudgetCheck, 'commit'>,
    private readonly clock: () => number = Date.now,
  ) {}

  async handle(records: readonly ConsumedRecord<EnrichedCallEvent>[]): Promise<PricingResult> {
    const book = this.rates.current;
    const now = this.clock();
    const priced = new Map<string, PricedCallEvent>();
    const unknown: QuarantineRecord[] = [];
    for (const record of records) {
      const outcome = priceEnrichedCall(record.value, book, now);
      if (outcome.ok) {
        priced.set(outcome.value.event_id, outcome.value);
        continue;
      }
      unknown.push(
        this.quarantine.record({
          quarantine_id: quarantineIdFor(
            'pricer',
            record.topic,
            record.partition,
            record.offset,
            record.rawValue,
          ),
          event_id: record.value.event_id,
          trace_id: record.value.trace_id,
          reason: outcome.reason,
          message: outcome.message,
          source_topic: record.topic,
          source_partition: record.partition,
          source_offset: Number(record.offset),
          original_payload: record.rawValue,
          payload_encoding: 'avro_confluent',
        }),
      );
    }
    const events = [...priced.values()];
    const { inserted, duplicates } = await this.ledger.record(events);
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
    await this.quarantine.publish(unknown);

    this.metrics.outcomes.inc({ outcome: 'priced' }, inserted);
    this.metrics.outcomes.inc({ outcome: 'duplicate' }, records.length - unknown.length - inserted);
    this.metrics.outcomes.inc({ outcome: 'unknown_rate' }, unknown.length);
    const byProvider = new Map<string, number>();
    for (const event of events)
      byProvider.set(event.provider, (byProvider.get(event.provider) ?? 0) + event.cost.total_nanos);
    for (const [provider, nanos] of byProvider) this.metrics.pricedNanos.inc({ provider }, nanos);
    return {
      priced: inserted,
      duplicates: duplicates + (records.length - unknown.length - events.length),
      unknownRate: unknown.length,
    };
  }
}
