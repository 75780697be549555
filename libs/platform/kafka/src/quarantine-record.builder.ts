import { createHash } from 'node:crypto';
import type { QuarantineRecord } from '@tokentally/contracts';
import type { PayloadSeal } from './payload-seal';

export type QuarantineStage = QuarantineRecord['stage'];
export type QuarantineReason = QuarantineRecord['reason'];

/** Where a quarantined message was consumed: a decoded record and an undecodable one both fit. */
export interface SourceMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  /** The bytes as consumed (null for a tombstone). */
  value: Buffer | null;
}

/** Why it is quarantined, and what is known of it. */
export interface QuarantineCause {
  reason: QuarantineReason;
  message: string;
  event_id?: string | null;
  /** Defaults to the message key (the trace_id on call topics). */
  trace_id?: string | null;
  /** Defaults to `avro_confluent`: the bytes decoded, the content was refused. */
  payload_encoding?: QuarantineRecord['payload_encoding'];
}

export interface QuarantineRecordContext {
  stage: QuarantineStage;
  seal?: PayloadSeal;
  now: number;
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
 * The one way a consumed message becomes a quarantine record, whatever refused it (decoder,
 * enrichment, pricing): id from stage and source position, original bytes (sealed when a seal is
 * given), source coordinates, and the stage of the context rather than a literal at each call site.
 */
export function buildQuarantineRecord(
  source: SourceMessage,
  cause: QuarantineCause,
  context: QuarantineRecordContext,
): QuarantineRecord {
  const payload = source.value ?? Buffer.alloc(0);
  const emptyToNull = (value: string | null | undefined): string | null =>
    value === undefined || value === null || value === '' ? null : value;
  return {
    quarantine_id: quarantineIdFor(
      context.stage,
      source.topic,
      source.partition,
      source.offset,
      source.value,
    ),
    event_id: emptyToNull(cause.event_id),
    trace_id: emptyToNull(cause.trace_id) ?? source.key,
    stage: context.stage,
    reason: cause.reason,
    message: cause.message,
    source_topic: source.topic,
    source_partition: source.partition,
    source_offset: Number(source.offset),
    original_payload: context.seal ? context.seal.seal(payload) : payload,
    payload_encoding: cause.payload_encoding ?? 'avro_confluent',
    sealed: context.seal !== undefined,
    quarantined_at: context.now,
    attempts: 0,
  };
}
