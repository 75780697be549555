import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, STACK_DIR, stackConfig } from './stack-config';
import { StackError, hasCommand } from './processes';

const POM = path.join(REPO_ROOT, 'deploy/local/pom.xml');
const STAMP = path.join(STACK_DIR, 'artifacts.sha256');

export function kafkaClasspath(): string {
  return path.join(stackConfig.kafka.dir, 'libs', '*');
}

export function registryJar(): string {
  return path.join(stackConfig.registry.dir, 'quarkus-run.jar');
}

/**
 * Resolves the broker's jars and the registry's runnable tarball from Maven Central through
 * deploy/local/pom.xml into .stack/ (git-ignored). Skipped when the pom is unchanged since the last
 * successful resolution and the files are there, so `stack:up` is cheap after the first time.
 */
export function ensureArtifacts(log: (line: string) => void): void {
  const pomHash = createHash('sha256').update(readFileSync(POM)).digest('hex');
  const present =
    existsSync(registryJar()) &&
    existsSync(path.join(stackConfig.kafka.dir, 'libs')) &&
    readdirSync(path.join(stackConfig.kafka.dir, 'libs')).some((f) => f.startsWith('kafka_2.13'));
  if (present && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === pomHash) return;
  if (!hasCommand('mvn')) {
    throw new StackError(
      'Maven (mvn) is needed once to fetch Kafka and the schema registry: apt-get install maven',
    );
  }
  log('resolving Kafka and Apicurio Registry from Maven Central (first run: ~300 MB, a minute or two)...');
  try {
    execFileSync(
      'mvn',
      ['-B', '-q', '-Dstyle.color=never', '-f', POM, `-Dstack.dir=${STACK_DIR}`, 'package'],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
  } catch {
    throw new StackError('mvn could not resolve the stack artifacts (see the Maven output above)');
  }
  if (!existsSync(registryJar()))
    throw new StackError(`the registry tarball did not contain ${registryJar()}`);
  writeFileSync(STAMP, pomHash);
}
