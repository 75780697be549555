import { nanosToDecimal } from '@tokentally/domain-money';
import { columnsOf, writeCsv, type CsvColumn } from './csv';
import type { Statement } from './statement';

export const STATEMENT_CSV_COLUMNS: readonly CsvColumn[] = [
  ...columnsOf('text', ['period', 'team_id', 'team_name', 'cost_centre', 'owner', 'dimension', 'key']),
  ...columnsOf('number', [
    'direct_usd',
    'allocated_usd',
    'total_usd',
    'total_nanos',
    'previous_total_usd',
    'change_percent',
    'requests',
  ]),
];
export const STATEMENT_CSV_HEADER = STATEMENT_CSV_COLUMNS.map((c) => c.name);

/** One row per team (dimension `total`) and per team x dimension value. */
export function statementCsv(statement: Statement): string {
  const rows: (string | null)[][] = [];
  for (const team of statement.teams) {
    const base = [statement.period, team.team_id, team.name, team.cost_centre, team.owner];
    rows.push([
      ...base,
      'total',
      '',
      nanosToDecimal(team.direct_nanos),
      nanosToDecimal(team.allocated_nanos),
      nanosToDecimal(team.total_nanos),
      team.total_nanos.toString(),
      nanosToDecimal(team.previous_total_nanos),
      team.change_percent,
      team.requests.toString(),
    ]);
    for (const [dimension, lines] of Object.entries(team.breakdown))
      for (const line of lines)
        rows.push([
          ...base,
          dimension,
          line.key,
          nanosToDecimal(line.nanos),
          '0',
          nanosToDecimal(line.nanos),
          line.nanos.toString(),
          nanosToDecimal(line.previous_nanos),
          null,
          line.calls.toString(),
        ]);
  }
  return writeCsv(STATEMENT_CSV_COLUMNS, rows);
}
