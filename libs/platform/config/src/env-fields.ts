import { z } from 'zod';

/** Reusable env fields: every service composes its schema from these, so names and defaults never fork. */
export const port = (fallback: number, description: string) =>
  z.coerce.number().int().min(1).max(65535).default(fallback).describe(description);

export const positiveInt = (fallback: number, description: string) =>
  z.coerce.number().int().positive().default(fallback).describe(description);

export const url = (fallback: string, description: string) =>
  z
    .string()
    .default(fallback)
    .refine((value) => URL.canParse(value), 'must be a URL')
    .describe(description);

export const logLevel = z
  .enum(['error', 'warn', 'info', 'debug'])
  .default('info')
  .describe('Log verbosity: error, warn, info or debug');

export const kafkaEnv = {
  KAFKA_BROKERS: z
    .string()
    .default('127.0.0.1:9092')
    .transform((value) => value.split(',').map((broker) => broker.trim()))
    .refine((brokers) => brokers.every((b) => /^[^:\s]+:\d+$/.test(b)), 'must be host:port[,host:port...]')
    .describe('Comma-separated Kafka bootstrap brokers (host:port)'),
  KAFKA_CLIENT_ID: z.string().optional().describe('Kafka client id (defaults to the service name)'),
  KAFKA_CONSUMER_GROUP: z
    .string()
    .optional()
    .describe(
      'Consumer group of the service (defaults to tokentally-<service>); a new group reads its topics from the start',
    ),
  KAFKA_PARTITIONS_CONCURRENCY: positiveInt(
    2,
    'Partitions whose batches a service handles at the same time (offsets still commit per partition after their batch)',
  ),
  SCHEMA_REGISTRY_URL: url(
    'http://127.0.0.1:8081/apis/ccompat/v7',
    'Confluent-compatible schema registry base URL',
  ),
};

export const databaseEnv = {
  DATABASE_URL: url(
    'postgres://tokentally:tokentally@127.0.0.1:5432/tokentally',
    'PostgreSQL connection URL of the ledger database',
  ),
  DATABASE_POOL_SIZE: positiveInt(10, 'Maximum PostgreSQL connections per service'),
};

export const redisEnv = {
  REDIS_URL: url('redis://127.0.0.1:6379', 'Redis URL for rolling baselines and caches'),
};

export const httpEnv = (defaultPort: number) => ({
  HTTP_PORT: port(defaultPort, 'Port of the service HTTP API (/health, /metrics, ...)'),
  HTTP_HOST: z.string().default('127.0.0.1').describe('Interface the HTTP API binds to'),
  LOG_LEVEL: logLevel,
});
