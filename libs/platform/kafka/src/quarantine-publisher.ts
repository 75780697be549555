import { TOPICS, type QuarantineRecord, type TopicSpec } from '@tokentally/contracts';
import type { ServiceMetrics } from '@tokentally/platform-observability';
import type { RecordSender } from './avro-producer';
import type { ConsumedRecord, PoisonMessage } from './batch-consumer';
import type { PayloadSeal } from './payload-seal';
import {
  buildQuarantineRecord,
  type QuarantineCause,
  type QuarantineStage,
  type SourceMessage,
} from './quarantine-record.builder';

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
 * The quarantine routing hook: what cannot be decoded, validated, attributed or priced is published to
 * the quarantine topic with its original bytes and a reason, so nothing is dropped and it can be
 * replayed after the cause is fixed. Keyed by the source key (the trace_id on call topics).
 */
export class QuarantinePublisher {
  private readonly topic: TopicSpec<QuarantineRecord>;
  private readonly clock: () => number;

  constructor(
    private readonly producer: RecordSender,
    private readonly options: QuarantineOptions,
  ) {
    this.topic = options.topic ?? TOPICS.quarantine;
    this.clock = options.clock ?? Date.now;
  }

  get stage(): QuarantineStage {
    return this.options.stage;
  }

  async publishPoison(messages: readonly PoisonMessage[]): Promise<void> {
    await this.publish(
      messages.map((message) =>
        this.fromMessage(message, {
          reason: message.error.reason,
          message: message.error.message,
          payload_encoding: message.error.reason === 'UNKNOWN_SCHEMA' ? 'avro_confluent' : 'unknown',
        }),
      ),
    );
  }

  /** The record for a decoded message that this stage refuses (its bytes are the consumed ones). */
  fromConsumed(record: ConsumedRecord<unknown>, cause: QuarantineCause): QuarantineRecord {
    return this.fromMessage({ ...record, value: record.rawValue }, cause);
  }

  /** The record for any consumed message, under this publisher's stage, seal and clock. */
  fromMessage(source: SourceMessage, cause: QuarantineCause): QuarantineRecord {
    return buildQuarantineRecord(source, cause, {
      stage: this.options.stage,
      now: this.clock(),
      ...(this.options.seal ? { seal: this.options.seal } : {}),
    });
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

/** What a pipeline needs of the quarantine (a port). */
export type QuarantineSink = Pick<QuarantinePublisher, 'fromConsumed' | 'publish'>;
