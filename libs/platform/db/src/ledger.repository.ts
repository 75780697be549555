import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { PricedCallEvent } from '@tokentally/contracts';
import { ROLLUP_SUMS_SQL, RollupSums, rollupUpsertCtes } from './ledger-rollups';
import { inTransaction } from './pool';
import {
  COST_COLUMNS,
  LEDGER_COLUMNS,
  LEDGER_COPY_SQL,
  columnArrays,
  isoUtc,
  ledgerCsvLine,
  periodBounds,
  periodOf,
  type Column,
  type CostColumn,
} from './ledger-rows';

/** Registers a period (open) unless it exists: `$1` period, `$2` start, `$3` end. */
export const ENSURE_PERIOD_SQL = `INSERT INTO tokentally.periods (period, starts_at, ends_at) VALUES ($1, $2, $3)
  ON CONFLICT (period) DO NOTHING`;

export interface RecordResult {
  /** Rows new to the ledger; the rest of the batch were already there (redelivery, replay). */
  inserted: number;
  duplicates: number;
}

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

const RECORD_SQL = insertNewWithRollups('ledger', LEDGER_COLUMNS, 'occurred_at', true);

const UNIQUE_VIOLATION = '23505';
const COPY_CHUNK_ROWS = 500;

export interface AdjustmentRow {
  adjustmentId: string;
  eventId: string;
  occurredAt: number;
  traceId: string;
  /** The period (and time) to book it in: the call's; `adjust` moves it to the open period if closed. */
  period: string;
  bookedAt: number;
  teamId: string;
  userRef: string | null;
  feature: string;
  workflow: string | null;
  environment: string;
  provider: string;
  model: string;
  delta: Record<CostColumn, bigint>;
  rateCardId: string;
  rateCardVersion: string;
  rateMultiplierId: string | null;
  rateMultiplierVersion: string | null;
  fxRateId: string | null;
  reason: string;
}

const ADJUSTMENT_COLUMNS: Column<AdjustmentRow>[] = [
  ['adjustment_id', 'text', (a) => a.adjustmentId],
  ['event_id', 'text', (a) => a.eventId],
  ['occurred_at', 'timestamptz', (a) => new Date(a.occurredAt).toISOString()],
  ['trace_id', 'text', (a) => a.traceId],
  ['period', 'text', (a) => a.period],
  ['booked_at', 'timestamptz', (a) => new Date(a.bookedAt).toISOString()],
  ['team_id', 'text', (a) => a.teamId],
  ['user_ref', 'text', (a) => a.userRef],
  ['feature', 'text', (a) => a.feature],
  ['workflow', 'text', (a) => a.workflow],
  ['environment', 'text', (a) => a.environment],
  ['provider', 'text', (a) => a.provider],
  ['model', 'text', (a) => a.model],
  ...COST_COLUMNS.map((column): Column<AdjustmentRow> => [column, 'int8', (a) => a.delta[column].toString()]),
  ['rate_card_id', 'text', (a) => a.rateCardId],
  ['rate_card_version', 'text', (a) => a.rateCardVersion],
  ['rate_multiplier_id', 'text', (a) => a.rateMultiplierId],
  ['rate_multiplier_version', 'text', (a) => a.rateMultiplierVersion],
  ['fx_rate_id', 'text', (a) => a.fxRateId],
  ['reason', 'text', (a) => a.reason],
];

const ADJUST_SQL = insertNewWithRollups('ledger_adjustments', ADJUSTMENT_COLUMNS, 'booked_at', false);

/** A ledger row as `tally explain` and the reprice job read it. */
export interface LedgerRow {
  event_id: string;
  occurred_at: Date;
  period: string;
  trace_id: string;
  span_id: string | null;
  parent_span_id: string | null;
  team_id: string;
  user_ref: string | null;
  tenant_ref: string | null;
  feature: string;
  workflow: string | null;
  environment: string;
  provider: string;
  model: string;
  response_model: string | null;
  region: string | null;
  service_tier: string | null;
  pricing_tier: string | null;
  attempt: number | null;
  is_retry: boolean;
  is_fallback: boolean;
  status_code: number | null;
  latency_ms: number | null;
  uncached_input_tokens: bigint;
  cache_read_tokens: bigint;
  cache_write_5m_tokens: bigint;
  cache_write_1h_tokens: bigint;
  output_tokens: bigint;
  reasoning_tokens: bigint;
  units: Record<string, number>;
  uncached_input_nanos: bigint;
  cache_read_nanos: bigint;
  cache_write_5m_nanos: bigint;
  cache_write_1h_nanos: bigint;
  output_nanos: bigint;
  reasoning_nanos: bigint;
  request_fee_nanos: bigint;
  units_nanos: bigint;
  total_nanos: bigint;
  rate_card_id: string;
  rate_card_version: string;
  rate_multiplier_id: string | null;
  rate_multiplier_version: string | null;
  rate_multiplier: string | null;
  original_currency: string;
  original_total_minor: bigint | null;
  fx_rate_id: string | null;
  priced_at: Date;
}

