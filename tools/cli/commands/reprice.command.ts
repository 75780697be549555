import type { Command } from 'commander';
import { LedgerRepository, RatesRepository } from '@tokentally/adapters-postgres-ledger';
import { reprice } from '@tokentally/domain-ledger';
import { formatUsd } from '@tokentally/domain-money';
import { PriceCatalog, ledgerRowPricer, rateBookFrom } from '@tokentally/domain-pricing';
import { withDatabase } from '../database';
import { parseTime } from '../time';

interface RepriceOptions {
  from: string;
  to: string;
  provider?: string;
  model?: string;
  dryRun?: boolean;
  reason?: string;
}

export function registerRepriceCommand(program: Command): void {
  program
    .command('reprice')
    .description(
      'price a past window again with the current rate book; differences become adjustment rows in an open period (ledger rows are never edited)',
    )
    .requiredOption('--from <time>', 'window start, inclusive (date or ISO time)')
    .requiredOption('--to <time>', 'window end, exclusive (date or ISO time)')
    .option('--provider <provider>', 'only calls of this provider')
    .option('--model <model>', 'only calls of this model')
    .option('--reason <text>', 'why, kept on every adjustment', 'rate card correction')
    .option('--dry-run', 'print the impact per team, write nothing')
    .action(async (options: RepriceOptions) => {
      const from = parseTime(options.from, '--from');
      const to = parseTime(options.to, '--to');
      if (to <= from) throw new Error('--to must be after --from');
      await withDatabase('tally reprice', async (pool) => {
        const stored = await new RatesRepository(pool).load();
        const book = rateBookFrom(stored.cards, stored.fx, new PriceCatalog());
        const report = await reprice(new LedgerRepository(pool), ledgerRowPricer(book), {
          scope: {
            from: new Date(from),
            to: new Date(to),
            ...(options.provider ? { provider: options.provider } : {}),
            ...(options.model ? { model: options.model } : {}),
          },
          reason: options.reason ?? 'rate card correction',
          dryRun: options.dryRun ?? false,
          onPage: ({ scanned, toAdjust }) =>
            console.error(`... ${scanned} calls scanned, ${toAdjust} to adjust`),
        });
        console.log(
          `${options.dryRun ? 'dry run: ' : ''}${report.scanned} calls in the window, ${report.changed} priced differently now, ${report.unchanged} unchanged, ${report.unpriceable} without a rate now (left as they are)`,
        );
        console.log(`${'team'.padEnd(24)} ${'calls'.padStart(8)}  delta`);
        for (const [team, { calls, delta }] of report.impact)
          console.log(
            `${team.padEnd(24)} ${String(calls).padStart(8)}  ${formatUsd(delta)} (${delta} nano-USD)`,
          );
        console.log(
          `${'net'.padEnd(24)} ${String(report.changed).padStart(8)}  ${formatUsd(report.net)} (${report.net} nano-USD)`,
        );
        if (!options.dryRun)
          console.log(`done: ${report.written} adjustment row(s) written; ledger rows untouched`);
      });
    });
}
