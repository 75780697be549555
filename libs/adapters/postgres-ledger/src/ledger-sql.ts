import type { PoolClient } from 'pg';
import type { Column } from '@tokentally/platform-db';
import { rollupUpsertCtes } from './ledger-rollups';
import { ADJUSTMENT_COLUMNS, LEDGER_COLUMNS } from './ledger-columns';

/** Registers a period (open) unless it exists: `$1` period, `$2` start, `$3` end. */
export const ENSURE_PERIOD_SQL = `INSERT INTO tokentally.periods (period, starts_at, ends_at) VALUES ($1, $2, $3)
  ON CONFLICT (period) DO NOTHING`;

/**
 * One statement: column arrays UNNESTed into `table` with ON CONFLICT DO NOTHING, and only the rows
 * actually inserted fed to the rollups, so a duplicate never reaches a rollup.
 */
function insertNewWithRollups<T>(
  table: string,
  columns: readonly Column<T>[],
  timeColumn: string,
  counted: boolean,
): string {
  const names = columns.map(([name]) => name).join(', ');
  return `
  WITH input AS (
    SELECT * FROM UNNEST(${columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')}) AS t(${names})
  ),
  inserted AS (
    INSERT INTO tokentally.${table} (${names})
    SELECT * FROM input
    ON CONFLICT DO NOTHING
    RETURNING *
  ),
  ${rollupUpsertCtes('inserted', timeColumn, counted)}
  SELECT count(*)::int AS inserted FROM inserted`;
}

export const RECORD_SQL = insertNewWithRollups('ledger', LEDGER_COLUMNS, 'occurred_at', true);
export const ADJUST_SQL = insertNewWithRollups('ledger_adjustments', ADJUSTMENT_COLUMNS, 'booked_at', false);

/**
 * Claims event keys (`$1` ids, `$2` times, one per id), in key order so concurrent writers lock them in
 * the same order; returns the ids claimed. A key another transaction is claiming makes this wait for
 * it: its commit leaves the key taken, its rollback leaves it to us.
 */
export const CLAIM_KEYS_SQL = `INSERT INTO tokentally.ledger_event_keys (event_id, occurred_at)
  SELECT event_id, occurred_at FROM UNNEST($1::text[], $2::timestamptz[]) AS k(event_id, occurred_at)
   ORDER BY event_id
  ON CONFLICT (event_id) DO NOTHING
  RETURNING event_id`;

/** What a booked row's facts are read as to compare with a resend (see `callDifferences`). */
export interface BookedFacts {
  event_id: string;
  occurred_at: Date;
  trace_id: string | null;
  provider: string | null;
  model: string | null;
  uncached_input_tokens: bigint | null;
  cache_read_tokens: bigint | null;
  cache_write_5m_tokens: bigint | null;
  cache_write_1h_tokens: bigint | null;
  output_tokens: bigint | null;
  reasoning_tokens: bigint | null;
  units: Record<string, number> | null;
}

/**
 * The booked facts of each of these event ids that holds a key (`$1` ids). LATERAL with LIMIT 1 keeps
 * it a key probe per id whatever the planner believes about the tables' sizes (with autovacuum off
 * their statistics can say "empty" and a join would scan every row). The row columns are NULL for a
 * key whose row is gone (only a test cleaning up does that): still booked, never booked again.
 */
export const BOOKED_FACTS_SQL = `SELECT q.event_id, k.occurred_at, l.*
    FROM UNNEST($1::text[]) AS q(event_id)
   CROSS JOIN LATERAL (SELECT occurred_at FROM tokentally.ledger_event_keys k
                        WHERE k.event_id = q.event_id) AS k
    LEFT JOIN LATERAL (SELECT trace_id, provider, model, uncached_input_tokens, cache_read_tokens,
                              cache_write_5m_tokens, cache_write_1h_tokens, output_tokens, reasoning_tokens, units
                         FROM tokentally.ledger l
                        WHERE l.event_id = q.event_id AND l.occurred_at = k.occurred_at LIMIT 1) AS l ON true`;

/**
 * Which of these periods are closed, read in the caller's transaction with a key-share lock on their
 * `periods` rows, open ones too (a close in progress has not yet marked its row closed). A period close
 * holds its row FOR UPDATE while it builds and stores the statement, so a writer waits for a close in
 * progress (and then sees the month closed), and a close waits for the writers already booking into the
 * month: a statement always holds every call and adjustment booked in its period.
 */
export async function closedUnderLock(client: PoolClient, periods: readonly string[]): Promise<Set<string>> {
  const { rows } = await client.query<{ period: string; status: string }>(
    'SELECT period, status FROM tokentally.periods WHERE period = ANY($1::text[]) ORDER BY period FOR KEY SHARE',
    [[...new Set(periods)]],
  );
  return new Set(rows.filter((row) => row.status === 'closed').map((row) => row.period));
}
