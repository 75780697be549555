import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { StackError } from './processes';

function majorVersion(javaBin: string): number | undefined {
  // `java -version` prints to stderr.
  const result = spawnSync(javaBin, ['-version'], { encoding: 'utf8' });
  return result.status === 0 ? parseMajor(`${result.stdout}${result.stderr}`) : undefined;
}

function parseMajor(text: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(text);
  if (!match?.[1]) return undefined;
  const first = Number(match[1]);
  return first === 1 ? Number(match[2]) : first;
}

/**
 * Finds a java binary of at least `minMajor`: an explicit JAVA_HOME first, then the `java` on PATH,
 * then every JDK under /usr/lib/jvm (this machine kind ships OpenJDK 17 as default and a newer
 * Temurin beside it). Kafka 3.9 runs on 17; Apicurio Registry 3.3 needs 21+.
 */
export function findJava(minMajor: number, preferredHome?: string): { bin: string; major: number } {
  const candidates: string[] = [];
  if (preferredHome) candidates.push(path.join(preferredHome, 'bin', 'java'));
  if (process.env['JAVA_HOME']) candidates.push(path.join(process.env['JAVA_HOME'], 'bin', 'java'));
  candidates.push('java');
  if (existsSync('/usr/lib/jvm')) {
    for (const dir of readdirSync('/usr/lib/jvm').sort().reverse()) {
      const bin = path.join('/usr/lib/jvm', dir, 'bin', 'java');
      if (existsSync(bin)) candidates.push(bin);
    }
  }
  const seen: string[] = [];
  for (const bin of candidates) {
    const major = majorVersion(bin);
    if (major === undefined) continue;
    seen.push(`${bin} (${major})`);
    if (major >= minMajor) return { bin, major };
  }
  throw new StackError(
    `no Java ${minMajor}+ found (seen: ${seen.join(', ') || 'none'}). Install a JDK ${minMajor} or newer ` +
      `(e.g. apt-get install openjdk-${minMajor}-jre-headless where available) or point JAVA_HOME at one.`,
  );
}
