import { TOPICS, type RawCallEvent, type TopicSpec } from '@tokentally/contracts';
import {
  pseudonymiseRawIds,
  validateRawEvent,
  type PseudonymKey,
  type Rejection,
} from '@tokentally/domain-enrichment';
import { AvroProducer, AvroRegistry, createKafkaClient } from '@tokentally/platform-kafka';
import { createLogger, type Logger } from '@tokentally/platform-observability';

/** Thrown by record() before anything is sent: names the field and the reason code. */
export class InvalidCallEventError extends Error {
  readonly reason: Rejection['reason'];
  readonly field: string | undefined;

  constructor(rejection: Rejection) {
    super(
      `invalid call event: ${rejection.field ? `${rejection.field}: ` : ''}${rejection.message} (${rejection.reason})`,
    );
    this.name = 'InvalidCallEventError';
    this.reason = rejection.reason;
    this.field = rejection.field;
  }
}

export interface RecorderOptions {
  brokers: string[];
  registryUrl: string;
  clientId?: string;
  /** Flush when this many calls are buffered (default 500). */
  maxBatch?: number;
  /** ...or after this long (default 200 ms). */
  flushIntervalMs?: number;
  topic?: TopicSpec<RawCallEvent>;
  logger?: Logger;
  /**
   * The enricher's pseudonym key (PSEUDONYM_KEY_ID / PSEUDONYM_SECRET): user and tenant ids are then
   * replaced by their refs before they leave the process, so llm.calls.raw.v1 never holds a raw id.
   * Without it the enricher pseudonymises them (the raw topic keeps them for its retention).
   */
  pseudonymKey?: PseudonymKey;
}

/**
 * Publishes one raw call event per provider call. `record()` validates the envelope synchronously
 * (typed error naming the field) and buffers; buffered calls go out with `sendBatch`, keyed by
 * trace_id so a request's calls share a partition, on size or time. `flush()` waits for the broker's
 * acknowledgement; `close()` flushes and disconnects (call it on shutdown). The event_id makes
 * re-sends idempotent downstream.
 */
export class CallRecorder {
  private buffer: RawCallEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  private failure: Error | undefined;

  private constructor(
    private readonly producer: AvroProducer,
    private readonly topic: TopicSpec<RawCallEvent>,
    private readonly maxBatch: number,
    private readonly flushIntervalMs: number,
    private readonly logger: Logger,
    private readonly pseudonymKey: PseudonymKey | undefined,
  ) {}

  static async connect(options: RecorderOptions): Promise<CallRecorder> {
    const logger = options.logger ?? createLogger('tokentally-sdk', 'warn');
    const topic = options.topic ?? TOPICS.rawCalls;
    const kafka = createKafkaClient({
      clientId: options.clientId ?? 'tokentally-sdk',
      brokers: options.brokers,
      logger,
    });
    const registry = new AvroRegistry(options.registryUrl);
    await registry.registerWriters([topic]);
    const producer = new AvroProducer(kafka, registry);
    await producer.connect();
    return new CallRecorder(
      producer,
      topic,
      options.maxBatch ?? 500,
      options.flushIntervalMs ?? 200,
      logger,
      options.pseudonymKey,
    );
  }

  record(event: RawCallEvent, now: number = Date.now()): void {
    if (this.failure) throw this.failure;
    const valid = validateRawEvent(event, now);
    if (!valid.ok) throw new InvalidCallEventError(valid.rejection);
    this.buffer.push(this.pseudonymKey ? pseudonymiseRawIds(event, this.pseudonymKey) : event);
    if (this.buffer.length >= this.maxBatch) void this.startFlush();
    else this.timer ??= setTimeout(() => void this.startFlush(), this.flushIntervalMs);
  }

  /** Sends everything recorded so far and resolves when the broker has it. */
  async flush(): Promise<void> {
    await this.startFlush();
    if (this.failure) {
      const failure = this.failure;
      this.failure = undefined;
      throw failure;
    }
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.producer.disconnect();
    }
  }

  private startFlush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffer;
    this.buffer = [];
    // Sends are chained so batches leave in record() order.
    this.inFlight = this.inFlight.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.producer.send(
          this.topic,
          batch.map((value) => ({ key: value.trace_id, value })),
        );
      } catch (error) {
        this.logger.error('tokentally: sending recorded calls failed', { count: batch.length, error });
        this.failure = error instanceof Error ? error : new Error(String(error));
      }
    });
    return this.inFlight;
  }
}
