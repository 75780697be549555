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

/** Thrown by flush() and close() when calls could not be delivered after every retry; nothing is lost silently. */
export class UndeliveredCallsError extends Error {
  constructor(
    /** The calls the broker never acknowledged, in record() order: resend them or store them. */
    readonly undelivered: readonly RawCallEvent[],
    cause: unknown,
  ) {
    super(
      `tokentally: ${undelivered.length} recorded call(s) could not be delivered: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'UndeliveredCallsError';
  }
}

export interface RetryOptions {
  /** Sends of one batch before it counts as undelivered (default 5). */
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** Bound on one send attempt (default 10 s): a broker that does not answer is retried, not awaited. */
  sendTimeoutMs: number;
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
  retry?: Partial<RetryOptions>;
  /**
   * The enricher's pseudonym key (PSEUDONYM_KEY_ID / PSEUDONYM_SECRET): user and tenant ids are then
   * replaced by their refs before they leave the process, so llm.calls.raw.v1 never holds a raw id.
   * Without it the enricher pseudonymises them (the raw topic keeps them for its retention).
   */
  pseudonymKey?: PseudonymKey;
}

const DEFAULT_RETRY: RetryOptions = {
  attempts: 5,
  initialDelayMs: 250,
  maxDelayMs: 4000,
  sendTimeoutMs: 10000,
};

/**
 * Publishes one raw call event per provider call. `record()` validates the envelope synchronously
 * (typed error naming the field) and buffers; buffered calls go out with `sendBatch`, keyed by
 * trace_id so a request's calls share a partition, on size or time. A failed send is retried with
 * backoff (bounded); a batch that still fails is kept, not dropped: `flush()` and `close()` throw an
 * UndeliveredCallsError holding those calls, after a last attempt to deliver them. The event_id makes
 * re-sends idempotent downstream.
 */
export class CallRecorder {
  private buffer: RawCallEvent[] = [];
  private undelivered: RawCallEvent[] = [];
  private lastError: unknown;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();

  private constructor(
    private readonly producer: AvroProducer,
    private readonly topic: TopicSpec<RawCallEvent>,
    private readonly maxBatch: number,
    private readonly flushIntervalMs: number,
    private readonly logger: Logger,
    private readonly retry: RetryOptions,
    private readonly pseudonymKey: PseudonymKey | undefined,
  ) {}

  static async connect(options: RecorderOptions): Promise<CallRecorder> {
    const logger = options.logger ?? createLogger('tokentally-sdk', 'warn');
    const topic = options.topic ?? TOPICS.rawCalls;
    const retry = { ...DEFAULT_RETRY, ...options.retry };
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
      producer.withDeadline(retry.sendTimeoutMs),
      topic,
      options.maxBatch ?? 500,
      options.flushIntervalMs ?? 200,
      logger,
      retry,
      options.pseudonymKey,
    );
  }

  /** Calls that exhausted their retries and wait for the next flush() or close(). */
  get pending(): readonly RawCallEvent[] {
    return this.undelivered;
  }

  record(event: RawCallEvent, now: number = Date.now()): void {
    const valid = validateRawEvent(event, now);
    if (!valid.ok) throw new InvalidCallEventError(valid.rejection);
    this.buffer.push(this.pseudonymKey ? pseudonymiseRawIds(event, this.pseudonymKey) : event);
    if (this.buffer.length >= this.maxBatch) void this.startFlush();
    else this.timer ??= setTimeout(() => void this.startFlush(), this.flushIntervalMs);
  }

  /**
   * Sends everything recorded so far (and what failed before) and resolves when the broker has it;
   * throws UndeliveredCallsError with the calls that still could not be sent (they stay pending).
   */
  async flush(): Promise<void> {
    const earlier = this.undelivered;
    this.undelivered = [];
    this.buffer = [...earlier, ...this.buffer];
    await this.startFlush();
    if (this.undelivered.length > 0) throw new UndeliveredCallsError([...this.undelivered], this.lastError);
  }

  /** Flushes and disconnects; throws UndeliveredCallsError naming every call it could not deliver. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.producer.disconnect().catch(() => undefined);
    }
  }

  private startFlush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffer;
    this.buffer = [];
    // Sends are chained so batches leave in record() order.
    this.inFlight = this.inFlight.then(() => this.sendWithRetry(batch));
    return this.inFlight;
  }

  private async sendWithRetry(batch: RawCallEvent[]): Promise<void> {
    if (batch.length === 0) return;
    let delay = this.retry.initialDelayMs;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.producer.send(
          this.topic,
          batch.map((value) => ({ key: value.trace_id, value })),
        );
        return;
      } catch (error) {
        this.lastError = error;
        if (attempt >= this.retry.attempts) {
          this.logger.error(
            'tokentally: recorded calls not delivered after retries; kept for flush()/close()',
            {
              count: batch.length,
              attempts: attempt,
              error,
            },
          );
          this.undelivered.push(...batch);
          return;
        }
        this.logger.warn('tokentally: sending recorded calls failed, retrying', {
          count: batch.length,
          attempt,
          delayMs: delay,
          error,
        });
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, this.retry.maxDelayMs);
      }
    }
  }
}
