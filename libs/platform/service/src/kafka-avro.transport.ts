import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { ALL_TOPICS } from '@tokentally/contracts';
import {
  BatchConsumer,
  ConsumerLagMonitor,
  type BatchContext,
  type ConsumedRecord,
} from '@tokentally/platform-kafka';
import type { ServiceRuntime } from './service-runtime';

/**
 * A NestJS microservice transport for Avro batches. A controller method decorated with
 * `@EventPattern(TOPICS.x.name)` receives `ConsumedRecord<T>[]` (one Kafka fetch batch, decoded)
 * and returns a promise; the batch's offsets are committed only after it resolves. Undecodable
 * messages never reach the handler: they are routed to the quarantine topic.
 */
export class KafkaAvroTransport extends Server implements CustomTransportStrategy {
  private readonly consumers: BatchConsumer<unknown>[] = [];
  private lagMonitor?: ConsumerLagMonitor;
  private readonly starting: Promise<void>[] = [];
  private closing = false;

  constructor(private readonly runtime: ServiceRuntime) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const { kafka, registry, admin, quarantine } = this.runtime;
      if (this.messageHandlers.size > 0 && (!kafka || !registry || !admin || !quarantine)) {
        throw new Error('KafkaAvroTransport needs a runtime with kafka and a quarantineStage');
      }
      for (const [pattern, handler] of this.messageHandlers) {
        const topic = ALL_TOPICS.find((t) => t.name === pattern);
        if (!topic) throw new Error(`@EventPattern('${pattern}') names no topic of the contract registry`);
        const consumer = new BatchConsumer<unknown>(kafka!, registry!, {
          groupId: this.runtime.deps.kafka?.consumerGroup ?? `tokentally-${this.runtime.name}`,
          topic,
          logger: this.runtime.logger,
          metrics: this.runtime.metrics,
          partitionsConcurrency: this.runtime.deps.kafka?.partitionsConcurrency ?? 1,
          onPoison: (messages) => quarantine!.publishPoison(messages),
          // the batch context reaches a controller through `@Ctx()` (partition, offsets, assignment)
          handler: async (records: ConsumedRecord<unknown>[], context: BatchContext) => {
            await lastValueFrom(this.transformToObservable(await handler(records, context)), {
              defaultValue: undefined,
            });
          },
        });
        this.runtime.health.register(`consumer:${topic.name}`, () => consumer.health.check());
        this.consumers.push(consumer);
        // Not awaited: joining the group can wait out a dead predecessor's session, and HTTP ingest
        // (which needs only the producer) must answer meanwhile. /health says "joining" until then.
        this.starting.push(this.startWithRetry(consumer));
      }
      if (this.consumers.length > 0 && admin) {
        this.lagMonitor = new ConsumerLagMonitor(
          admin,
          this.consumers.map((c) => ({ groupId: c.groupId, topic: c.topicName })),
          this.runtime.metrics,
          this.runtime.logger,
        );
        this.lagMonitor.start();
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    this.lagMonitor?.stop();
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
    await Promise.all(this.starting);
  }

  /** Retries a consumer's start (broker or group coordinator not there yet) with capped backoff. */
  private async startWithRetry(consumer: BatchConsumer<unknown>): Promise<void> {
    let delay = 500;
    while (!this.closing) {
      try {
        await consumer.start();
        return;
      } catch (error) {
        if (this.closing) return;
        consumer.health.startFailed(error);
        this.runtime.logger.warn('consumer start failed, retrying', {
          topic: consumer.topicName,
          delayMs: delay,
          error,
        });
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 10000);
      }
    }
  }

  on(): void {
    throw new Error('KafkaAvroTransport does not emit events');
  }

  unwrap<T>(): T {
    return this.consumers as unknown as T;
  }
}
