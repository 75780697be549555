import type { Command } from 'commander';
import { z } from 'zod';
import { TOPICS } from '@tokentally/contracts';
import { ledgerCompleteness, type PartitionProgress } from '@tokentally/domain-ledger';
import { kafkaEnv, loadConfig } from '@tokentally/platform-config';
import {
  AvroRegistry,
  createKafkaClient,
  readGroupProgress,
  type GroupProgress,
} from '@tokentally/platform-kafka';
import { silentLogger } from '@tokentally/platform-observability';

const DEFAULT_GROUPS = ['tokentally-enricher', 'tokentally-pricer', 'tokentally-anomaly-detector'];
const TIMED = [TOPICS.rawCalls, TOPICS.enrichedCalls, TOPICS.pricedCalls];
const LEDGER_PATH = [TOPICS.rawCalls.name, TOPICS.enrichedCalls.name];

const rowsOf = (groups: readonly GroupProgress[], topics: readonly string[]): PartitionProgress[] =>
  groups.flatMap((g) =>
    g.topics
      .filter((t) => topics.includes(t.topic))
      .flatMap((t) => t.partitions.map((p) => ({ group: g.group, topic: t.topic, ...p }))),
  );

const utc = (iso: string | null): string => (iso ? `${iso.slice(0, 19).replace('T', ' ')} UTC` : 'unknown');

/** `tally lag`: consumer lag and how far each group (and the ledger) is complete, in the terminal. */
export function registerLagCommand(program: Command): void {
  program
    .command('lag')
    .description(
      'consumer lag per group and topic, and the event time each group (and the ledger) is complete through',
    )
    .option('--group <group...>', 'consumer groups to show', DEFAULT_GROUPS)
    .option('--partitions', 'one line per partition')
    .option('--format <format>', 'table or json', 'table')
    .action(async (options: { group: string[]; partitions?: boolean; format: string }) => {
      const config = loadConfig('tally lag', z.object(kafkaEnv));
      const kafka = createKafkaClient({
        clientId: 'tally',
        brokers: config.KAFKA_BROKERS,
        logger: silentLogger,
      });
      const admin = kafka.admin();
      await admin.connect();
      try {
        const registry = new AvroRegistry(config.SCHEMA_REGISTRY_URL);
        const groups = await readGroupProgress(kafka, admin, registry, options.group, TIMED);
        const now = Date.now();
        const ledger = ledgerCompleteness(rowsOf(groups, LEDGER_PATH), now);
        const through = (g: GroupProgress) =>
          ledgerCompleteness(
            rowsOf(
              [g],
              TIMED.map((t) => t.name),
            ),
            now,
          );
        if (options.format === 'json') {
          console.log(
            JSON.stringify({ groups: groups.map((g) => ({ ...g, through: through(g) })), ledger }, null, 2),
          );
          return;
        }
        console.log(
          `${'group'.padEnd(34)} ${'topic'.padEnd(30)} ${'part'.padStart(5)} ${'lag'.padStart(10)}  complete through`,
        );
        for (const g of groups) {
          if (g.topics.length === 0) console.log(`${g.group.padEnd(34)} (no committed offsets)`);
          const done = through(g);
          for (const t of g.topics) {
            const rows = options.partitions
              ? t.partitions.map((p) => [String(p.partition), p.lag, p.oldest_in_flight_ms] as const)
              : [['all', t.lag, null] as const];
            for (const [part, lag, oldest] of rows) {
              const when = options.partitions
                ? lag === 0
                  ? 'caught up'
                  : oldest === null
                    ? ''
                    : `oldest in flight ${utc(new Date(oldest).toISOString())}`
                : done.basis === 'caught_up'
                  ? 'now (caught up)'
                  : utc(done.complete_through);
              console.log(
                `${g.group.padEnd(34)} ${t.topic.padEnd(30)} ${part.padStart(5)} ${String(lag).padStart(10)}  ${when}`,
              );
            }
          }
        }
        console.log(
          ledger.basis === 'caught_up'
            ? `ledger complete through now (${utc(ledger.complete_through)}): nothing in flight`
            : `ledger complete through ${utc(ledger.complete_through)} (${ledger.in_flight} calls in flight)`,
        );
      } finally {
        await admin.disconnect();
      }
    });
}
