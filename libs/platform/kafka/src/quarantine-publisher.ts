import { createHash, randomUUID } from 'node:crypto';
import { TOPICS, type QuarantineRecord, type TopicSpec } from '@tokentally/contracts';
import type { ServiceMetrics } from '@tokentally/platform-observability';
import type { AvroProducer } from './avro-producer';
import type { PoisonMessage } from './batch-consumer';
import type { PayloadSeal } from './payload-seal';

export type QuarantineStage = QuarantineRecord['stage'];
export type QuarantineReason = QuarantineRecord['reason'];

export interface QuarantineOptions {
  stage: QuarantineStage;
  metrics?: ServiceMetrics;
  topic?: TopicSpec<QuarantineRecord>;
  /** Also keep the records elsewhere (the Postgres quarantine table), before the batch commits. */
  persist?: (records: readonly QuarantineRecord[]) => Promise<unknown>;
  /** Encrypts original payloads (they may hold raw user ids) before they leave the service. */
  seal?: PayloadSeal;
  clock?: () => number;
}

/**
 * Same source message, same quarantine id: a redelivered batch re-publishes records the table already
 * holds (and the table ignores them), instead of inventing new ones. The bytes are part of the
 * identity because offsets alone are reused when a topic or cluster is re-created.
 */
export function quarantineIdFor(
  stage: string,
  topic: string,
  partition: number,
  offset: string,
  payload: Buffer | null,
): string {
  const hex = createHash('sha256')
    .update(`${stage}|${topic}|${partition}|${offset}|`)
    .update(payload ?? Buffer.alloc(0))
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The quarantine routing hook: what cannot be decoded, validated, attributed or priced is published to
 * the quarantine topic with its original bytes and a reason, so nothing is dropped and it can be
 * replayed after the cause is fixed. Keyed by the source key (the trace_id on call topics).
 */
export class QuarantinePublisher {
  private readonly topic: TopicSpec<QuarantineRecord>;
  private readonly clock: () => number;

  constructor(
    private readonly producer: AvroProducer,
    private readonly options: QuarantineOptions,
  ) {
    this.topic = options.topic ?? TOPICS.quarantine;
    this.clock = options.clock ?? Date.now;
  }

  async publishPoison(messages: readonly PoisonMessage[]): Promise<void> {
    await this.publish(
      messages.map((message) =>
        this.record({
          quarantine_id: quarantineIdFor(
            this.options.stage,
            message.topic,
            message.partition,
            message.offset,
            message.value,
          ),
          event_id: null,
          trace_id: message.key,
          reason: message.error.reason,
          message: message.error.message,
          source_topic: message.topic,
          source_partition: message.partition,
          source_offset: Number(message.offset),
          original_payload: message.value ?? Buffer.alloc(0),
          payload_encoding: message.error.reason === 'UNKNOWN_SCHEMA' ? 'avro_confluent' : 'unknown',
        }),
      ),
    );
  }

  /** Fills in stage, time and defaults. */
  record(
    fields: Omit<QuarantineRecord, 'stage' | 'quarantined_at' | 'attempts' | 'quarantine_id' | 'sealed'> & {
      quarantine_id?: string;
    },
  ): QuarantineRecord {
    const seal = this.options.seal;
    return {
      ...fields,
      original_payload: seal ? seal.seal(fields.original_payload) : fields.original_payload,
      sealed: seal !== undefined,
      quarantine_id: fields.quarantine_id ?? randomUUID(),
      stage: this.options.stage,
      quarantined_at: this.clock(),
      attempts: 0,
    };
  }

  async publish(records: readonly QuarantineRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.producer.send(
      this.topic,
      records.map((value) => ({ key: value.trace_id ?? value.quarantine_id, value })),
    );
    await this.options.persist?.(records);
    for (const record of records)
      this.options.metrics?.eventsQuarantined.inc({ stage: record.stage, reason: record.reason });
  }
}
