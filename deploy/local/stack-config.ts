import path from 'node:path';

const env = process.env;
const int = (name: string, fallback: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535)
    throw new Error(`${name} must be a port number, got "${raw}"`);
  return value;
};

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const STACK_DIR = path.resolve(env['TOKENTALLY_STACK_DIR'] ?? path.join(REPO_ROOT, '.stack'));

/** Every setting of the local stack, from environment variables with these defaults (see README). */
export const stackConfig = {
  kafka: {
    host: '127.0.0.1',
    port: int('KAFKA_PORT', 9092),
    controllerPort: int('KAFKA_CONTROLLER_PORT', 9093),
    heap: env['KAFKA_HEAP'] ?? '512m',
    dir: path.join(STACK_DIR, 'kafka'),
  },
  registry: {
    host: '127.0.0.1',
    port: int('SCHEMA_REGISTRY_PORT', 8081),
    managementPort: int('SCHEMA_REGISTRY_MANAGEMENT_PORT', 8091),
    heap: env['SCHEMA_REGISTRY_HEAP'] ?? '384m',
    dir: path.join(STACK_DIR, 'apicurio'),
    javaHome: env['SCHEMA_REGISTRY_JAVA_HOME'],
  },
  postgres: {
    adminUrl: env['TOKENTALLY_PG_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    role: 'tokentally',
    password: env['TOKENTALLY_PG_PASSWORD'] ?? 'tokentally',
    databases: [
      'tokentally',
      'tokentally_test',
      'tokentally_registry',
      'tokentally_demo',
      'tokentally_bench',
    ],
  },
  redis: {
    host: '127.0.0.1',
    port: int('REDIS_PORT', 6379),
  },
  logsDir: path.join(STACK_DIR, 'logs'),
};

export const registryUrl = (): string =>
  `http://${stackConfig.registry.host}:${stackConfig.registry.port}/apis/ccompat/v7`;
export const kafkaBrokers = (): string[] => [`${stackConfig.kafka.host}:${stackConfig.kafka.port}`];
