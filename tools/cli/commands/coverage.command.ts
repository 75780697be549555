import type { Command } from 'commander';
import { formatUsd, nanosToDecimal } from '@tokentally/domain-money';
import {
  COVERAGE_TARGET_BP,
  coverageJson,
  coverageReport,
  isoWeekOf,
  type CoverageReport,
} from '@tokentally/domain-reconciliation';
import { CoverageRepository } from '@tokentally/adapters-postgres-reconciliation';
import { withDatabase } from '../database';

const percent = (bp: number): string => `${(bp / 100).toFixed(2)}%`;

function print(r: CoverageReport): void {
  console.log(`coverage ${r.week} (${r.from}..${r.to} UTC)`);
  console.log(
    `  unattributed ${formatUsd(r.unattributedNanos)} of ${formatUsd(r.ledgerNanos)} (${r.unattributedCalls} of ${r.ledgerCalls} calls): ${percent(r.unattributedBp)}, target below ${percent(r.targetBp)}: ${r.withinTarget ? 'met' : 'MISSED'}`,
  );
  if (r.brokenHops.length > 0) console.log('  broken hops (who sends the unowned calls):');
  for (const h of r.brokenHops)
    console.log(
      `    ${h.hop.padEnd(16)} ${(h.value ?? '-').padEnd(40)} ${String(h.calls).padStart(8)} calls  ${formatUsd(h.nanos).padStart(14)}  ${percent(h.shareBp)}`,
    );
  console.log(
    `  quarantine (never replayed): ~${formatUsd(r.quarantineEstimatedNanos)} estimated at $${nanosToDecimal(r.meanCallNanos)} per call`,
  );
  for (const q of r.quarantine)
    console.log(
      `    ${q.reason.padEnd(16)} ${q.stage.padEnd(10)} ${String(q.count).padStart(8)}  ~${formatUsd(q.estimatedNanos)}`,
    );
  console.log(`  billed by providers, never in the ledger: ${formatUsd(r.missingInLedgerNanos)}`);
  for (const m of r.missingInLedger)
    console.log(`    ${m.provider}/${m.accountId}  ${formatUsd(m.nanos)} in ${m.cells} cells`);
  console.log(`  spend without an owner anywhere: ${percent(r.uncoveredBp)}`);
}

export function registerCoverageCommand(program: Command): void {
  program
    .command('coverage')
    .description(
      'weekly coverage: unattributed share of spend (target below 2%), the broken hops that send unowned calls, quarantine and spend that never reached the ledger',
    )
    .option('--week <week>', 'ISO week, e.g. 2026-W47 (default: the current one)')
    .option('--target-bp <bp>', 'target for the unattributed share, basis points', String(COVERAGE_TARGET_BP))
    .option('--json', 'JSON instead of text (nanos as integer strings)')
    .action(async (options: { week?: string; targetBp: string; json?: boolean }) => {
      const target = Number(options.targetBp);
      if (!Number.isInteger(target) || target < 0)
        throw new Error('--target-bp must be a whole number of basis points');
      await withDatabase('tally coverage', async (pool) => {
        const report = await coverageReport(
          new CoverageRepository(pool),
          options.week ?? isoWeekOf(Date.now()),
          target,
        );
        if (options.json) console.log(JSON.stringify(coverageJson(report), null, 2));
        else print(report);
      });
    });
}
