import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';
import {
  auditSummary,
  buildStatement,
  focusCsv,
  focusExport,
  focusMetadata,
  focusParquet,
  statementCsv,
  statementTable,
  toJsonValue,
} from '@tokentally/domain-chargeback';
import { previousPeriod } from '@tokentally/domain-ledger';
import { PriceCatalog } from '@tokentally/domain-pricing';
import { ChargebackRepository } from '@tokentally/adapters-postgres-ledger';

/** The month-over-month audit summary and table, and the CSV / JSON / FOCUS exports in .demo/<period>/. */
export async function printStatementAndExports(root: string, pool: Pool, period: string): Promise<void> {
  const repository = new ChargebackRepository(pool);
  const statement = buildStatement(await repository.statementInput(period));
  const previous = previousPeriod(period);
  const outDir = path.join(root, '.demo', period);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'statement.csv'), statementCsv(statement));
  writeFileSync(
    path.join(outDir, 'statement.json'),
    `${JSON.stringify(toJsonValue({ ...statement, summary: auditSummary(statement) }), null, 2)}\n`,
  );
  const catalog = new PriceCatalog();
  const focus = focusExport(period, await repository.focusSources(period), catalog);
  writeFileSync(path.join(outDir, 'focus.csv'), focusCsv(focus));
  writeFileSync(path.join(outDir, 'focus.parquet'), Buffer.from(focusParquet(focus)));
  writeFileSync(path.join(outDir, 'focus-metadata.json'), `${JSON.stringify(focusMetadata(), null, 2)}\n`);
  writeFileSync(
    path.join(outDir, `focus-${previous}.csv`),
    focusCsv(focusExport(previous, await repository.focusSources(previous), catalog)),
  );

  console.log(`\n== ${period} vs ${previous} (the last two complete months): audit summary\n`);
  for (const line of auditSummary(statement)) console.log(`  ${line}`);
  console.log(
    `\n${statementTable(statement)
      .split('\n')
      .map((line) => `  ${line}`)
      .join('\n')}\n`,
  );
  console.log(
    `exports: ${path.relative(root, outDir)}/statement.csv, statement.json, focus.csv, focus.parquet, focus-metadata.json, focus-${previous}.csv`,
  );
}
