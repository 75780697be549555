import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { TopicSpec } from '@tokentally/contracts';
import type { Logger, ServiceMetrics } from '@tokentally/platform-observability';
import type { AvroRegistry } from './avro-registry';
import type { DecodeError } from './errors';

export interface ConsumedRecord<T> {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: T;
  /** The message bytes as consumed (Confluent wire format), kept for quarantine and replay. */
  rawValue: Buffer;
  timestamp: string;
}

export interface PoisonMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  error: DecodeError;
}

export interface BatchContext {
  heartbeat(): Promise<void>;
}

export type BatchHandler<T> = (records: ConsumedRecord<T>[], context: BatchContext) => Promise<void>;
export type PoisonHandler = (messages: PoisonMessage[]) => Promise<void>;

export interface RetryPolicy {
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface BatchConsumerOptions<T> {
  groupId: string;
  topic: TopicSpec<T>;
  handler: BatchHandler<T>;
  /** The quarantine routing hook: messages that cannot be decoded go here, never to the handler. */
  onPoison: PoisonHandler;
  logger: Logger;
  metrics?: ServiceMetrics;
  fromBeginning?: boolean;
  retry?: Partial<RetryPolicy>;
  /** Partitions handled at once (default 1); each partition's offsets still commit after its own batch. */
  partitionsConcurrency?: number;
  /** Bounds the batch handed to the handler (kafkajs fetches by bytes). */
  maxBytesPerPartition?: number;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 6, initialDelayMs: 200, maxDelayMs: 5000 };

/**
 * At-least-once consumption with `eachBatch`. For each fetched batch: decode everything, route what
 * cannot be decoded to the poison hook, hand the rest to the handler, and only then commit the offset
 * after the batch's last message. A crash anywhere before the commit means the batch is delivered again,
 * so handlers must be idempotent (the ledger is keyed by event_id for exactly that reason).
 *
 * A failing handler is retried with exponential backoff while heartbeating (so the group does not
 * evict us); after the last attempt the error escapes, kafkajs restarts the consumer and the same
 * uncommitted batch is fetched again.
 */
export class BatchConsumer<T> {
  private readonly consumer: Consumer;
  private readonly retry: RetryPolicy;

  constructor(
    kafka: Kafka,
    private readonly registry: AvroRegistry,
    private readonly options: BatchConsumerOptions<T>,
  ) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30000,
      heartbeatInterval: 3000,
      maxBytesPerPartition: options.maxBytesPerPartition ?? 1048576,
    });
    registry.useReaders([options.topic]);
  }

  get groupId(): string {
    return this.options.groupId;
  }

  get topicName(): string {
    return this.options.topic.name;
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({
      topic: this.options.topic.name,
      fromBeginning: this.options.fromBeginning ?? true,
    });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConcurrency ?? 1,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  /** Graceful: kafkajs waits for the batch in flight to finish (and commit) before leaving the group. */
  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (batch.messages.length === 0 || !payload.isRunning() || payload.isStale()) return;
    const heartbeat = (): Promise<void> => payload.heartbeat();
    const { topic, logger, metrics } = { ...this.options, topic: this.options.topic };
    const started = process.hrtime.bigint();
    metrics?.eventsIn.inc({ topic: topic.name }, batch.messages.length);
    metrics?.batchSize.observe({ topic: topic.name }, batch.messages.length);

    const outcomes = await this.registry.decodeBatch(
      topic,
      batch.messages.map((m) => m.value),
    );
    const records: ConsumedRecord<T>[] = [];
    const poison: PoisonMessage[] = [];
    outcomes.forEach((outcome, index) => {
      const message = batch.messages[index] as KafkaMessage;
      const base = {
        topic: batch.topic,
        partition: batch.partition,
        offset: message.offset,
        key: message.key?.toString('utf8') ?? null,
      };
      if (outcome.ok)
        records.push({
          ...base,
          value: outcome.value,
          rawValue: message.value as Buffer,
          timestamp: message.timestamp,
        });
      else poison.push({ ...base, value: message.value, error: outcome.error });
    });

    await this.withRetry(async () => {
      if (poison.length > 0) await this.options.onPoison(poison);
      if (records.length > 0) await this.options.handler(records, { heartbeat });
    }, heartbeat);

    // Resolving moves kafkajs's in-memory fetch position (without it the same batch is fetched again);
    // committing makes the progress durable for the group. Both only after the batch was handled.
    payload.resolveOffset(batch.lastOffset());
    const nextOffset = (BigInt(batch.lastOffset()) + 1n).toString();
    await this.consumer.commitOffsets([
      { topic: batch.topic, partition: batch.partition, offset: nextOffset },
    ]);
    metrics?.processingSeconds.observe(
      { stage: topic.name },
      Number(process.hrtime.bigint() - started) / 1e9,
    );
    if (poison.length > 0)
      logger.warn('undecodable messages routed to quarantine', { topic: topic.name, count: poison.length });
  }

  private async withRetry(work: () => Promise<void>, heartbeat: () => Promise<void>): Promise<void> {
    let delay = this.retry.initialDelayMs;
    for (let attempt = 1; ; attempt++) {
      try {
        await work();
        return;
      } catch (error) {
        this.options.metrics?.handlerErrors.inc({ topic: this.options.topic.name });
        if (attempt >= this.retry.attempts) throw error;
        this.options.logger.warn('batch handler failed, retrying', {
          topic: this.options.topic.name,
          attempt,
          delayMs: delay,
          error,
        });
        await sleepWithHeartbeat(delay, heartbeat);
        delay = Math.min(delay * 2, this.retry.maxDelayMs);
      }
    }
  }
}

async function sleepWithHeartbeat(ms: number, heartbeat: () => Promise<void>): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(1000, until - Date.now())));
    await heartbeat();
  }
}
