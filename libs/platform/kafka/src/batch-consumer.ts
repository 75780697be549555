import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { TopicSpec } from '@tokentally/contracts';
import type { Logger, ServiceMetrics } from '@tokentally/platform-observability';
import type { AvroRegistry } from './avro-registry';
import { ConsumerHealth } from './consumer-health';
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
  /** The batch's partition, its last offset and the partition's high watermark when it was fetched. */
  partition: number;
  lastOffset: string;
  highWatermark: string;
  /** Partitions of the topic assigned to this member at the last group join (a rebalance changes it). */
  assigned(): readonly number[];
}

export type BatchHandler<T> = (records: ConsumedRecord<T>[], context: BatchContext) => Promise<void>;
export type PoisonHandler = (messages: PoisonMessage[]) => Promise<void>;

export interface RetryPolicy {
  /** Failed attempts of one batch after which its partition is reported stalled (it keeps retrying). */
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
  /** How long the group waits for a silent member before giving its partitions away (default 10 s). */
  sessionTimeoutMs?: number;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 6, initialDelayMs: 200, maxDelayMs: 5000 };
/**
 * A member killed with -9 loses its partitions (and a restarted one can join) after at most this long,
 * instead of kafkajs's 30 s. Heartbeats go out every second, also while a batch is being handled, but a
 * timer cannot fire while the event loop is busy: on a starved 2-core box the broker's minimum (6 s)
 * expelled busy members mid-batch and the redelivery cost far more than 4 s of failover, so 10 s.
 */
export const DEFAULT_SESSION_TIMEOUT_MS = 10_000;
const HEARTBEAT_INTERVAL_MS = 1000;
/** An idle fetch returns after this long; it bounds how long a graceful stop waits for the fetch loop. */
const MAX_WAIT_MS = 500;

class StoppingError extends Error {
  constructor() {
    super('consumer is stopping; the batch is left uncommitted and will be redelivered');
  }
}

/**
 * At-least-once consumption with `eachBatch`. For each fetched batch: decode everything, route what
 * cannot be decoded to the poison hook, hand the rest to the handler, and only then commit the offset
 * after the batch's last message. A crash anywhere before the commit means the batch is delivered again,
 * so handlers must be idempotent (the ledger is keyed by event_id for exactly that reason).
 *
 * A failing batch (handler, quarantine or registry) is retried with exponential backoff, capped, for
 * as long as it fails, heartbeating meanwhile: a database or registry outage pauses the partition and
 * it resumes by itself. After `retry.attempts` failures the partition is reported stalled by health and
 * metrics. A stop ends the retries; what was not handled is not committed.
 */
export class BatchConsumer<T> {
  private readonly consumer: Consumer;
  private readonly retry: RetryPolicy;
  private assignment: readonly number[] = [];
  readonly health: ConsumerHealth;

