import type { Kafka, Message, Producer, RecordMetadata } from 'kafkajs';
import type { TopicSpec } from '@tokentally/contracts';
import type { ServiceMetrics } from '@tokentally/platform-observability';
import type { AvroRegistry } from './avro-registry';

export interface OutgoingRecord<T> {
  /** Partitioning key. On the call topics it is the trace_id, so one request's calls stay in order. */
  key: string;
  value: T;
  headers?: Record<string, string>;
}

const MAX_MESSAGES_PER_REQUEST = 1000;

/**
 * kafkajs does no batching of its own, so callers hand over whole batches (typically the output of one
 * consumed batch) and this producer sends them with `sendBatch`, chunked to stay under the broker's
 * request size. acks=-1: a send resolves only once the broker has the records, which is what lets
 * consumers commit their input offsets afterwards without losing anything.
 */
export class AvroProducer {
  private readonly producer: Producer;

  constructor(
    kafka: Kafka,
    private readonly registry: AvroRegistry,
    private readonly metrics?: ServiceMetrics,
  ) {
    // The idempotent producer of kafkajs is experimental and has produced OUT_OF_ORDER_SEQUENCE errors
    // under concurrent sends; duplicates from producer retries are absorbed downstream by event_id.
    this.producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: false });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  async send<T>(spec: TopicSpec<T>, records: readonly OutgoingRecord<T>[]): Promise<RecordMetadata[]> {
    const messages: Message[] = records.map((record) => ({
      key: record.key,
      value: this.registry.encode(spec, record.value),
      ...(record.headers ? { headers: record.headers } : {}),
    }));
    return this.sendEncoded(spec.name, messages);
  }

  /** Sends already-encoded messages (used to re-inject quarantined originals byte for byte). */
  async sendEncoded(topic: string, messages: readonly Message[]): Promise<RecordMetadata[]> {
    const results: RecordMetadata[] = [];
    for (let start = 0; start < messages.length; start += MAX_MESSAGES_PER_REQUEST) {
      const chunk = messages.slice(start, start + MAX_MESSAGES_PER_REQUEST);
      results.push(
        ...(await this.producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages: chunk }] })),
      );
    }
    this.metrics?.eventsOut.inc({ topic }, messages.length);
    return results;
  }
}
