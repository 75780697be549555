import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { ALL_TOPICS } from '@tokentally/contracts';
import { BatchConsumer, ConsumerLagMonitor, type ConsumedRecord } from '@tokentally/platform-kafka';
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
          handler: async (records: ConsumedRecord<unknown>[]) => {
            await lastValueFrom(this.transformToObservable(await handler(records)), {
              defaultValue: undefined,
            });
          },
        });
        await consumer.start();
        this.consumers.push(consumer);
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
    this.lagMonitor?.stop();
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
  }

  on(): void {
    throw new Error('KafkaAvroTransport does not emit events');
  }

  unwrap<T>(): T {
    return this.consumers as unknown as T;
  }
}
