import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { PricedCallEvent } from '@tokentally/contracts';

/** 'YYYY-MM' of a UTC instant: the billing period a call belongs to. */
export function periodOf(epochMillis: number): string {
  return new Date(epochMillis).toISOString().slice(0, 7);
}

/** The instants a 'YYYY-MM' period covers: [start, end), UTC. */
export function periodBounds(period: string): { start: Date; end: Date } {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return { start: new Date(Date.UTC(year, month - 1, 1)), end: new Date(Date.UTC(year, month, 1)) };
}

/** Registers a period (open) unless it exists: `$1` period, `$2` start, `$3` end. */
export const ENSURE_PERIOD_SQL = `INSERT INTO tokentally.periods (period, starts_at, ends_at) VALUES ($1, $2, $3)
  ON CONFLICT (period) DO NOTHING`;

export interface RecordResult {
  /** Rows new to the ledger; the rest of the batch were already there (redelivery, replay). */
  inserted: number;
  duplicates: number;
}

/** The cost columns shared by ledger rows, adjustments and priced events, in one order everywhere. */
export const COST_COLUMNS = [
  'uncached_input_nanos',
  'cache_read_nanos',
  'cache_write_5m_nanos',
  'cache_write_1h_nanos',
  'output_nanos',
  'reasoning_nanos',
  'request_fee_nanos',
  'units_nanos',
  'total_nanos',
] as const;
export type CostColumn = (typeof COST_COLUMNS)[number];

/** Ledger columns with their Postgres array type and how a priced event fills them. */
const LEDGER_COLUMNS: [string, string, (e: PricedCallEvent, period: string) => unknown][] = [
  ['event_id', 'text', (e) => e.event_id],
  ['occurred_at', 'timestamptz', (e) => new Date(e.occurred_at).toISOString()],
  ['period', 'text', (_e, period) => period],
  ['trace_id', 'text', (e) => e.trace_id],
  ['span_id', 'text', (e) => e.span_id],
  ['parent_span_id', 'text', (e) => e.parent_span_id],
  ['provider_request_id', 'text', (e) => e.provider_request_id],
  ['team_id', 'text', (e) => e.team_id],
  ['user_ref', 'text', (e) => e.user_ref],
  ['tenant_ref', 'text', (e) => e.tenant_ref],
  ['feature', 'text', (e) => e.feature],
  ['workflow', 'text', (e) => e.workflow],
  ['environment', 'text', (e) => e.environment],
  ['provider', 'text', (e) => e.provider],
  ['model', 'text', (e) => e.model],
  ['response_model', 'text', (e) => e.response_model],
  ['region', 'text', (e) => e.region],
  ['service_tier', 'text', (e) => e.service_tier],
  ['pricing_tier', 'text', (e) => e.pricing_tier],
  ['attempt', 'int4', (e) => e.attempt],
  ['is_retry', 'bool', (e) => e.is_retry ?? false],
  ['is_fallback', 'bool', (e) => e.is_fallback ?? false],
  ['status_code', 'int4', (e) => e.status_code],
  ['latency_ms', 'int4', (e) => e.latency_ms],
  ['uncached_input_tokens', 'int8', (e) => e.buckets.uncached_input],
  ['cache_read_tokens', 'int8', (e) => e.buckets.cache_read],
  ['cache_write_5m_tokens', 'int8', (e) => e.buckets.cache_write_5m],
  ['cache_write_1h_tokens', 'int8', (e) => e.buckets.cache_write_1h],
  ['output_tokens', 'int8', (e) => e.buckets.output],
  ['reasoning_tokens', 'int8', (e) => e.buckets.reasoning],
  ['units', 'jsonb', (e) => JSON.stringify(e.buckets.units)],
  ...COST_COLUMNS.map((column): [string, string, (e: PricedCallEvent) => unknown] => [
    column,
    'int8',
    (e) => e.cost[column],
  ]),
  ['rate_card_id', 'text', (e) => e.rate_card_id],
  ['rate_card_version', 'text', (e) => e.rate_card_version],
  ['rate_multiplier_id', 'text', (e) => e.rate_multiplier_id],
  ['rate_multiplier_version', 'text', (e) => e.rate_multiplier_version],
  ['rate_multiplier', 'text', (e) => e.rate_multiplier],
  ['original_currency', 'text', (e) => e.original_currency],
  ['original_total_minor', 'int8', (e) => e.original_total_minor],
  ['fx_rate_id', 'text', (e) => e.fx_rate_id],
  ['priced_at', 'timestamptz', (e) => new Date(e.priced_at).toISOString()],
];

