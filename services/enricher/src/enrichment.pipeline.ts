import {
  TOPICS,
  type EnrichedCallEvent,
  type QuarantineRecord,
  type RawCallEvent,
} from '@tokentally/contracts';
import {
  checkUtf8Loss,
  enrichCall,
  type Enforcement,
  type Enriched,
  type OrgSnapshot,
  type Outcome,
  type PseudonymKey,
} from '@tokentally/domain-enrichment';
import {
  type ConsumedRecord,
  type OutgoingRecord,
  type QuarantineSink,
  type RecordSender,
} from '@tokentally/platform-kafka';
import type { EnricherMetrics } from './enricher.metrics';
import type { QuarantinedEventsStore } from './outbound/quarantined-events.store';
import type { SeenEventsStore } from './outbound/seen-events.store';

/** Ports: the service passes Redis, the org cache and Kafka; fast tests pass in-memory fakes. */
export type SeenEvents = Pick<SeenEventsStore, 'seen' | 'markSeen'>;
export interface OrgSnapshotSource {
  readonly current: OrgSnapshot;
}

export interface PipelineSettings {
  enforcement: Record<RawCallEvent['environment'], Enforcement>;
  pseudonymKey: PseudonymKey;
}

export interface BatchResult {
  enriched: number;
  quarantined: number;
  duplicates: number;
}

/**
 * One consumed batch of raw calls: drop redeliveries, enrich or quarantine each call (pure domain
 * logic), publish both outputs, then remember what was enriched. The consumer commits the input
 * offsets only after this resolves, so a crash anywhere here re-delivers the batch.
 */
export class EnrichmentPipeline {
  constructor(
    private readonly producer: RecordSender,
    private readonly quarantine: QuarantineSink,
    private readonly seenEvents: SeenEvents,
    private readonly org: OrgSnapshotSource,
    private readonly settings: PipelineSettings,
    private readonly metrics: EnricherMetrics,
    private readonly quarantinedEvents: Pick<QuarantinedEventsStore, 'pending' | 'superseded'>,
    private readonly clock: () => number = Date.now,
  ) {}

  async handle(records: readonly ConsumedRecord<RawCallEvent>[]): Promise<BatchResult> {
    const alreadyEnriched = await this.seenEvents.seen([
      ...new Set(records.map((r) => r.value.event_id).filter((id) => id.trim() !== '')),
    ]);
    // Seen before, but set aside downstream since: a resend is a fix, not a redelivery.
    const awaitingFix =
      alreadyEnriched.size > 0
        ? await this.quarantinedEvents.pending([...alreadyEnriched])
        : new Map<string, string[]>();
    const superseded: string[] = [];
    const inBatch = new Set<string>();
    const enriched: OutgoingRecord<EnrichedCallEvent>[] = [];
    const quarantined: QuarantineRecord[] = [];
    let duplicates = 0;
    let redactions = 0;
    const now = this.clock();
    const org = this.org.current;
    for (const record of records) {
      const raw = record.value;
      // Only a real id can be a duplicate: blank ids are all different bad events, quarantined below.
      const hasId = raw.event_id.trim() !== '';
      const redelivery = alreadyEnriched.has(raw.event_id) && !awaitingFix.has(raw.event_id);
      if (hasId && (redelivery || inBatch.has(raw.event_id))) {
        duplicates += 1;
        continue;
      }
      if (hasId) inBatch.add(raw.event_id);
      const outcome: Outcome<Enriched> =
        checkUtf8Loss(raw, record.rawValue) ??
        enrichCall(raw, {
          now,
          org,
          enforcement: this.settings.enforcement[raw.environment],
          pseudonymKey: this.settings.pseudonymKey,
        });
      if (outcome.ok) {
        enriched.push({ key: raw.trace_id, value: outcome.value.event });
        superseded.push(...(awaitingFix.get(raw.event_id) ?? []));
        redactions += outcome.value.redactions;
        continue;
      }
      const { reason, field, message } = outcome.rejection;
      quarantined.push(
        this.quarantine.fromConsumed(record, {
          event_id: raw.event_id,
          trace_id: raw.trace_id,
          reason,
          message: field ? `${field}: ${message}` : message,
        }),
      );
    }
    if (enriched.length > 0) await this.producer.send(TOPICS.enrichedCalls, enriched);
    await this.quarantine.publish(quarantined);
    await this.seenEvents.markSeen(enriched.map((e) => e.value.event_id));
    await this.quarantinedEvents.superseded(superseded);

    this.metrics.outcomes.inc({ outcome: 'enriched' }, enriched.length);
    this.metrics.outcomes.inc({ outcome: 'quarantined' }, quarantined.length);
    this.metrics.outcomes.inc({ outcome: 'duplicate' }, duplicates);
    this.metrics.unattributed.inc(enriched.filter((e) => e.value.owner_source === 'unattributed').length);
    this.metrics.redactions.inc({ source: 'kafka' }, redactions);
    return { enriched: enriched.length, quarantined: quarantined.length, duplicates };
  }
}
