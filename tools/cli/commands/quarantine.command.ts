import type { Command } from 'commander';
import { withProducer } from '../kafka';
import { type z } from 'zod';
import { TOPICS } from '@tokentally/contracts';
import {
  databaseEnv,
  deploymentEnv,
  kafkaEnv,
  loadConfig,
  quarantineSealEnv,
  serviceSchema,
} from '@tokentally/platform-config';
import {
  QuarantineRepository,
  createPool,
  type QuarantineFilter,
  type QuarantineRow,
} from '@tokentally/platform-db';
import { AvroRegistry, PayloadSeal } from '@tokentally/platform-kafka';

const env = serviceSchema({ ...deploymentEnv, ...databaseEnv, ...kafkaEnv, ...quarantineSealEnv });

interface FilterOptions {
  reason?: string;
  stage?: string;
  since?: string;
  event?: string;
  limit?: string;
  all?: boolean;
}

/** "2026-11-01", an ISO time, or a relative age such as 30m, 24h, 7d. */
export function parseSince(value: string, now = Date.now()): Date {
  const relative = /^(\d+)([mhd])$/.exec(value);
  if (relative) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 'm' | 'h' | 'd'];
    return new Date(now - Number(relative[1]) * unit);
  }
  const time = Date.parse(value);
  if (Number.isNaN(time))
    throw new Error(`--since "${value}" is neither a time (2026-11-01T00:00Z) nor an age (30m, 24h, 7d)`);
  return new Date(time);
}

function filterFrom(
  options: FilterOptions,
  pendingByDefault: boolean,
  defaultLimit: number,
): QuarantineFilter {
  const limit = options.limit === undefined ? defaultLimit : Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new Error(`--limit must be a positive whole number, got "${options.limit}"`);
  return {
    ...(options.reason ? { reason: options.reason.toUpperCase() } : {}),
    ...(options.stage ? { stage: options.stage } : {}),
    ...(options.since ? { since: parseSince(options.since) } : {}),
    ...(options.event ? { eventId: options.event } : {}),
    pending: pendingByDefault && !options.all,
    limit,
  };
}

function withFilters(command: Command): Command {
  return command
    .option('--reason <code>', 'reason code, e.g. MISSING_OWNER, INVALID_VALUE, UNDECODABLE')
    .option('--stage <stage>', 'ingest, enricher, pricer, reconciler')
    .option('--since <time>', 'quarantined at or after: ISO time or age (30m, 24h, 7d)')
    .option('--event <id>', 'one event id, or every id with a prefix: "batch-42-*"')
    .option('--limit <n>', 'at most this many records');
}

async function withRepository<T>(
  work: (repo: QuarantineRepository, config: z.infer<typeof env>) => Promise<T>,
): Promise<T> {
  const config = loadConfig('tally quarantine', env);
  const pool = createPool({ connectionString: config.DATABASE_URL, max: 2, applicationName: 'tally' });
  try {
    return await work(new QuarantineRepository(pool), config);
  } finally {
    await pool.end();
  }
}

function line(row: QuarantineRow): string {
  const when = row.quarantined_at.toISOString().replace('.000Z', 'Z');
  const replayed = row.replay_count > 0 ? ` (replayed ${row.replay_count}x)` : '';
  return `${row.quarantine_id}  ${when}  ${row.stage.padEnd(8)} ${row.reason.padEnd(16)} ${(row.event_id ?? '-').padEnd(36)} ${row.message.slice(0, 100)}${replayed}`;
}

