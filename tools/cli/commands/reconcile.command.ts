import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { TOPICS } from '@tokentally/contracts';
import { formatUsd } from '@tokentally/domain-money';
import { PriceCatalog, rateBookFrom } from '@tokentally/domain-pricing';
import {
  IMPORT_FORMATS,
  cellResultFrom,
  exportContent,
  fxReferenceFrom,
  importAndReconcile,
  isImportFormat,
  monthResults,
  providerCostEvent,
  rateLookupFrom,
  reconciliationEvent,
  runReconciliation,
  type CellResult,
  type ReconcileOptions,
  type ReconciliationRun,
} from '@tokentally/domain-reconciliation';
import { RatesRepository } from '@tokentally/adapters-postgres-ledger';
import { ReconciliationRepository, reconciliationStores } from '@tokentally/adapters-postgres-reconciliation';
import type { Pool } from 'pg';
import { withDatabase } from '../database';
import { withProducer } from '../kafka';
import { registerReconcileFetch } from './reconcile-fetch.command';

export interface Tolerances {
  toleranceBp: string;
  monthToleranceBp: string;
}

export async function optionsFor(pool: Pool, tolerances: Tolerances): Promise<ReconcileOptions> {
  const stored = await new RatesRepository(pool).load();
  const book = rateBookFrom(stored.cards, stored.fx, new PriceCatalog());
  const bp = (value: string, name: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number of basis points`);
    return n;
  };
  return {
    now: Date.now(),
    cellToleranceBp: bp(tolerances.toleranceBp, '--tolerance-bp'),
    monthToleranceBp: bp(tolerances.monthToleranceBp, '--month-tolerance-bp'),
    rates: rateLookupFrom(book),
    fxReference: fxReferenceFrom(book),
  };
}

export function day(value: string, option: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))
    throw new Error(`${option} "${value}" must be a UTC day, YYYY-MM-DD`);
  return value;
}

export function printCells(cells: readonly CellResult[], openOnly: boolean): void {
  for (const c of cells) {
    if (openOnly && (c.status === 'matched' || c.status === 'within_tolerance')) continue;
    console.log(
      `${c.usageDate}  ${c.provider}/${c.accountId}  ${c.model}  ${c.tokenType ?? 'all'}  provider ${formatUsd(c.providerNanos)}  ledger ${formatUsd(c.ledgerNanos)}  delta ${c.deltaNanos} nanos (${c.deltaBp} bp)  ${c.status}${c.provisional ? ' (provisional)' : ''}`,
    );
    for (const e of c.explanations)
      console.log(`    ${e.class.padEnd(24)} ${String(e.nanos).padStart(16)} nanos  ${e.detail}`);
    if (c.unexplainedNanos !== 0n)
      console.log(`    ${'unexplained'.padEnd(24)} ${String(c.unexplainedNanos).padStart(16)} nanos`);
  }
}

export async function publishRun(
  run: ReconciliationRun,
  changed: Parameters<typeof providerCostEvent>[] = [],
): Promise<void> {
  await withProducer(
    'tally reconcile',
    [TOPICS.providerCosts, TOPICS.reconciliation, TOPICS.alerts],
    async (producer) => {
      const at = Date.now();
      if (changed.length > 0)
        await producer.send(
          TOPICS.providerCosts,
          changed.map(([line, revision, correction]) => ({
            key: `${line.provider}:${line.accountId}`,
            value: providerCostEvent(line, revision, correction, at),
          })),
        );
      if (run.cells.length > 0)
        await producer.send(
          TOPICS.reconciliation,
          run.cells.map((c) => ({ key: `${c.provider}:${c.accountId}`, value: reconciliationEvent(c, at) })),
        );
      if (run.alerts.length > 0)
        await producer.send(
          TOPICS.alerts,
          run.alerts.map((a) => ({ key: a.scope.team_id, value: a })),
        );
    },
  );
}

export function registerReconcileCommands(program: Command): void {
  const reconcile = program
    .command('reconcile')
    .description(
      'provider exports against the ledger: import, re-run, status and the cells with their named differences',
    );
  const tolerance = (command: Command): Command =>
    command
      .option('--tolerance-bp <bp>', 'tolerance per cell, basis points', '100')
      .option('--month-tolerance-bp <bp>', 'tolerance per account and month, basis points', '10');

  tolerance(
    reconcile
      .command('import')
      .description(
        'import a provider export (idempotent; a restated day becomes a correction) and reconcile its days',
      )
      .argument('<file>')
      .requiredOption('--format <format>', Object.keys(IMPORT_FORMATS).join(', '))
      .option(
        '--account <account>',
        'account to book lines under when the export names none (OpenAI, Anthropic org)',
      )
      .option(
        '--provider <provider>',
        'canonical provider of a FOCUS file (openai, anthropic, bedrock, google, azure_openai, ...)',
      )
      .option('--no-publish', 'store and reconcile only; publish nothing on Kafka'),
  ).action(
    async (
      file: string,
      options: Tolerances & { format: string; account?: string; provider?: string; publish: boolean },
    ) => {
      if (!isImportFormat(options.format))
        throw new Error(`--format must be one of ${Object.keys(IMPORT_FORMATS).join(', ')}`);
      const content = await exportContent(readFileSync(file), options.format).catch((error: unknown) => {
        throw new Error(`${basename(file)}: ${(error as Error).message}`);
      });
      await withDatabase('tally reconcile import', async (pool) => {
        const summary = await importAndReconcile(
          reconciliationStores(pool),
          options.format as keyof typeof IMPORT_FORMATS,
          content,
          {
            fileName: basename(file),
            ...(options.account ? { accountId: options.account } : {}),
            ...(options.provider ? { provider: options.provider } : {}),
          },
          await optionsFor(pool, options),
        );
        console.log(
          `${basename(file)}: ${summary.lines} lines (${summary.inserted} new, ${summary.corrected} corrected, ${summary.unchanged} unchanged), ${summary.skipped.length} rows skipped`,
        );
        for (const skip of summary.skipped.slice(0, 5))
          console.log(`  skipped row ${skip.row}: ${skip.reason}`);
        for (const c of summary.changed.filter((x) => x.revision > 1))
          console.log(
            `  correction: line ${c.line.lineId} revision ${c.revision}, ${c.correctionNanos} nanos`,
          );
        if (!summary.run) return;
        printCells(summary.run.cells, true);
        const open = summary.run.cells.filter(
          (c) => c.status !== 'matched' && c.status !== 'within_tolerance',
        );
        console.log(
          `reconciled ${summary.window?.from}..${summary.window?.to}: ${summary.run.cells.length} cells, ${open.length} beyond tolerance`,
        );
        if (options.publish)
          await publishRun(
            summary.run,
            summary.changed.map((c) => [c.line, c.revision, c.correctionNanos, 0]),
          );
      });
    },
  );

  registerReconcileFetch(reconcile, tolerance);

  tolerance(
    reconcile
      .command('run')
      .description('reconcile stored days again (what the service does on its timer)')
      .requiredOption('--from <day>', 'first UTC day, YYYY-MM-DD')
      .requiredOption('--to <day>', 'last UTC day, inclusive')
      .option('--no-publish', 'publish nothing on Kafka'),
  ).action(async (options: Tolerances & { from: string; to: string; publish: boolean }) => {
    await withDatabase('tally reconcile run', async (pool) => {
      const window = { from: day(options.from, '--from'), to: day(options.to, '--to') };
      const run = await runReconciliation(
        reconciliationStores(pool),
        window,
        await optionsFor(pool, options),
      );
      printCells(run.cells, true);
      console.log(`${run.cells.length} cells, ${run.alerts.length} beyond tolerance`);
      if (options.publish) await publishRun(run);
    });
  });

  for (const [name, description] of [
    [
      'status',
      'per provider account and month: provider total vs ledger, within tolerance or not, open differences by class',
    ],
    ['show', 'every stored cell of the days with its named differences'],
  ] as const)
    reconcile
      .command(name)
      .description(description)
      .requiredOption('--from <day>', 'first UTC day, YYYY-MM-DD')
      .requiredOption('--to <day>', 'last UTC day, inclusive')
      .option('--month-tolerance-bp <bp>', 'tolerance per account and month, basis points', '10')
      .option('--open', 'only cells beyond tolerance (show)')
      .option('--json', 'JSON instead of text')
      .action(
        async (options: {
          from: string;
          to: string;
          monthToleranceBp: string;
          open?: boolean;
          json?: boolean;
        }) => {
          await withDatabase(`tally reconcile ${name}`, async (pool) => {
            const stored = await new ReconciliationRepository(pool).results(
              day(options.from, '--from'),
              day(options.to, '--to'),
            );
            const cells = stored.map(cellResultFrom);
            if (name === 'show') {
              if (options.json)
                console.log(
                  JSON.stringify(cells, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2),
                );
              else printCells(cells, options.open ?? false);
              return;
            }
            const months = monthResults(cells, {
              now: Date.now(),
              monthToleranceBp: Number(options.monthToleranceBp),
            });
            if (options.json) {
              console.log(
                JSON.stringify(months, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2),
              );
              return;
            }
            if (months.length === 0)
              console.log('no reconciliation results for these days (import an export first)');
            for (const m of months) {
              console.log(
                `${m.month}  ${m.provider}/${m.accountId}  provider ${formatUsd(m.providerNanos)}  ledger ${formatUsd(m.ledgerNanos)}  delta ${m.deltaNanos} nanos (${m.deltaBp} bp, tolerance ${m.toleranceBp})  ${m.withinTolerance ? 'within tolerance' : 'BEYOND TOLERANCE'}${m.provisional ? ' (provisional)' : ''}`,
              );
              for (const [cls, nanos] of Object.entries(m.byClass))
                console.log(`    ${cls.padEnd(24)} ${String(nanos).padStart(16)} nanos`);
            }
          });
        },
      );
}
