import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ensureArtifacts } from './artifacts';
import { kafkaLogFile, kafkaPid, kafkaReady, startKafka, stopKafka } from './kafka-broker';
import { StackError } from './processes';
import { ensurePostgres, ensureRedis, postgresReady, redisPing } from './postgres-redis';
import { provisionContracts } from './provision';
import {
  registryLogFile,
  registryPid,
  registryReady,
  startRegistry,
  stopRegistry,
} from './schema-registry-server';
import { STACK_DIR, kafkaBrokers, registryUrl, stackConfig } from './stack-config';

const HELP = `usage: npm run stack:<command>   (or: node tools/bin/ts.js deploy/local/stack.ts <command>)

Runs tokentally's infrastructure on loopback, without containers:
  up      resolve jars from Maven Central (first run), reuse or start PostgreSQL and Redis, start
          Kafka (KRaft) and Apicurio Registry, create topics and register schemas. Idempotent.
  down    stop the Kafka broker and the schema registry this stack started (PostgreSQL and Redis,
          machine services, are left running). Data stays in ${STACK_DIR}.
  status  health of every piece; exits 1 if any is down
  logs    last lines of the broker and registry logs (--follow to keep reading)

Settings (environment): KAFKA_PORT=9092 KAFKA_CONTROLLER_PORT=9093 KAFKA_HEAP=512m
  SCHEMA_REGISTRY_PORT=8081 SCHEMA_REGISTRY_MANAGEMENT_PORT=8091 SCHEMA_REGISTRY_HEAP=384m
  SCHEMA_REGISTRY_JAVA_HOME (a JDK 21+; found automatically under /usr/lib/jvm)
  TOKENTALLY_PG_ADMIN_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_PORT=6379
  TOKENTALLY_STACK_DIR=<repo>/.stack`;

const log = (line: string): void => console.log(`[stack] ${line}`);

export async function up(): Promise<void> {
  const started = Date.now();
  ensureArtifacts(log);
  await ensurePostgres(log);
  await ensureRedis(log);
  // The registry stores schemas in PostgreSQL (ready above); it and the broker start in parallel.
  await Promise.all([startKafka(log), startRegistry(log)]);
  await provisionContracts(log);
  log(
    `up in ${((Date.now() - started) / 1000).toFixed(1)} s: kafka ${kafkaBrokers().join(',')}, registry ${registryUrl()}`,
  );
}

async function down(): Promise<void> {
  const [registry, kafka] = await Promise.all([stopRegistry(), stopKafka()]);
  log(`schema-registry: ${registry ? 'stopped' : 'was not running (from this stack)'}`);
  log(`kafka: ${kafka ? 'stopped' : 'was not running (from this stack)'}`);
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

export async function status(): Promise<boolean> {
  // Probes run concurrently; each settles into a result at once so a down component is a row, not a crash.
  const settle = (probe: Promise<string>): Promise<{ ok: boolean; detail: string }> =>
    probe.then(
      (detail) => ({ ok: true, detail }),
      (error: unknown) => ({ ok: false, detail: describeError(error) }),
    );
  const rows: [string, string, Promise<{ ok: boolean; detail: string }>, number | undefined][] = [
    ['kafka', kafkaBrokers().join(','), settle(kafkaReady()), kafkaPid()],
    ['schema-registry', registryUrl(), settle(registryReady()), registryPid()],
    [
      'postgres',
      stackConfig.postgres.adminUrl.replace(/\/\/[^@]*@/, '//'),
      settle(postgresReady()),
      undefined,
    ],
    ['redis', `${stackConfig.redis.host}:${stackConfig.redis.port}`, settle(redisPing()), undefined],
  ];
  let healthy = true;
  console.log(
    `${'component'.padEnd(16)} ${'state'.padEnd(8)} ${'pid'.padEnd(8)} ${'endpoint'.padEnd(42)} detail`,
  );
  for (const [name, endpoint, probe, pid] of rows) {
    const result = await probe;
    healthy &&= result.ok;
    console.log(
      `${name.padEnd(16)} ${(result.ok ? 'healthy' : 'DOWN').padEnd(8)} ${String(pid ?? '-').padEnd(8)} ${endpoint.padEnd(42)} ${result.detail}`,
    );
  }
  return healthy;
}

function logs(follow: boolean): Promise<void> {
  const files = [kafkaLogFile, registryLogFile].filter((file) => existsSync(file));
  if (files.length === 0) {
    log('no logs yet: run npm run stack:up first');
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const tail = spawn('tail', ['-n', '40', ...(follow ? ['-F'] : []), ...files], { stdio: 'inherit' });
    tail.on('exit', () => resolve());
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const command = args.includes('--help') || args.includes('-h') ? 'help' : args[0];
  switch (command) {
    case 'up':
      return up();
    case 'down':
      return down();
    case 'status':
      if (!(await status())) process.exitCode = 1;
      return;
    case 'logs':
      return logs(process.argv.includes('--follow') || process.argv.includes('-f'));
    case undefined:
    case '--help':
    case 'help':
      console.log(HELP);
      return;
    default:
      console.error(`unknown command "${command}"\n\n${HELP}`);
      process.exitCode = 2;
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    if (error instanceof StackError) console.error(`[stack] error: ${error.message}`);
    else console.error(error);
    process.exit(1);
  });
}