  constructor(
    kafka: Kafka,
    private readonly registry: AvroRegistry,
    private readonly options: BatchConsumerOptions<T>,
  ) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.health = new ConsumerHealth(options.topic.name, this.retry.attempts);
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS,
      heartbeatInterval: HEARTBEAT_INTERVAL_MS,
      maxWaitTimeInMs: MAX_WAIT_MS,
      maxBytesPerPartition: options.maxBytesPerPartition ?? 1048576,
    });
    registry.useReaders([options.topic]);
    // kafkajs retries a failed join on its own (run() resolves anyway): follow its events instead.
    this.consumer.on(this.consumer.events.GROUP_JOIN, (event) => {
      this.assignment = [...(event.payload.memberAssignment[options.topic.name] ?? [])].sort((a, b) => a - b);
      this.health.started();
    });
    this.consumer.on(this.consumer.events.CRASH, (event) => {
      if (this.health.phase === 'starting') this.health.startFailed(event.payload.error);
    });
  }

  get groupId(): string {
    return this.options.groupId;
  }

  get topicName(): string {
    return this.options.topic.name;
  }

  /** Connects, subscribes and starts the group join (health says `starting` until it completed). */
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

  /**
   * Graceful: kafkajs lets the batch in flight finish, which commits it (see handleBatch), then the
   * consumer leaves the group so its partitions move at once instead of after the session timeout.
   */
  async stop(): Promise<void> {
    this.health.phase = 'stopping';
    await this.consumer.disconnect();
    this.health.phase = 'stopped';
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (batch.messages.length === 0 || !payload.isRunning() || payload.isStale()) return;
    const { topic, logger, metrics } = this.options;
    const started = process.hrtime.bigint();
    metrics?.eventsIn.inc({ topic: topic.name }, batch.messages.length);
    metrics?.batchSize.observe({ topic: topic.name }, batch.messages.length);

    // Heartbeats keep flowing while the batch is handled (kafkajs sends one only when asked).
    const heartbeat = (): Promise<void> => payload.heartbeat();
    const beating = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_INTERVAL_MS);
    let poisonCount = 0;
    try {
      poisonCount = await this.withRetry(batch.partition, batch.firstOffset() ?? '?', payload, () =>
        this.decodeAndHandle(payload),
      );
    } finally {
      clearInterval(beating);
    }

    // Resolving moves kafkajs's in-memory fetch position (without it the same batch is fetched again);
    // committing makes the progress durable for the group. Both only after the batch was handled.
    // The commit goes through the payload, not consumer.commitOffsets(): kafkajs's runner.stop() clears
    // its `running` flag before the batch in flight ends, and consumer.commitOffsets() then silently
    // does nothing, so a batch finished during a graceful stop would be redelivered after restart.
    payload.resolveOffset(batch.lastOffset());
    const nextOffset = (BigInt(batch.lastOffset()) + 1n).toString();
    await payload.commitOffsetsIfNecessary({
      topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: nextOffset }] }],
    });
    metrics?.processingSeconds.observe(
      { stage: topic.name },
      Number(process.hrtime.bigint() - started) / 1e9,
    );
    if (poisonCount > 0)
      logger.warn('undecodable messages routed to quarantine', { topic: topic.name, count: poisonCount });
  }

  /** Returns how many messages went to the poison hook. */
  private async decodeAndHandle(payload: EachBatchPayload): Promise<number> {
    const { batch } = payload;
    const outcomes = await this.registry.decodeBatch(
      this.options.topic,
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
    if (poison.length > 0) await this.options.onPoison(poison);
    if (records.length > 0)
      await this.options.handler(records, {
        heartbeat: () => payload.heartbeat(),
        partition: batch.partition,
        lastOffset: batch.lastOffset(),
        highWatermark: batch.highWatermark,
        assigned: () => this.assignment,
      });
    return poison.length;
  }

  private async withRetry<R>(
    partition: number,
    offset: string,
    payload: EachBatchPayload,
    work: () => Promise<R>,
  ): Promise<R> {
    const { topic, metrics, logger } = this.options;
    let delay = this.retry.initialDelayMs;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await work();
        if (this.health.stalledPartitions().includes(partition))
          logger.info('stalled partition recovered', { topic: topic.name, partition, attempts: attempt });
        this.health.succeeded(partition);
        metrics?.consumerStalled.set({ topic: topic.name, partition: String(partition) }, 0);
        return result;
      } catch (error) {
        metrics?.handlerErrors.inc({ topic: topic.name });
        const stalled = this.health.failed(partition, offset, error);
        if (stalled) metrics?.consumerStalled.set({ topic: topic.name, partition: String(partition) }, 1);
        const detail = {
          topic: topic.name,
          partition,
          offset,
          attempt,
          delayMs: delay,
          error,
        };
        if (stalled) logger.error('batch keeps failing, partition stalled; retrying', detail);
        else logger.warn('batch failed, retrying', detail);
        if (!payload.isRunning()) throw new StoppingError();
        await sleepWithHeartbeat(
          delay,
          () => payload.heartbeat(),
          () => payload.isRunning(),
        );
        if (!payload.isRunning() || payload.isStale()) throw new StoppingError();
        delay = Math.min(delay * 2, this.retry.maxDelayMs);
      }
    }
  }
}

async function sleepWithHeartbeat(
  ms: number,
  heartbeat: () => Promise<void>,
  running: () => boolean,
): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && running()) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(200, until - Date.now())));
    await heartbeat();
  }
}