export interface AdjustmentRecord extends Record<CostColumn, bigint> {
  adjustment_id: string;
  event_id: string;
  period: string;
  rate_card_id: string;
  rate_card_version: string;
  reason: string;
  created_at: Date;
}

export interface ScopeFilter {
  from: Date;
  to: Date;
  provider?: string;
  model?: string;
}

/**
 * Which of these periods are closed, read in the caller's transaction with a key-share lock on their
 * `periods` rows, open ones too (a close in progress has not yet marked its row closed). A period close
 * holds its row FOR UPDATE while it builds and stores the statement, so a writer waits for a close in
 * progress (and then sees the month closed), and a close waits for the writers already booking into the
 * month: a statement always holds every call and adjustment booked in its period.
 */
async function closedUnderLock(client: PoolClient, periods: readonly string[]): Promise<Set<string>> {
  const { rows } = await client.query<{ period: string; status: string }>(
    'SELECT period, status FROM tokentally.periods WHERE period = ANY($1::text[]) ORDER BY period FOR KEY SHARE',
    [[...new Set(periods)]],
  );
  return new Set(rows.filter((row) => row.status === 'closed').map((row) => row.period));
}

/**
 * The Postgres ledger: rows and rollups written in one statement (one transaction), idempotent by
 * (event_id, occurred_at). Monthly partitions are created on first use. Calls whose month is closed
 * are booked in the open period (the current month) so a closed statement never changes.
 */
export class LedgerRepository {
  private readonly knownPartitions = new Set<string>();

  constructor(
    private readonly pool: Pool,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Writes a batch. Fast path: COPY the rows and upsert the batch's rollups in one transaction. A batch
   * holding a row already in the ledger (redelivery, replay) fails that COPY on the key and is rolled
   * back whole; the rows not in the ledger yet are then looked up and COPYed the same way (a replay of
   * rows all recorded writes nothing at all). Should that COPY fail too (another writer got there
   * between the look-up and the COPY) the batch takes the exact path: one INSERT ... ON CONFLICT DO
   * NOTHING whose new rows alone feed the rollups. Either way the batch lands once, atomically with
   * its rollups, in the periods it read under lock (see `bookingPeriods`).
   */
  async record(events: readonly PricedCallEvent[]): Promise<RecordResult> {
    if (events.length === 0) return { inserted: 0, duplicates: 0 };
    await this.ensurePartitions(events.map((e) => periodOf(e.occurred_at)));
    const client = await this.pool.connect();
    try {
      if (await this.copyBatch(client, events)) return { inserted: events.length, duplicates: 0 };
      const fresh = await this.notYetRecorded(client, events);
      if (fresh.length === 0) return { inserted: 0, duplicates: events.length };
      if (fresh.length < events.length && (await this.copyBatch(client, fresh)))
        return { inserted: fresh.length, duplicates: events.length - fresh.length };
      const inserted = await inTransaction(client, async () => {
        const periods = await this.bookingPeriods(client, events);
        const result = await client.query<{ inserted: number }>(
          RECORD_SQL,
          columnArrays(LEDGER_COLUMNS, events, periods),
        );
        return result.rows[0]?.inserted ?? 0;
      });
      return { inserted, duplicates: events.length - inserted };
    } finally {
      client.release();
    }
  }

  /**
   * The period each call is booked in: its own month, or the open period (the current month) when its
   * month is closed.
   */
  private async bookingPeriods(client: PoolClient, events: readonly PricedCallEvent[]): Promise<string[]> {
    const own = events.map((event) => periodOf(event.occurred_at));
    const closed = await closedUnderLock(client, own);
    if (closed.size === 0) return own;
    const openPeriod = periodOf(this.clock());
    return own.map((period) => (closed.has(period) ? openPeriod : period));
  }

  /** The events whose key is not in the ledger (at this instant: the COPY after it still checks). */
  private async notYetRecorded(
    client: PoolClient,
    events: readonly PricedCallEvent[],
  ): Promise<PricedCallEvent[]> {
    // LIMIT 1 keeps the look-up a key probe per event whatever the planner believes about the ledger's
    // size (with autovacuum off its statistics can say "empty" and a join would scan every row).
    const { rows } = await client.query<{ event_id: string; occurred_at: Date }>(
      `SELECT k.event_id, k.occurred_at
         FROM UNNEST($1::text[], $2::timestamptz[]) AS k(event_id, occurred_at)
        CROSS JOIN LATERAL (SELECT 1 FROM tokentally.ledger l
                             WHERE l.event_id = k.event_id AND l.occurred_at = k.occurred_at LIMIT 1) AS found`,
      [events.map((e) => e.event_id), events.map((e) => isoUtc(e.occurred_at))],
    );
    const recorded = new Set(rows.map((row) => `${row.event_id}\u0000${row.occurred_at.getTime()}`));
    return events.filter((e) => !recorded.has(`${e.event_id}\u0000${e.occurred_at}`));
  }

  /** True when the whole batch was new and is committed; false (rolled back) when a row already existed. */
  private async copyBatch(client: PoolClient, events: readonly PricedCallEvent[]): Promise<boolean> {
    if (new Set(events.map((e) => e.event_id)).size !== events.length) return false;
    try {
      await inTransaction(client, async () => {
        const periods = await this.bookingPeriods(client, events);
        const rollups = new RollupSums();
        // Streamed in chunks so Postgres parses one chunk while the next is formatted and summed.
        async function* csvChunks(): AsyncGenerator<string> {
          for (let start = 0; start < events.length; start += COPY_CHUNK_ROWS) {
            let chunk = '';
            for (let row = start; row < Math.min(start + COPY_CHUNK_ROWS, events.length); row += 1) {
              chunk += ledgerCsvLine(events[row] as PricedCallEvent, periods[row] as string);
              rollups.add(events[row] as PricedCallEvent, periods[row] as string);
            }
            yield chunk;
          }
        }
        await pipeline(Readable.from(csvChunks()), client.query(copyFrom(LEDGER_COPY_SQL)));
        await client.query(ROLLUP_SUMS_SQL, rollups.params());
      });
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) return false;
      throw error;
    }
  }

