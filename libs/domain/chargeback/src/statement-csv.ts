import { nanosToDecimal } from '@tokentally/domain-money';
import { budgetScopeLabel } from './budget-controls';
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
  // filled on budget rows (dimension `budget`) and override rows (dimension `override`) only
  ...columnsOf('text', ['scope', 'budget_mode', 'reason_code', 'approver', 'expires_at', 'note']),
  ...columnsOf('number', ['limit_usd', 'override_usd', 'above_budget_usd', 'above_budget_nanos']),
];
export const STATEMENT_CSV_HEADER = STATEMENT_CSV_COLUMNS.map((c) => c.name);

const NO_BUDGET = Array.from({ length: 10 }, () => null);
const NO_USAGE = Array.from({ length: 7 }, () => null);

/**
 * One row per team (dimension `total`) and per team x dimension value; then one row per enforced
 * budget (`budget`, key its scope: spend in the scope, plain limit, overrides on it, spend above the
 * limit) and one per override in effect in the period (`override`, key its id: amount, reason code,
 * approver, expiry, note).
 */
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
      ...NO_BUDGET,
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
          ...NO_BUDGET,
        ]);
    for (const budget of team.budget_controls.budgets) {
      const scope = budgetScopeLabel(budget);
      const spent = nanosToDecimal(budget.spent_nanos);
      rows.push([
        ...[...base, 'budget', scope, spent, '0', spent, budget.spent_nanos.toString(), null, null, null],
        ...[scope, budget.mode, null, null, null, null],
        nanosToDecimal(budget.limit_nanos),
        nanosToDecimal(budget.override_nanos),
        nanosToDecimal(budget.above_budget_nanos),
        budget.above_budget_nanos.toString(),
      ]);
    }
    for (const o of team.budget_controls.overrides)
      rows.push([
        ...[...base, 'override', o.override_id, ...NO_USAGE],
        ...[budgetScopeLabel(o), null, o.reason_code, o.approver, o.expires_at, o.note],
        ...[null, nanosToDecimal(o.amount_nanos), null, null],
      ]);
  }
  return writeCsv(STATEMENT_CSV_COLUMNS, rows);
}
