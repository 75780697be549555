import type { Pool } from 'pg';
import type { BreakdownDimension, CostByValue } from '@tokentally/domain-ledger';
import { GRAIN_DIMENSIONS, ROLLUP_TABLES, type Grain, type RollupDimension } from './ledger-rollups';

/**
 * Where each breakdown is read: the rollup column, from the coarsest rollup that keys by it (monthly
 * for what statements need, daily for owner source and provider account). Never raw ledger rows.
 */
const SOURCES: Record<BreakdownDimension, [column: RollupDimension, grain: Grain]> = {
  template_version: ['prompt_template_version', 'month'],
  tenant: ['tenant_ref', 'month'],
  owner_source: ['owner_source', 'day'],
  project: ['project_id', 'day'],
  team: ['team_id', 'month'],
  feature: ['feature', 'month'],
  model: ['model', 'month'],
  provider: ['provider', 'month'],
};

for (const [dimension, [column, grain]] of Object.entries(SOURCES))
  if (!GRAIN_DIMENSIONS[grain].includes(column))
    throw new Error(`breakdown ${dimension}: the ${grain} rollup has no ${column}`);

/** A billing period's cost per value of one dimension, from the rollups. */
export class BreakdownRepository {
  constructor(private readonly pool: Pool) {}

  async costBy(dimension: BreakdownDimension, period: string, team?: string): Promise<CostByValue[]> {
    const [column, grain] = SOURCES[dimension];
    // column and table come from the constant table above, never from input
    const { rows } = await this.pool.query<CostByValue>(
      `SELECT ${column} AS value, sum(calls)::bigint AS calls, sum(total_nanos)::bigint AS total_nanos,
              sum(adjustment_nanos)::bigint AS adjustment_nanos
         FROM tokentally.${ROLLUP_TABLES[grain]}
        WHERE period = $1 AND ($2::text IS NULL OR team_id = $2)
        GROUP BY ${column}`,
      [period, team ?? null],
    );
    return rows;
  }
}
