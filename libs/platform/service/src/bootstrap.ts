import 'reflect-metadata';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { TopicSpec } from '@tokentally/contracts';
import { ConfigError, SERVICE_ENV, loadConfig, type ServiceName } from '@tokentally/platform-config';
import type { QuarantineStage } from '@tokentally/platform-kafka';
import { KafkaAvroTransport } from './kafka-avro.transport';
import { NestLoggerAdapter } from './nest-logger';
import { ServiceRuntime, type ServiceDependencies } from './service-runtime';

export type ConfigOf<N extends ServiceName> = ReturnType<(typeof SERVICE_ENV)[N]['parse']>;
type ServiceConfig = ConfigOf<ServiceName>;

export interface ServiceDefinition<N extends ServiceName = ServiceName> {
  name: N;
  /** Topics this service writes (their schemas are registered at start). */
  produces: readonly TopicSpec<unknown>[];
  /** Set when the service quarantines what it cannot process. */
  quarantineStage?: QuarantineStage;
  /** Largest request body the HTTP API accepts (413 above). */
  jsonBodyLimitBytes?(config: ConfigOf<N>): number;
  /** Content types handed to controllers as raw Buffers (e.g. application/x-protobuf). */
  rawBodyTypes?: readonly string[];
  module(runtime: ServiceRuntime, config: ConfigOf<N>): DynamicModule;
}

/** What a service connects to follows from its env schema: a DATABASE_URL means PostgreSQL, and so on. */
export function dependenciesOf<N extends ServiceName>(
  definition: ServiceDefinition<N>,
  config: ServiceConfig,
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
    ...('DATABASE_URL' in config
      ? { postgres: { url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE } }
      : {}),
    ...('REDIS_URL' in config ? { redis: { url: config.REDIS_URL } } : {}),
    ...(definition.quarantineStage ? { quarantineStage: definition.quarantineStage } : {}),
    ...('PSEUDONYM_SECRET' in config ? { quarantineSealSecret: config.PSEUDONYM_SECRET } : {}),
  };
}

/**
 * Start-up of every service: validate config, connect and migrate, build the Nest application
 * (HTTP + the Kafka/Avro transport), listen, and shut down gracefully on SIGTERM/SIGINT: consumers
 * finish and commit their batch in flight, then producers flush and connections close.
 */
export async function startService<N extends ServiceName>(
  definition: ServiceDefinition<N>,
  env: Record<string, string | undefined> = process.env,
): Promise<{ app: INestApplication; runtime: ServiceRuntime }> {
  const config = loadConfig(definition.name, SERVICE_ENV[definition.name], env) as ConfigOf<N>;
  const runtime = new ServiceRuntime(definition.name, dependenciesOf(definition, config), config.LOG_LEVEL);
  await runtime.start();
  const app = await NestFactory.create<NestExpressApplication>(definition.module(runtime, config), {
    logger: new NestLoggerAdapter(runtime.logger),
    bufferLogs: false,
    bodyParser: false,
    rawBody: true, // parsed bodies keep their bytes: ingest checks they are UTF-8
  });
  const limit = definition.jsonBodyLimitBytes?.(config) ?? 1_048_576;
  app.useBodyParser('json', { limit });
  if (definition.rawBodyTypes) app.useBodyParser('raw', { limit, type: [...definition.rawBodyTypes] });
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
    app.close().then(
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

/** Entry-point wrapper: config errors print as a clean list, anything else with its message, exit 1. */
export function runService<N extends ServiceName>(definition: ServiceDefinition<N>): void {
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
