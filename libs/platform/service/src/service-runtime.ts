import type { Admin, Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import type { Redis } from 'ioredis';
import { ALL_TOPICS, TOPICS, type TopicSpec } from '@tokentally/contracts';
import { QuarantineRepository, createPool, migrate, pingDatabase } from '@tokentally/platform-db';
import {
  AvroProducer,
  AvroRegistry,
  PayloadSeal,
  QuarantinePublisher,
  createKafkaClient,
  provisionTopics,
  type QuarantineStage,
} from '@tokentally/platform-kafka';
import { createRedisClient, pingRedis } from '@tokentally/platform-redis';
import { retryStartup } from './startup-retry';
import {
  HealthRegistry,
  ServiceMetrics,
  createLogger,
  type LogLevel,
  type Logger,
} from '@tokentally/platform-observability';

export interface ServiceDependencies {
  kafka?: {
    brokers: string[];
    registryUrl: string;
    clientId?: string;
    consumerGroup?: string;
    partitionsConcurrency?: number;
    produces: readonly TopicSpec<unknown>[];
  };
  postgres?: { url: string; poolSize: number };
  redis?: { url: string };
  /** Stage name used on quarantine records this service writes. */
  quarantineStage?: QuarantineStage;
  /** Encrypt quarantined originals with a key derived from this secret (they may hold raw ids). */
  quarantineSealSecret?: string;
  /** How long start-up waits for PostgreSQL, the broker and the registry to answer (default 120 s). */
  startupTimeoutMs?: number;
  /** When set, GET /metrics requires `Authorization: Bearer <this>` (it shows spend and volumes). */
  metricsToken?: string;
}

/**
 * Everything a service talks to, created once, checked by /health and closed in reverse order on
 * shutdown. Services receive it through NestJS injection; domain code never sees it.
 */
export class ServiceRuntime {
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  readonly health = new HealthRegistry();
  kafka?: Kafka;
  admin?: Admin;
  registry?: AvroRegistry;
  producer?: AvroProducer;
  quarantine?: QuarantinePublisher;
  pool?: Pool;
  redis?: Redis;

  constructor(
    readonly name: string,
    readonly deps: ServiceDependencies,
    logLevel: LogLevel = 'info',
  ) {
    this.logger = createLogger(name, logLevel);
    this.metrics = new ServiceMetrics(name);
  }

  async start(): Promise<void> {
    const { kafka, postgres, redis } = this.deps;
    const retry = {
      logger: this.logger,
      deadline: Date.now() + (this.deps.startupTimeoutMs ?? 120_000),
    };
    if (postgres) {
      this.pool = createPool({
        connectionString: postgres.url,
        max: postgres.poolSize,
        applicationName: this.name,
        onError: (error) => this.logger.warn('postgres connection lost; it is reopened on demand', { error }),
      });
      const pool = this.pool;
      const result = await retryStartup('postgres', () => migrate(pool), retry);
      if (result.applied.length > 0) this.logger.info('migrations applied', { applied: result.applied });
      this.health.register('postgres', () => pingDatabase(pool));
    }
    if (redis) {
      const client = createRedisClient(redis.url);
      await client.connect();
      this.redis = client;
      this.health.register('redis', () => pingRedis(client));
    }
    if (kafka) {
      this.kafka = createKafkaClient({
        clientId: kafka.clientId ?? this.name,
        brokers: kafka.brokers,
        logger: this.logger,
      });
      const admin = this.kafka.admin();
      this.admin = admin;
      await retryStartup(
        'kafka',
        async () => {
          await admin.connect();
          await provisionTopics(admin, ALL_TOPICS);
        },
        retry,
      );
      const avro = new AvroRegistry(kafka.registryUrl);
      this.registry = avro;
      const quarantineTopics = this.deps.quarantineStage ? [TOPICS.quarantine] : [];
      await retryStartup(
        'schema-registry',
        () => avro.registerWriters([...kafka.produces, ...quarantineTopics]),
        retry,
      );
      const producer = new AvroProducer(this.kafka, avro, this.metrics);
      this.producer = producer;
      await retryStartup('kafka producer', () => producer.connect(), retry);
      if (this.deps.quarantineStage) {
        const table = this.pool ? new QuarantineRepository(this.pool) : undefined;
        this.quarantine = new QuarantinePublisher(this.producer, {
          stage: this.deps.quarantineStage,
          metrics: this.metrics,
          ...(table ? { persist: (records) => table.insert(records) } : {}),
          ...(this.deps.quarantineSealSecret
            ? { seal: new PayloadSeal(this.deps.quarantineSealSecret) }
            : {}),
        });
      }
      const registry = this.registry;
      this.health.register('kafka', async () => {
        const cluster = await admin.describeCluster();
        return `${cluster.brokers.length} broker(s), controller ${cluster.controller ?? '?'}`;
      });
      this.health.register('schema-registry', () => registry.ping());
    }
  }

  async stop(): Promise<void> {
    await this.producer
      ?.disconnect()
      .catch((error: unknown) => this.logger.warn('producer disconnect failed', { error }));
    await this.admin?.disconnect().catch(() => undefined);
    await this.redis?.quit().catch(() => undefined);
    await this.pool?.end().catch(() => undefined);
  }
}
