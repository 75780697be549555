import type { Pool } from 'pg';
import { BreakdownRepository } from '@tokentally/adapters-postgres-ledger';
import {
  BREAKDOWN_DIMENSIONS,
  isBreakdownDimension,
  sortBreakdown,
  type BreakdownDimension,
} from '@tokentally/domain-ledger';
import { breakdownTable } from './breakdown-table';

export const BY_HELP = `break the period's cost down by one of: ${BREAKDOWN_DIMENSIONS.join(', ')} (table or json)`;

/** Checks `--by` before any database work, so a typo fails fast with the list of what is allowed. */
export function checkBreakdown(by: string, format: string): BreakdownDimension {
  if (!isBreakdownDimension(by)) throw new Error(`--by must be one of ${BREAKDOWN_DIMENSIONS.join(', ')}`);
  if (format !== 'table' && format !== 'json')
    throw new Error('--by prints a table or json (--format table|json)');
  return by;
}

/** `tally report --by D`: cost per value of D in the period, from the rollups (open or closed period alike). */
export async function reportBy(
  pool: Pool,
  dimension: BreakdownDimension,
  period: string,
  format: string,
  team?: string,
): Promise<string> {
  const rows = await new BreakdownRepository(pool).costBy(dimension, period, team);
  if (format === 'json')
    return `${JSON.stringify(
      {
        period,
        by: dimension,
        team: team ?? null,
        rows: sortBreakdown(rows).map((row) => ({
          value: row.value === '' ? null : row.value,
          calls: row.calls.toString(),
          total_nanos: row.total_nanos.toString(),
          adjustment_nanos: row.adjustment_nanos.toString(),
        })),
      },
      null,
      2,
    )}\n`;
  const scope = team ? `, team ${team}` : '';
  return `${period}: cost by ${dimension}${scope}\n\n${breakdownTable(dimension, rows)}\n`;
}