  /**
   * Books adjustments (re-pricing deltas) in their period, or in the open period at the current time
   * when that period is closed, decided under the same lock as `record`.
   */
  async adjust(adjustments: readonly AdjustmentRow[]): Promise<number> {
    if (adjustments.length === 0) return 0;
    const client = await this.pool.connect();
    try {
      return await inTransaction(client, async () => {
        const closed = await closedUnderLock(
          client,
          adjustments.map((a) => a.period),
        );
        const now = this.clock();
        const booked = adjustments.map((a) =>
          closed.has(a.period) ? { ...a, period: periodOf(now), bookedAt: now } : a,
        );
        const result = await client.query<{ inserted: number }>(
          ADJUST_SQL,
          columnArrays(ADJUSTMENT_COLUMNS, booked),
        );
        return result.rows[0]?.inserted ?? 0;
      });
    } finally {
      client.release();
    }
  }

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
  async *effectiveRows(
    scope: ScopeFilter,
    pageSize = 5000,
  ): AsyncGenerator<(LedgerRow & { effective: Record<CostColumn, bigint> })[]> {
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
        effective: Object.fromEntries(COST_COLUMNS.map((c) => [c, row[c] + row[`adj_${c}`]])) as Record<
          CostColumn,
          bigint
        >,
      }));
      const last = rows[rows.length - 1];
      if (!last || rows.length < pageSize) return;
      after = [last.occurred_at.toISOString(), last.event_id];
    }
  }

  /** Creates the monthly partitions a batch needs (once per process per month; safe across writers). */
  async ensurePartitions(periods: readonly string[]): Promise<void> {
    const missing = [...new Set(periods)].filter((p) => !this.knownPartitions.has(p));
    if (missing.length === 0) return;
    const client: PoolClient = await this.pool.connect();
    try {
      await inTransaction(client, async () => {
        await client.query("SELECT pg_advisory_xact_lock(hashtext('tokentally.ledger.partitions'))");
        for (const period of missing) {
          const { start, end } = periodBounds(period);
          await client.query(
            `CREATE TABLE IF NOT EXISTS tokentally.ledger_${period.replace('-', '_')}
               PARTITION OF tokentally.ledger FOR VALUES FROM ('${start.toISOString()}') TO ('${end.toISOString()}')`,
          );
          await client.query(ENSURE_PERIOD_SQL, [period, start, end]);
        }
      });
      for (const period of missing) this.knownPartitions.add(period);
    } finally {
      client.release();
    }
  }
}
