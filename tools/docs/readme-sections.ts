import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ALL_TOPICS } from '@tokentally/contracts';
import { SERVICE_NAMES, describeConfig, type ServiceName } from '@tokentally/platform-config';
import type { z } from 'zod';
// Each service owns its env schema; tools may read these files (and nothing else of an app: the
// lint rule's `allow` list names exactly services/*/src/config).
import { anomalyDetectorEnv } from '../../services/anomaly-detector/src/config';
import { chargebackExporterEnv } from '../../services/chargeback-exporter/src/config';
import { enricherEnv } from '../../services/enricher/src/config';
import { pricerEnv } from '../../services/pricer/src/config';
import { reconcilerEnv } from '../../services/reconciler/src/config';

/**
 * README's configuration and topic tables are generated from the services' env schemas and the
 * contract topic registry, so the docs cannot drift from the code: `npm run docs` rewrites them and
 * the unit suite fails when they are stale.
 */
const README = path.resolve(__dirname, '../../README.md');
export const SERVICE_ENV: Record<ServiceName, z.ZodObject> = {
  enricher: enricherEnv,
  pricer: pricerEnv,
  'anomaly-detector': anomalyDetectorEnv,
  reconciler: reconcilerEnv,
  'chargeback-exporter': chargebackExporterEnv,
};
const SERVICES = SERVICE_NAMES.map((name) => [name, SERVICE_ENV[name]] as const);

export function configTable(): string {
  const rows = new Map<string, { defaults: Map<string, string[]>; description: string }>();
  for (const [service, schema] of SERVICES) {
    for (const variable of describeConfig(schema)) {
      const row = rows.get(variable.name) ?? {
        defaults: new Map<string, string[]>(),
        description: variable.description,
      };
      row.defaults.set(variable.default, [...(row.defaults.get(variable.default) ?? []), service]);
      rows.set(variable.name, row);
    }
  }
  const lines = ['| variable | default | used by | meaning |', '| --- | --- | --- | --- |'];
  for (const [name, row] of rows) {
    const services = [...row.defaults.values()].flat();
    const usedBy = services.length === SERVICES.length ? 'all services' : services.join(', ');
    const defaults =
      row.defaults.size === 1
        ? `\`${[...row.defaults.keys()][0]}\``
        : [...row.defaults].map(([value, names]) => `\`${value}\` (${names.join(', ')})`).join('<br>');
    lines.push(`| \`${name}\` | ${defaults} | ${usedBy} | ${row.description} |`);
  }
  return lines.join('\n');
}

export function topicTable(): string {
  const lines = [
    '| topic | value schema (subject) | partitions | retention | key |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const topic of ALL_TOPICS) {
    const days = Math.round(topic.retentionMs / 86_400_000);
    lines.push(
      `| \`${topic.name}\` | \`schemas/${topic.schemaFile}\` (\`${topic.subject}\`) | ${topic.partitions} | ${days} days | ${topic.keyDescription} |`,
    );
  }
  return lines.join('\n');
}

function replaceSection(text: string, marker: string, body: string): string {
  const start = `<!-- generated:${marker} -->`;
  const end = `<!-- /generated:${marker} -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md lacks the ${start} ... ${end} markers`);
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`;
}

/** The README with fresh tables, formatted as `prettier --write` would (so the format check agrees). */
export async function renderReadme(current: string): Promise<string> {
  const text = replaceSection(replaceSection(current, 'config', configTable()), 'topics', topicTable());
  // Loaded on use: prettier's module performs a dynamic import at load, which jest's VM refuses.
  const { format, resolveConfig } = await import('prettier');
  return format(text, { ...(await resolveConfig(README)), filepath: README });
}

async function main(): Promise<void> {
  const current = readFileSync(README, 'utf8');
  const next = await renderReadme(current);
  if (process.argv.includes('--check')) {
    if (next !== current) {
      console.error('README.md generated sections are stale: run `npm run docs`');
      process.exit(1);
    }
    return;
  }
  writeFileSync(README, next);
  console.log('README.md: configuration and topic tables regenerated');
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
