import type { Kafka, Message, Producer, RecordMetadata } from 'kafkajs';
import type { TopicSpec } from '@tokentally/contracts';
import type { ServiceMetrics } from '@tokentally/platform-observability';
import type { AvroRegistry } from './avro-registry';
import { BrokerUnavailableError } from './errors';

export interface OutgoingRecord<T> {
  /** Partitioning key. On the call topics it is the trace_id, so one request's calls stay in order. */
  key: string;
  value: T;
  headers?: Record<string, string>;
}

const MAX_MESSAGES_PER_REQUEST = 1000;

/** What a pipeline needs of a producer (a port): fast tests pass an in-memory recorder instead. */
export type RecordSender = Pick<AvroProducer, 'send'>;

/**
 * kafkajs does no batching of its own, so callers hand over whole batches (typically the output of one
 * consumed batch) and this producer sends them with `sendBatch`, chunked to stay under the broker's
 * request size. acks=-1: a send resolves only once the broker has the records, which is what lets
 * consumers commit their input offsets afterwards without losing anything.
 */
export class AvroProducer {
  private readonly producer: Producer;
  private sendTimeoutMs: number | undefined;

  constructor(
    kafka: Kafka | Producer,
    private readonly registry: AvroRegistry,
    private readonly metrics?: ServiceMetrics,
  ) {
    // The idempotent producer of kafkajs is experimental and has produced OUT_OF_ORDER_SEQUENCE errors
    // under concurrent sends; duplicates from producer retries are absorbed downstream by event_id.
    this.producer =
      'producer' in kafka ? kafka.producer({ allowAutoTopicCreation: false, idempotent: false }) : kafka;
  }

  /**
   * The same connection, for a caller that is waiting (an HTTP request): a send that the broker has
   * not acknowledged within `ms` fails with BrokerUnavailableError instead of hanging through kafkajs's
   * retries (about 42 s with the broker down).
   */
  withDeadline(ms: number): AvroProducer {
    const view = new AvroProducer(this.producer, this.registry, this.metrics);
    view.sendTimeoutMs = ms;
    return view;
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
      results.push(...(await this.sendChunk(topic, chunk)));
    }
    this.metrics?.eventsOut.inc({ topic }, messages.length);
    return results;
  }

  private async sendChunk(topic: string, messages: Message[]): Promise<RecordMetadata[]> {
    const sending = this.producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages }] });
    const limit = this.sendTimeoutMs;
    if (limit === undefined) return sending;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new BrokerUnavailableError(`the broker did not acknowledge within ${limit} ms`, 5)),
        limit,
      );
    });
    // The abandoned send may still fail later: that failure is already answered by the deadline.
    sending.catch(() => undefined);
    try {
      return await Promise.race([sending, deadline]);
    } catch (error) {
      if (error instanceof BrokerUnavailableError) throw error;
      if (error instanceof Error && error.name.startsWith('KafkaJS'))
        throw new BrokerUnavailableError(`the broker refused the send: ${error.message}`, 5, {
          cause: error,
        });
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}
