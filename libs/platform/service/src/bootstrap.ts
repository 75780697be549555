import 'reflect-metadata';
import type { Server } from 'node:http';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { TopicSpec } from '@tokentally/contracts';
import type { z } from 'zod';
import { ConfigError, loadConfig, type ServiceName, type serviceBaseEnv } from '@tokentally/platform-config';
import type { QuarantineStage } from '@tokentally/platform-kafka';
import { BrokerUnavailableFilter } from './broker-unavailable.filter';
import { mountDirectRoutes, type DirectRoute } from './direct-route';
import { KafkaAvroTransport } from './kafka-avro.transport';
import { NestLoggerAdapter } from './nest-logger';
import { ServiceRuntime, type ServiceDependencies } from './service-runtime';

/** What the platform reads of any service's config; the rest belongs to the service (its config.ts). */
type BaseConfig = z.infer<z.ZodObject<ReturnType<typeof serviceBaseEnv>>> & {
  DATABASE_URL?: string;
  DATABASE_POOL_SIZE?: number;
  REDIS_URL?: string;
  QUARANTINE_SEAL_KEY?: string;
};
/** A service's env schema: the shared base fields plus its own (services/<name>/src/config.ts). */
export type ServiceSchema = z.ZodObject & z.ZodType<BaseConfig>;
export type ConfigOf<S extends ServiceSchema> = z.infer<S>;

export interface ServiceDefinition<S extends ServiceSchema = ServiceSchema> {
  name: ServiceName;
  /** The service's own env schema, validated at start-up. */
  env: S;
  /** Topics this service writes (their schemas are registered at start). */
  produces: readonly TopicSpec<unknown>[];
  /** Set when the service quarantines what it cannot process. */
  quarantineStage?: QuarantineStage;
  /** Largest request body the HTTP API accepts (413 above). */
  jsonBodyLimitBytes?(config: ConfigOf<S>): number;
  /** Content types handed to controllers as raw Buffers (e.g. application/x-protobuf). */
  rawBodyTypes?: readonly string[];
  module(runtime: ServiceRuntime, config: ConfigOf<S>): DynamicModule;
  /** Hot routes Node answers before Express and Nest (see direct-route.ts), built from the app's providers. */
  directRoutes?(app: INestApplication, config: ConfigOf<S>): readonly DirectRoute[];
}

/** What a service connects to follows from its env schema: a DATABASE_URL means PostgreSQL, and so on. */
export function dependenciesOf<S extends ServiceSchema>(
  definition: ServiceDefinition<S>,
  config: BaseConfig,
): ServiceDependencies {
  return {
    kafka: {
      brokers: config.KAFKA_BROKERS,
      registryUrl: config.SCHEMA_REGISTRY_URL,
      clientId: config.KAFKA_CLIENT_ID ?? definition.name,
      consumerGroup: config.KAFKA_CONSUMER_GROUP ?? `tokentally-${definition.name}`,
      partitionsConcurrency: config.KAFKA_PARTITIONS_CONCURRENCY,
      produces: definition.produces,
    },
    ...(config.DATABASE_URL !== undefined
      ? { postgres: { url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE ?? 10 } }
      : {}),
    ...(config.REDIS_URL !== undefined ? { redis: { url: config.REDIS_URL } } : {}),
    ...(definition.quarantineStage ? { quarantineStage: definition.quarantineStage } : {}),
    ...(config.METRICS_TOKEN !== undefined ? { metricsToken: config.METRICS_TOKEN } : {}),
    ...(config.QUARANTINE_SEAL_KEY !== undefined ? { quarantineSealSecret: config.QUARANTINE_SEAL_KEY } : {}),
  };
}

/**
 * Start-up of every service: validate config, connect and migrate, build the Nest application
 * (HTTP + the Kafka/Avro transport), listen, and shut down gracefully on SIGTERM/SIGINT: consumers
 * finish and commit their batch in flight, then producers flush and connections close.
 */
export async function startService<S extends ServiceSchema>(
  definition: ServiceDefinition<S>,
  env: Record<string, string | undefined> = process.env,
): Promise<{ app: INestApplication; runtime: ServiceRuntime }> {
  const config = loadConfig(definition.name, definition.env, env);
  const runtime = new ServiceRuntime(definition.name, dependenciesOf(definition, config), config.LOG_LEVEL);
  await runtime.start();
  const app = await NestFactory.create<NestExpressApplication>(definition.module(runtime, config), {
    logger: new NestLoggerAdapter(runtime.logger),
    bufferLogs: false,
    bodyParser: false,
    rawBody: true, // parsed bodies keep their bytes: ingest checks they are UTF-8
  });
  app.useGlobalFilters(new BrokerUnavailableFilter());
  const limit = definition.jsonBodyLimitBytes?.(config) ?? 1_048_576;
  app.useBodyParser('json', { limit });
  if (definition.rawBodyTypes) app.useBodyParser('raw', { limit, type: [...definition.rawBodyTypes] });
  if (definition.directRoutes) mountDirectRoutes(app.getHttpServer(), definition.directRoutes(app, config));
  app.connectMicroservice({ strategy: new KafkaAvroTransport(runtime) }, { inheritAppConfig: true });
  await app.startAllMicroservices();
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  runtime.logger.info('ready', { http: `http://${config.HTTP_HOST}:${config.HTTP_PORT}`, pid: process.pid });
  return { app, runtime };
}

/**
 * Graceful stop on SIGTERM/SIGINT: app.close() stops the consumers (each finishes and commits its
 * batch in flight), closes HTTP, then the runtime flushes the producer and closes connections. The
 * process exits 0 afterwards (Nest's own hooks would re-raise the signal instead), or 1 if closing
 * fails or takes longer than the grace period.
 */
export function stopOnSignals(app: INestApplication, runtime: ServiceRuntime, graceMs = 25000): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    runtime.logger.info('stopping', { signal });
    const deadline = setTimeout(() => {
      runtime.logger.error('graceful stop exceeded its grace period', { graceMs });
      process.exit(1);
    }, graceMs);
    deadline.unref();
    drainHttp(app)
      .then(() => app.close())
      .then(
        () => {
          runtime.logger.info('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          runtime.logger.error('stop failed', { error });
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

/**
 * Stops HTTP fast: no new connections, idle keep-alive connections closed as soon as they are idle
 * (a busy ingest client keeps its connection alive indefinitely, which kept the enricher from stopping
 * for ~10 s), and whatever is still open after a short grace is cut (the client retries; consumers
 * deduplicate by event_id).
 */
function drainHttp(app: INestApplication, graceMs = 1000): Promise<void> {
  const server = app.getHttpServer() as Server;
  const idle = setInterval(() => server.closeIdleConnections(), 50);
  const cut = setTimeout(() => server.closeAllConnections(), graceMs);
  return new Promise<void>((resolve) => {
    // Resolves once every connection is gone: the requests in flight got their answers first.
    server.close(() => resolve());
    server.closeIdleConnections();
  }).finally(() => {
    clearInterval(idle);
    clearTimeout(cut);
  });
}

/** Entry-point wrapper: config errors print as a clean list, anything else with its message, exit 1. */
export function runService<S extends ServiceSchema>(definition: ServiceDefinition<S>): void {
  startService(definition)
    .then(({ app, runtime }) => stopOnSignals(app, runtime))
    .catch((error: unknown) => {
      if (error instanceof ConfigError) console.error(error.message);
      else
        console.error(
          `${definition.name} failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      process.exit(1);
    });
}
