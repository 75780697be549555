import type { PricedCallEvent } from '@tokentally/contracts';
import { isLateBooking } from '@tokentally/domain-ledger';

/**
 * Rollups: hourly, daily and monthly sums per (period, bucket, team, feature, workflow, model, provider,
 * environment, user_ref), maintained in the ledger writer's transaction so that rollup sums equal
 * ledger sums exactly. Optional dimensions are '' rather than NULL so they can key.
 */
export const ROLLUP_TABLES = { hour: 'rollup_hourly', day: 'rollup_daily', month: 'rollup_monthly' } as const;
export type Grain = keyof typeof ROLLUP_TABLES;
const GRAINS = Object.keys(ROLLUP_TABLES) as Grain[];

const ROLLUP_KEYS = 'period, bucket, team_id, feature, workflow, model, provider, environment, user_ref';
const KEY_COUNT = 9;

/** The rollup measures, in the rollup tables' column order, with how one ledger row feeds each. */
type Measure = [name: string, ofCall: (e: PricedCallEvent, late: boolean) => number];
const MEASURES: Measure[] = [
  ['calls', () => 1],
  ['retries', (e) => (e.is_retry ? 1 : 0)],
  ['input_tokens', (e) => e.buckets.uncached_input],
  ['cache_read_tokens', (e) => e.buckets.cache_read],
  ['cache_write_5m_tokens', (e) => e.buckets.cache_write_5m],
  ['cache_write_1h_tokens', (e) => e.buckets.cache_write_1h],
  ['output_tokens', (e) => e.buckets.output],
  ['reasoning_tokens', (e) => e.buckets.reasoning],
  ['input_nanos', (e) => e.cost.uncached_input_nanos],
  ['cache_nanos', (e) => e.cost.cache_read_nanos + e.cost.cache_write_5m_nanos + e.cost.cache_write_1h_nanos],
  ['output_nanos', (e) => e.cost.output_nanos + e.cost.reasoning_nanos],
  ['other_nanos', (e) => e.cost.request_fee_nanos + e.cost.units_nanos],
  ['total_nanos', (e) => e.cost.total_nanos],
  // a call booked in a later period than its own month (its month was closed) is a late call
  ['adjustment_nanos', (e, late) => (late ? e.cost.total_nanos : 0)],
];
const MEASURE_NAMES = MEASURES.map(([name]) => name);

/** The same measures in SQL over ledger or adjustment rows (`counted` false: adjustments move money only). */
function measuresSql(timeColumn: string, counted: boolean): string[] {
  const tokens = (column: string): string => (counted ? `sum(${column})` : '0');
  return [
    counted ? 'count(*)' : '0',
    counted ? 'count(*) FILTER (WHERE is_retry)' : '0',
    tokens('uncached_input_tokens'),
    tokens('cache_read_tokens'),
    tokens('cache_write_5m_tokens'),
    tokens('cache_write_1h_tokens'),
    tokens('output_tokens'),
    tokens('reasoning_tokens'),
    'sum(uncached_input_nanos)',
    'sum(cache_read_nanos + cache_write_5m_nanos + cache_write_1h_nanos)',
    'sum(output_nanos + reasoning_nanos)',
    'sum(request_fee_nanos + units_nanos)',
    'sum(total_nanos)',
    counted
      ? `coalesce(sum(total_nanos) FILTER (WHERE period <> to_char(${timeColumn} AT TIME ZONE 'UTC', 'YYYY-MM')), 0)`
      : 'sum(total_nanos)',
  ];
}

/**
 * A CTE adding the rows `select` yields (one per key, grouped) to a grain's rollup, ordered so that
 * concurrent writers lock rollup rows in the same order.
 */
const addToRollup = (grain: Grain, select: string): string => {
  const table = ROLLUP_TABLES[grain];
  return `add_${grain} AS (
    INSERT INTO tokentally.${table} (${ROLLUP_KEYS}, ${MEASURE_NAMES.join(', ')})
    ${select}
     ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
    ON CONFLICT (${ROLLUP_KEYS}) DO UPDATE SET
      ${MEASURE_NAMES.map((name) => `${name} = ${table}.${name} + EXCLUDED.${name}`).join(',\n      ')}
    RETURNING 1)`;
};

/**
 * CTEs that add the rows of `source` (a CTE of new ledger or adjustment rows) to every rollup, grouped
 * per key so no rollup row is touched twice in one statement.
 */