export const LEDGER_COLUMN_NAMES = LEDGER_COLUMNS.map(([name]) => name);

/** A priced event as ledger column values, in LEDGER_COLUMN_NAMES order (the writer's and COPY's shape). */
export function ledgerRowValues(event: PricedCallEvent, period: string): unknown[] {
  return LEDGER_COLUMNS.map(([, , value]) => value(event, period));
}

/**
 * Rollup upserts fed by a CTE of new rows (`source`): grouped per key so no row is touched twice in one
 * statement, ordered so concurrent writers lock rollup rows in the same order. `counted` is false for
 * adjustments: they move money, not calls or tokens.
 */
const ROLLUP_KEYS = 'period, bucket, team_id, feature, workflow, model, provider, environment, user_ref';

function rollupUpserts(source: string, timeColumn: string, counted: boolean): string {
  const tokens = (expression: string): string => (counted ? `sum(${expression})` : '0');
  const measures: [string, string][] = [
    ['calls', counted ? 'count(*)' : '0'],
    ['retries', counted ? 'count(*) FILTER (WHERE is_retry)' : '0'],
    ['input_tokens', tokens('uncached_input_tokens')],
    ['cache_read_tokens', tokens('cache_read_tokens')],
    ['cache_write_5m_tokens', tokens('cache_write_5m_tokens')],
    ['cache_write_1h_tokens', tokens('cache_write_1h_tokens')],
    ['output_tokens', tokens('output_tokens')],
    ['reasoning_tokens', tokens('reasoning_tokens')],
    ['input_nanos', 'sum(uncached_input_nanos)'],
    ['cache_nanos', 'sum(cache_read_nanos + cache_write_5m_nanos + cache_write_1h_nanos)'],
    ['output_nanos', 'sum(output_nanos + reasoning_nanos)'],
    ['other_nanos', 'sum(request_fee_nanos + units_nanos)'],
    ['total_nanos', 'sum(total_nanos)'],
    // adjustments are all adjustment; a call booked in a later period than its own month is a late call
    [
      'adjustment_nanos',
      counted
        ? `coalesce(sum(total_nanos) FILTER (WHERE period <> to_char(${timeColumn} AT TIME ZONE 'UTC', 'YYYY-MM')), 0)`
        : 'sum(total_nanos)',
    ],
  ];
  const keys = ROLLUP_KEYS;
  const upsert = (table: string, unit: 'hour' | 'day' | 'month'): string => `
    INSERT INTO tokentally.${table} (${keys}, ${measures.map(([name]) => name).join(', ')})
    SELECT period, date_trunc('${unit}', ${timeColumn}, 'UTC'), team_id, feature, coalesce(workflow, ''),
           model, provider, environment, coalesce(user_ref, ''), ${measures.map(([, sql]) => sql).join(', ')}
      FROM ${source}
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
     ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
    ON CONFLICT (${keys}) DO UPDATE SET
      ${measures.map(([name]) => `${name} = ${table}.${name} + EXCLUDED.${name}`).join(',\n      ')}`;
  return `hourly AS (${upsert('rollup_hourly', 'hour')} RETURNING 1),
    daily AS (${upsert('rollup_daily', 'day')} RETURNING 1),
    monthly AS (${upsert('rollup_monthly', 'month')} RETURNING 1)`;
}

/**
 * One statement: column arrays UNNESTed into `table` with ON CONFLICT DO NOTHING, and only the rows
 * actually inserted fed to the rollups, so a duplicate never reaches a rollup.
 */
