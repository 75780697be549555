import type { Pool } from 'pg';
import {
  COST_COLUMNS,
  type AdjustmentRecord,
  type CostColumn,
  type CostVector,
  type EffectiveLedgerRow,
  type LedgerRow,
  type ScopeFilter,
} from '@tokentally/domain-ledger';

/** Reads of the Postgres ledger: a request's calls, and rows with their effective cost for re-pricing. */
export class LedgerReader {
  constructor(protected readonly pool: Pool) {}

  /** Every call of a request, oldest first, with its adjustments. */
  async byTrace(traceId: string): Promise<{ calls: LedgerRow[]; adjustments: AdjustmentRecord[] }> {
    const [calls, adjustments] = await Promise.all([
      this.pool.query<LedgerRow>(
        'SELECT * FROM tokentally.ledger WHERE trace_id = $1 ORDER BY occurred_at, event_id',
        [traceId],
      ),
      this.pool.query<AdjustmentRecord>(
        'SELECT * FROM tokentally.ledger_adjustments WHERE trace_id = $1 ORDER BY created_at, adjustment_id',
        [traceId],
      ),
    ]);
    return { calls: calls.rows, adjustments: adjustments.rows };
  }

  /**
   * Ledger rows in a window with their current effective cost (row + adjustments so far), streamed in
   * pages by key so a reprice of millions of rows never holds them all.
   */
  async *effectiveRows(scope: ScopeFilter, pageSize = 5000): AsyncGenerator<EffectiveLedgerRow[]> {
    let after: [string, string] = ['-infinity', ''];
    for (;;) {
      const { rows } = await this.pool.query<LedgerRow & Record<`adj_${CostColumn}`, bigint>>(
        `SELECT l.*, ${COST_COLUMNS.map((c) => `coalesce(a.${c}, 0) AS adj_${c}`).join(', ')}
           FROM tokentally.ledger l
           LEFT JOIN LATERAL (
             SELECT ${COST_COLUMNS.map((c) => `sum(${c})::bigint AS ${c}`).join(', ')}
               FROM tokentally.ledger_adjustments x
              WHERE x.event_id = l.event_id AND x.occurred_at = l.occurred_at
           ) a ON true
          WHERE l.occurred_at >= $1 AND l.occurred_at < $2
            AND ($3::text IS NULL OR l.provider = $3) AND ($4::text IS NULL OR l.model = $4)
            AND (l.occurred_at, l.event_id) > ($5::timestamptz, $6::text)
          ORDER BY l.occurred_at, l.event_id
          LIMIT $7`,
        [scope.from, scope.to, scope.provider ?? null, scope.model ?? null, ...after, pageSize],
      );
      if (rows.length === 0) return;
      yield rows.map((row) => ({
        ...row,
        effective: Object.fromEntries(COST_COLUMNS.map((c) => [c, row[c] + row[`adj_${c}`]])) as CostVector,
      }));
      const last = rows[rows.length - 1];
      if (!last || rows.length < pageSize) return;
      after = [last.occurred_at.toISOString(), last.event_id];
    }
  }
}