export function rollupUpsertCtes(source: string, timeColumn: string, counted: boolean): string {
  const measures = measuresSql(timeColumn, counted).join(', ');
  return GRAINS.map((grain) =>
    addToRollup(
      grain,
      `SELECT period, date_trunc('${grain}', ${timeColumn}, 'UTC'), team_id, feature, coalesce(workflow, ''),
           model, provider, environment, coalesce(user_ref, ''), ${measures}
      FROM ${source}
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
    ),
  ).join(',\n  ');
}

/**
 * One statement that adds sums computed in the writer (see `RollupSums`) to all three rollups:
 * `$1` the grain of each row, `$2`..`$10` its key, then one array per measure.
 */
export const ROLLUP_SUMS_SQL = `
  WITH sums AS (
    SELECT * FROM UNNEST($1::text[], $2::text[], $3::timestamptz[], ${Array.from(
      { length: KEY_COUNT - 2 },
      (_, i) => `$${i + 4}::text[]`,
    ).join(', ')}, ${MEASURES.map((_, i) => `$${i + KEY_COUNT + 2}::int8[]`).join(', ')})
      AS t(grain, ${ROLLUP_KEYS}, ${MEASURE_NAMES.join(', ')})
  ),
  ${GRAINS.map((grain) =>
    addToRollup(
      grain,
      `SELECT ${ROLLUP_KEYS}, ${MEASURE_NAMES.join(', ')} FROM sums WHERE grain = '${grain}'`,
    ),
  ).join(',\n  ')}
  SELECT 1`;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const startOfMonth = (epochMillis: number): number => {
  const date = new Date(epochMillis);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
};

/**
 * Adds integers exactly: in a double while both operands and the result are safe integers (then the
 * result is exact, or visibly unsafe), in BigInt from then on.
 */
function addExact(sum: number | bigint, value: number | bigint): number | bigint {
  if (typeof sum === 'number' && typeof value === 'number' && Number.isSafeInteger(value)) {
    const next = sum + value;
    if (Number.isSafeInteger(next)) return next;
  }
  return BigInt(sum) + BigInt(value); // BigInt() throws on a non-integer: never a silent rounding
}

interface Group {
  grain: Grain;
  key: string[];
  bucket: number;
  sums: (number | bigint)[];
}

/**
 * A batch's rollup rows for `ROLLUP_SUMS_SQL`, summed exactly per key as the writer streams the rows:
 * each call is added to its hour, and at the end hours to their day and days to their month, so the
 * per-call work is done once for three grains.
 */
export class RollupSums {
  private readonly hours = new Map<string, Group>();

  add(event: PricedCallEvent, period: string): void {
    const bucket = Math.floor(event.occurred_at / HOUR_MS) * HOUR_MS;
    const key = [
      period,
      event.team_id,
      event.feature,
      event.workflow ?? '',
      event.model,
      event.provider,
      event.environment,
      event.user_ref ?? '',
    ];
    const id = `${bucket}\u0000${key.join('\u0000')}`;
    let group = this.hours.get(id);
    if (!group) {
      group = { grain: 'hour', key, bucket, sums: MEASURES.map(() => 0) };
      this.hours.set(id, group);
    }
    const late = isLateBooking(period, event.occurred_at);
    for (let m = 0; m < MEASURES.length; m += 1)
      group.sums[m] = addExact(group.sums[m] as number | bigint, (MEASURES[m] as Measure)[1](event, late));
  }

  /** The statement's parameters: one array per column, hourly then daily then monthly rows. */
  params(): unknown[][] {
    const days = coarser(this.hours.values(), 'day', (ms) => Math.floor(ms / DAY_MS) * DAY_MS);
    const months = coarser(days, 'month', startOfMonth);
    const rows = [...this.hours.values(), ...days, ...months];
    return [
      rows.map((row) => row.grain),
      rows.map((row) => row.key[0]),
      rows.map((row) => new Date(row.bucket).toISOString()),
      ...Array.from({ length: KEY_COUNT - 2 }, (_, k) => rows.map((row) => row.key[k + 1])),
      ...MEASURES.map((_, m) => rows.map((row) => String(row.sums[m]))),
    ];
  }
}

function coarser(groups: Iterable<Group>, grain: Grain, bucketOf: (ms: number) => number): Group[] {
  const merged = new Map<string, Group>();
  for (const group of groups) {
    const bucket = bucketOf(group.bucket);
    const id = `${bucket}\u0000${group.key.join('\u0000')}`;
    const into = merged.get(id);
    if (!into) merged.set(id, { grain, key: group.key, bucket, sums: [...group.sums] });
    else group.sums.forEach((value, m) => (into.sums[m] = addExact(into.sums[m] as number | bigint, value)));
  }
  return [...merged.values()];
}
