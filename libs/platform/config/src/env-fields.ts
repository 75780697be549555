import { z } from 'zod';
import { devSecret, secret } from './secret-fields';

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

/** Where a process runs. Outside dev/test every secret must be a real one (see secret-fields.ts). */
export const ENVIRONMENTS = ['prod', 'staging', 'dev', 'test'] as const;
export type DeploymentEnvironment = (typeof ENVIRONMENTS)[number];

export const deploymentEnv = {
  // prod by default: a deployment that forgets the setting must not run on public dev secrets.
  TOKENTALLY_ENV: z
    .enum(ENVIRONMENTS)
    .default('prod')
    .describe(
      'Where the process runs: prod, staging, dev or test (npm start, the demo and the tests set dev/test); outside dev/test every secret must be set',
    ),
};

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
  DATABASE_URL: secret(
    url(
      'postgres://tokentally:tokentally@127.0.0.1:5432/tokentally',
      'PostgreSQL connection URL of the ledger database',
    ),
  ),
  DATABASE_POOL_SIZE: positiveInt(10, 'Maximum PostgreSQL connections per service'),
};

export const redisEnv = {
  REDIS_URL: secret(url('redis://127.0.0.1:6379', 'Redis URL for rolling baselines and caches')),
};

export const httpEnv = (defaultPort: number) => ({
  HTTP_PORT: port(defaultPort, 'Port of the service HTTP API (/health, /metrics, ...)'),
  HTTP_HOST: z
    .string()
    .default('127.0.0.1')
    .describe(
      'Interface the HTTP API binds to: loopback by default; 0.0.0.0 only behind a network boundary (containers, see README "Ports")',
    ),
  LOG_LEVEL: logLevel,
  METRICS_TOKEN: secret(
    z
      .string()
      .min(24)
      .optional()
      .describe(
        'Bearer token GET /metrics requires (Prometheus `authorization.credentials`); required outside dev/test when HTTP_HOST is not loopback',
      ),
  ),
});

/** What every service has: its environment, Kafka and the registry, an HTTP port and a log level. */
export const serviceBaseEnv = (defaultPort: number) => ({
  ...deploymentEnv,
  ...kafkaEnv,
  ...httpEnv(defaultPort),
});

/**
 * The key that seals quarantined originals (AES-256-GCM), shared by the quarantining service and the
 * replay CLI. A key of its own: knowing the pseudonym secret must not open quarantine, and the other
 * way round.
 */
export const quarantineSealEnv = {
  QUARANTINE_SEAL_KEY: devSecret(
    'tokentally-dev-only-quarantine-seal-key',
    'Key that seals quarantined originals (the enricher seals, `tally quarantine` opens); distinct from PSEUDONYM_SECRET',
  ),
};
