import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { registryJar } from './artifacts';
import { findJava } from './java';
import {
  StackError,
  describePortOwner,
  portHolder,
  readPid,
  spawnDetached,
  stopPid,
  waitFor,
} from './processes';
import { registryUrl, stackConfig } from './stack-config';

const cfg = stackConfig.registry;
const pidFile = path.join(cfg.dir, 'registry.pid');
export const registryLogFile = path.join(stackConfig.logsDir, 'schema-registry.log');

export async function registryReady(): Promise<string> {
  const health = await fetch(`http://${cfg.host}:${cfg.managementPort}/health/ready`, {
    signal: AbortSignal.timeout(2000),
  });
  if (!health.ok) throw new Error(`readiness answered HTTP ${health.status}`);
  const subjects = await fetch(`${registryUrl()}/subjects`, { signal: AbortSignal.timeout(2000) });
  if (!subjects.ok) throw new Error(`ccompat API answered HTTP ${subjects.status}`);
  return `${((await subjects.json()) as unknown[]).length} subjects`;
}

async function ccompatAnswers(): Promise<boolean> {
  const response = await fetch(`${registryUrl()}/subjects`, { signal: AbortSignal.timeout(1500) });
  return response.ok;
}

export function registryPid(): number | undefined {
  return readPid(pidFile);
}

/**
 * Apicurio Registry 3.3 serving the Confluent-compatible API, stored in PostgreSQL so schema ids
 * survive restarts (an in-memory registry would hand out new ids and orphan every message on disk).
 */
export async function startRegistry(log: (line: string) => void): Promise<void> {
  if (registryPid() !== undefined) {
    await waitFor(
      'schema registry',
      () => registryReady().then(() => true),
      90000,
      `See ${registryLogFile}.`,
    );
    return;
  }
  const holder = await portHolder(cfg.port, ccompatAnswers);
  if (holder === 'expected') {
    log(`schema-registry: reusing the registry already serving ${registryUrl()}`);
    return;
  }
  if (holder === 'other')
    throw new StackError(
      `port ${cfg.port} is taken by ${describePortOwner(cfg.port)}, which is not a schema registry. Stop it or set SCHEMA_REGISTRY_PORT.`,
    );
  const java = findJava(21, cfg.javaHome);
  mkdirSync(path.dirname(registryLogFile), { recursive: true });
  const pg = new URL(stackConfig.postgres.adminUrl);
  spawnDetached(
    java.bin,
    [
      `-Xmx${cfg.heap}`,
      '-XX:+UseSerialGC',
      `-Dquarkus.http.host=${cfg.host}`,
      `-Dquarkus.http.port=${cfg.port}`,
      `-Dquarkus.management.host=${cfg.host}`,
      `-Dquarkus.management.port=${cfg.managementPort}`,
      '-Dquarkus.log.level=WARN',
      '-Dquarkus.log.category."io.apicurio.registry.logging.audit".level=WARN',
      '-Dquarkus.http.access-log.enabled=false',
      '-Dapicurio.rules.global.compatibility=BACKWARD',
      '-Dapicurio.storage.kind=sql',
      '-Dapicurio.storage.sql.kind=postgresql',
      `-Dapicurio.datasource.url=jdbc:postgresql://${pg.hostname}:${pg.port || 5432}/tokentally_registry`,
      `-Dapicurio.datasource.username=${stackConfig.postgres.role}`,
      `-Dapicurio.datasource.password=${stackConfig.postgres.password}`,
      '-jar',
      registryJar(),
    ],
    { logFile: registryLogFile, pidFile, cwd: cfg.dir },
  );
  const ms = await waitFor(
    'schema registry',
    () => registryReady().then(() => true),
    90000,
    `See ${registryLogFile}.`,
  );
  log(`schema-registry: started on ${registryUrl()} (Java ${java.major}) in ${(ms / 1000).toFixed(1)} s`);
}

export async function stopRegistry(): Promise<boolean> {
  return stopPid(pidFile, 15000);
}
