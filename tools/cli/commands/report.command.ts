import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { TOPICS, type TopicSpec } from '@tokentally/contracts';
import {
  auditSummary,
  buildStatement,
  chargebackLines,
  statementFromJson,
  statementTable,
  FOCUS_VERSION,
  focusCsv,
  focusExport,
  focusParquet,
  scopeStatement,
  statementCsv,
  teamSummary,
  toJsonValue,
} from '@tokentally/domain-chargeback';
import { formatUsd } from '@tokentally/domain-money';
import { ChargebackRepository } from '@tokentally/adapters-postgres-ledger';
import { PERIOD } from '@tokentally/domain-ledger';
import { PriceCatalog } from '@tokentally/domain-pricing';
import { withDatabase } from '../database';
import { withProducer } from '../kafka';
import { BY_HELP, checkBreakdown, reportBy } from './report-by';
import { DEFAULT_MONTH_TOLERANCE_BP, periodReconciliationLines } from '@tokentally/domain-reconciliation';
import { ReconciliationStatusReader } from '@tokentally/adapters-postgres-reconciliation';

const FORMATS = ['table', 'csv', 'json', 'focus', 'focus-parquet'] as const;

function checkPeriod(period: string): string {
  if (!PERIOD.test(period)) throw new Error(`period "${period}" must be YYYY-MM, e.g. 2026-10`);
  return period;
}

export function registerReportCommands(program: Command): void {
  program
    .command('report')
    .description('the chargeback statement of a billing period: audit summary and table, or an export')
    .requiredOption('--period <YYYY-MM>', 'billing period (calendar month, UTC)')
    .option('--team <team_id>', 'only this team')
    .option('--format <format>', `${FORMATS.join(', ')}`, 'table')
    .option('--out <file>', 'write the export to a file instead of stdout')
    .option('--by <dimension>', BY_HELP)
    .action(async (options: { period: string; team?: string; format: string; out?: string; by?: string }) => {
      const period = checkPeriod(options.period);
      if (!FORMATS.includes(options.format as (typeof FORMATS)[number]))
        throw new Error(`--format must be one of ${FORMATS.join(', ')}`);
      const by = options.by === undefined ? undefined : checkBreakdown(options.by, options.format);
      await withDatabase('tally report', async (pool) => {
        const repo = new ChargebackRepository(pool);
        const closed = await repo.closedStatement(period);
        let text: string;
        if (by) {
          text = await reportBy(pool, by, period, options.format, options.team);
        } else if (options.format === 'focus' || options.format === 'focus-parquet') {
          const rows = focusExport(period, await repo.focusSources(period, options.team), new PriceCatalog());
          if (options.format === 'focus-parquet') {
            if (!options.out) throw new Error('--format focus-parquet needs --out <file>');
            const bytes = Buffer.from(focusParquet(rows));
            writeFileSync(options.out, bytes);
            console.log(`wrote ${options.out} (${bytes.length} bytes, FOCUS ${FOCUS_VERSION})`);
            return;
          }
          text = focusCsv(rows);
        } else if (closed && !options.team && options.format !== 'csv') {
          // a closed period answers from its stored statement, byte for byte
          const { summary } = JSON.parse(closed.statement) as { summary: string[] };
          text =
            options.format === 'json'
              ? closed.statement
              : `${period} (closed ${closed.closed_at.toISOString()}, sha256 ${closed.content_hash})\n\n${summary.join('\n')}\n\n${statementTable(statementFromJson(closed.statement))}\n`;
        } else {
          const built = buildStatement(await repo.statementInput(period));
          const statement = options.team ? scopeStatement(built, options.team) : built;
          const summary = options.team ? teamSummary(built, options.team) : auditSummary(statement);
          if (options.format === 'csv') text = statementCsv(statement);
          else if (options.format === 'json')
            text = `${JSON.stringify(toJsonValue({ ...statement, summary }), null, 2)}\n`;
          else
            text = `${period} (${closed ? 'closed' : 'open'})\n\n${summary.join('\n')}\n\n${statementTable(statement)}\n`;
        }
        if (options.format === 'table' && !by) {
          // the period against the provider bills (with --team: that team's provider accounts)
          const status = await new ReconciliationStatusReader(pool, DEFAULT_MONTH_TOLERANCE_BP).period(
            period,
            options.team,
          );
          text += `\n${periodReconciliationLines(status).join('\n')}\n`;
        }
        if (options.out) {
          writeFileSync(options.out, text);
          console.log(`wrote ${options.out} (${text.length} bytes)`);
        } else process.stdout.write(text);
      });
    });

  const periodCommand = program.command('period').description('billing periods: close a month');
  periodCommand
    .command('close')
    .description(
      'freeze a period: store its statement (immutable, SHA-256) and book later calls or re-pricing of it in the open period',
    )
    .argument('<period>', 'YYYY-MM')
    .action(async (periodText: string) => {
      const period = checkPeriod(periodText);
      if (period >= new Date().toISOString().slice(0, 7))
        throw new Error(`period ${period} has not ended yet; close it after ${period} is over`);
      await withDatabase('tally period close', async (pool) => {
        const repo = new ChargebackRepository(pool);
        // built inside the close, while the period is locked against ledger writers
        const closed = await repo.closePeriod(period, async () => {
          const built = buildStatement(await repo.statementInput(period));
          return `${JSON.stringify(toJsonValue({ ...built, summary: auditSummary(built) }), null, 2)}\n`;
        });
        const statement = statementFromJson(closed.statement);
        console.log(
          `period ${period} closed: ${statement.teams.length} teams, total ${formatUsd(statement.totals.total_nanos)}, sha256 ${closed.content_hash}`,
        );
        try {
          await publishStatement(period, closed.statement, closed.content_hash);
        } catch (error) {
          throw new Error(
            `period ${period} is closed, but publishing to ${TOPICS.chargeback.name} failed (${(error as Error).message}); retry with: tally period publish ${period}`,
          );
        }
      });
    });

  periodCommand
    .command('publish')
    .description(
      `publish a closed period's statement lines to ${TOPICS.chargeback.name} again (ERP consumers)`,
    )
    .argument('<period>', 'YYYY-MM')
    .action(async (periodText: string) => {
      const period = checkPeriod(periodText);
      await withDatabase('tally period publish', async (pool) => {
        const closed = await new ChargebackRepository(pool).closedStatement(period);
        if (!closed) throw new Error(`period ${period} is not closed (tally period close ${period})`);
        await publishStatement(period, closed.statement, closed.content_hash);
      });
    });
}

async function publishStatement(period: string, text: string, hash: string): Promise<void> {
  const lines = chargebackLines(statementFromJson(text), hash, Date.now());
  await withProducer('tally period publish', [TOPICS.chargeback as TopicSpec<unknown>], (producer) =>
    producer.send(
      TOPICS.chargeback,
      lines.map((value) => ({ key: `${period}:${value.team_id}`, value })),
    ),
  );
  console.log(`published ${lines.length} statement lines of ${period} to ${TOPICS.chargeback.name}`);
}