function insertNewWithRollups(
  table: string,
  columns: readonly [string, string, ...unknown[]][],
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
  ${rollupUpserts('inserted', timeColumn, counted)}
  SELECT count(*)::int AS inserted FROM inserted`;
}

const RECORD_SQL = insertNewWithRollups('ledger', LEDGER_COLUMNS, 'occurred_at', true);

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\n\r]/.test(text) || text === '' ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One ledger row as a CSV line for COPY (empty field = NULL, quoted empty string = ''). */
export function ledgerCsvLine(event: PricedCallEvent, period: string): string {
  return `${ledgerRowValues(event, period).map(csvField).join(',')}\n`;
}

export const LEDGER_COPY_SQL = `COPY tokentally.ledger (${LEDGER_COLUMN_NAMES.join(', ')}) FROM STDIN WITH (FORMAT csv)`;

/** The rollup measures of one priced call, in the rollup tables' column order. */
const ROLLUP_MEASURES: [string, (e: PricedCallEvent, late: boolean) => bigint][] = [
  ['calls', () => 1n],
  ['retries', (e) => (e.is_retry ? 1n : 0n)],
  ['input_tokens', (e) => BigInt(e.buckets.uncached_input)],
  ['cache_read_tokens', (e) => BigInt(e.buckets.cache_read)],
  ['cache_write_5m_tokens', (e) => BigInt(e.buckets.cache_write_5m)],
  ['cache_write_1h_tokens', (e) => BigInt(e.buckets.cache_write_1h)],
  ['output_tokens', (e) => BigInt(e.buckets.output)],
  ['reasoning_tokens', (e) => BigInt(e.buckets.reasoning)],
  ['input_nanos', (e) => BigInt(e.cost.uncached_input_nanos)],
  [
    'cache_nanos',
    (e) =>
      BigInt(e.cost.cache_read_nanos) +
      BigInt(e.cost.cache_write_5m_nanos) +
      BigInt(e.cost.cache_write_1h_nanos),
  ],
  ['output_nanos', (e) => BigInt(e.cost.output_nanos) + BigInt(e.cost.reasoning_nanos)],
  ['other_nanos', (e) => BigInt(e.cost.request_fee_nanos) + BigInt(e.cost.units_nanos)],
  ['total_nanos', (e) => BigInt(e.cost.total_nanos)],
  ['adjustment_nanos', (e, late) => (late ? BigInt(e.cost.total_nanos) : 0n)],
];

const rollupFromArraysSql = (table: string): string => `
  INSERT INTO tokentally.${table} (${ROLLUP_KEYS}, ${ROLLUP_MEASURES.map(([name]) => name).join(', ')})
  SELECT * FROM UNNEST($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                       $8::text[], $9::text[], ${ROLLUP_MEASURES.map((_, i) => `$${i + 10}::int8[]`).join(', ')})
   ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
  ON CONFLICT (${ROLLUP_KEYS}) DO UPDATE SET
    ${ROLLUP_MEASURES.map(([name]) => `${name} = ${table}.${name} + EXCLUDED.${name}`).join(',\n    ')}`;
const ROLLUP_HOURLY_FROM_ARRAYS = rollupFromArraysSql('rollup_hourly');
const ROLLUP_DAILY_FROM_ARRAYS = rollupFromArraysSql('rollup_daily');
const ROLLUP_MONTHLY_FROM_ARRAYS = rollupFromArraysSql('rollup_monthly');

const HOUR = (ms: number): number => ms - (ms % 3_600_000);
const DAY = (ms: number): number => ms - (ms % 86_400_000);
const MONTH = (ms: number): number => {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
};

/** Sums a batch per rollup key in BigInt; the same grouping the SQL path does with GROUP BY. */
function rollupParams(
  events: readonly PricedCallEvent[],
  periods: readonly string[],
  bucketOf: (epochMillis: number) => number,
): unknown[][] {
  const groups = new Map<string, { key: unknown[]; sums: bigint[] }>();
  events.forEach((event, index) => {
    const late = periods[index] !== periodOf(event.occurred_at);
    const key = [
      periods[index],
      new Date(bucketOf(event.occurred_at)).toISOString(),
      event.team_id,
      event.feature,
      event.workflow ?? '',
      event.model,
      event.provider,
      event.environment,
      event.user_ref ?? '',
    ];
    const id = key.join('\u0000');
    let group = groups.get(id);
    if (!group) {
      group = { key, sums: ROLLUP_MEASURES.map(() => 0n) };
      groups.set(id, group);
    }
    ROLLUP_MEASURES.forEach(([, measure], m) => {
      group.sums[m] = (group.sums[m] as bigint) + measure(event, late);
    });
  });
  const rows = [...groups.values()];
  return [
    ...Array.from({ length: 9 }, (_, k) => rows.map((row) => row.key[k])),
    ...ROLLUP_MEASURES.map((_, m) => rows.map((row) => (row.sums[m] as bigint).toString())),
  ];
}

const UNIQUE_VIOLATION = '23505';

export interface AdjustmentRow {
  adjustmentId: string;
  eventId: string;
  occurredAt: number;
  traceId: string;
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

const ADJUSTMENT_COLUMNS: [string, string, (a: AdjustmentRow) => unknown][] = [
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
  ...COST_COLUMNS.map((column): [string, string, (a: AdjustmentRow) => unknown] => [
    column,
    'int8',
    (a) => a.delta[column].toString(),
  ]),
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
   * Writes a batch. Fast path: COPY the rows and upsert the batch's rollups in one transaction; a batch
   * holding any row already in the ledger (redelivery, replay) fails that COPY on the key, is rolled back
   * whole, and takes the exact path: one INSERT ... ON CONFLICT DO NOTHING whose new rows alone feed the
   * rollups. Either way the batch lands once, atomically with its rollups.
   */
  async record(events: readonly PricedCallEvent[]): Promise<RecordResult> {
    if (events.length === 0) return { inserted: 0, duplicates: 0 };
    await this.ensurePartitions(events.map((e) => periodOf(e.occurred_at)));
    const closed = await this.closedPeriods();
    const openPeriod = periodOf(this.clock());
    const periods = events.map((event) => {
      const own = periodOf(event.occurred_at);
      return closed.has(own) ? openPeriod : own;
    });
    const client = await this.pool.connect();
    try {
      if (await this.copyBatch(client, events, periods)) return { inserted: events.length, duplicates: 0 };
      const params: unknown[][] = LEDGER_COLUMNS.map(() => new Array<unknown>(events.length));
      events.forEach((event, row) => {
        LEDGER_COLUMNS.forEach(([, , value], column) => {
          (params[column] as unknown[])[row] = value(event, periods[row] as string);
        });
      });
      const result = await client.query<{ inserted: number }>(RECORD_SQL, params);
      const inserted = result.rows[0]?.inserted ?? 0;
      return { inserted, duplicates: events.length - inserted };
    } finally {
      client.release();
    }
  }

  /** True when the whole batch was new and is committed; false (rolled back) when a row already existed. */
  private async copyBatch(
    client: PoolClient,
    events: readonly PricedCallEvent[],
    periods: readonly string[],
  ): Promise<boolean> {
    if (new Set(events.map((e) => e.event_id)).size !== events.length) return false;
    await client.query('BEGIN');
    try {
      const csv = events.map((event, index) => ledgerCsvLine(event, periods[index] as string)).join('');
      await pipeline(Readable.from([csv]), client.query(copyFrom(LEDGER_COPY_SQL)));
      await client.query(ROLLUP_HOURLY_FROM_ARRAYS, rollupParams(events, periods, HOUR));
      await client.query(ROLLUP_DAILY_FROM_ARRAYS, rollupParams(events, periods, DAY));
      await client.query(ROLLUP_MONTHLY_FROM_ARRAYS, rollupParams(events, periods, MONTH));
      await client.query('COMMIT');
      return true;
    } catch (error) {
      await client.query('ROLLBACK');
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) return false;
      throw error;
    }
  }

  async adjust(adjustments: readonly AdjustmentRow[]): Promise<number> {
    if (adjustments.length === 0) return 0;
    const params = ADJUSTMENT_COLUMNS.map(([, , value]) => adjustments.map((a) => value(a)));
    const result = await this.pool.query<{ inserted: number }>(ADJUST_SQL, params);
    return result.rows[0]?.inserted ?? 0;
  }

  async closedPeriods(): Promise<Set<string>> {
    const { rows } = await this.pool.query<{ period: string }>(
      "SELECT period FROM tokentally.periods WHERE status = 'closed'",
    );
    return new Set(rows.map((r) => r.period));
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
      await client.query('BEGIN');
      await client.query("SELECT pg_advisory_xact_lock(hashtext('tokentally.ledger.partitions'))");
      for (const period of missing) {
        const { start, end } = periodBounds(period);
        await client.query(
          `CREATE TABLE IF NOT EXISTS tokentally.ledger_${period.replace('-', '_')}
             PARTITION OF tokentally.ledger FOR VALUES FROM ('${start.toISOString()}') TO ('${end.toISOString()}')`,
        );
        await client.query(ENSURE_PERIOD_SQL, [period, start, end]);
      }
      await client.query('COMMIT');
      for (const period of missing) this.knownPartitions.add(period);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