export function registerQuarantineCommands(program: Command): void {
  const quarantine = program
    .command('quarantine')
    .description('events set aside with a reason: inspect and replay after a fix');

  withFilters(quarantine.command('list').description('quarantined events, oldest first'))
    .option('--all', 'include events already replayed')
    .option('--json', 'one JSON object per line')
    .action(async (options: FilterOptions & { json?: boolean }) => {
      await withRepository(async (repo) => {
        const filter = filterFrom(options, false, 100);
        const rows = await repo.list(filter);
        for (const row of rows) {
          if (options.json)
            console.log(
              JSON.stringify({
                ...row,
                original_payload: undefined,
                source_offset: row.source_offset?.toString(),
              }),
            );
          else console.log(line(row));
        }
        const matching = rows.length < (filter.limit ?? 0) ? rows.length : await repo.count(filter);
        const counts = await repo.countByReason();
        console.error(
          `${rows.length} of ${matching} matching shown${matching > rows.length ? ' (--limit shows more)' : ''}; ` +
            `all quarantined by reason: ${counts.map((c) => `${c.stage}/${c.reason}=${c.count}`).join(', ') || 'none'}`,
        );
      });
    });

  quarantine
    .command('show')
    .description('one quarantined event with its reason and decoded payload (raw user/tenant ids masked)')
    .argument('<quarantine_id>')
    .action(async (id: string) => {
      await withRepository(async (repo, config) => {
        const row = await repo.get(id);
        if (!row) throw new Error(`no quarantined event ${id} (tally quarantine list shows the ids)`);
        const { original_payload: payload, ...rest } = row;
        console.log(JSON.stringify({ ...rest, source_offset: row.source_offset?.toString() }, null, 2));
        const plain = row.sealed ? new PayloadSeal(config.QUARANTINE_SEAL_KEY).unseal(payload) : payload;
        if (row.payload_encoding === 'avro_confluent') {
          const registry = new AvroRegistry(config.SCHEMA_REGISTRY_URL);
          registry.useReaders([TOPICS.rawCalls]);
          const [decoded] = await registry.decodeBatch(TOPICS.rawCalls, [plain]);
          if (decoded?.ok) {
            const masked = {
              ...decoded.value,
              user_id: decoded.value.user_id ? '<masked>' : null,
              tenant_id: decoded.value.tenant_id ? '<masked>' : null,
            };
            console.log(`payload (Avro, schema ${decoded.schemaId}):\n${JSON.stringify(masked, null, 2)}`);
            return;
          }
        }
        console.log(
          `payload: ${plain.length} bytes (${row.payload_encoding}), not decodable as a raw call event`,
        );
      });
    });

  withFilters(
    quarantine
      .command('replay')
      .description('re-publish quarantined originals to their source topic (after fixing the cause)'),
  )
    .option('--all', 'also events replayed before')
    .option('--dry-run', 'show what would be replayed')
    .action(async (options: FilterOptions & { dryRun?: boolean }) => {
      await withRepository(async (repo, config) => {
        const filter = filterFrom(options, true, 10_000);
        const matching = await repo.count(filter);
        const rows = (await repo.list(filter)).filter((row) => row.payload_encoding === 'avro_confluent');
        console.log(
          `${rows.length} quarantined event(s) to replay${options.dryRun ? ' (dry run: nothing sent)' : ''}` +
            (matching > (filter.limit ?? 0)
              ? `; ${matching - rows.length} more match: run again or raise --limit`
              : ''),
        );
        if (options.dryRun || rows.length === 0) return;
        const seal = new PayloadSeal(config.QUARANTINE_SEAL_KEY);
        await withProducer('tally quarantine replay', [], async (producer) => {
          const chunk = 1000;
          for (let start = 0; start < rows.length; start += chunk) {
            const part = rows.slice(start, start + chunk);
            const byTopic = new Map<string, QuarantineRow[]>();
            for (const row of part)
              byTopic.set(row.source_topic ?? TOPICS.rawCalls.name, [
                ...(byTopic.get(row.source_topic ?? TOPICS.rawCalls.name) ?? []),
                row,
              ]);
            for (const [topic, topicRows] of byTopic) {
              await producer.sendEncoded(
                topic,
                topicRows.map((row) => ({
                  key: row.trace_id,
                  value: row.sealed ? seal.unseal(row.original_payload) : row.original_payload,
                  headers: { 'tokentally-replay-of': row.quarantine_id },
                })),
              );
            }
            await repo.markReplayed(part.map((row) => row.quarantine_id));
            console.log(`replayed ${Math.min(start + chunk, rows.length)}/${rows.length}`);
          }
        });
        console.log(
          'done: the enricher processes them again; events enriched before are dropped as duplicates',
        );
      });
    });
}
