import type { PricedCallEvent } from '@tokentally/contracts';
import { isLateBooking } from '@tokentally/domain-ledger';

/**
 * Rollups: hourly, daily and monthly sums per (period, bucket, team, feature, workflow, model, provider,
 * environment, user_ref) and the envelope dimensions of each grain, maintained in the ledger writer's
 * transaction so that rollup sums equal ledger sums exactly. Optional dimensions are '' rather than
 * NULL so they can key.
 */
export const ROLLUP_TABLES = { hour: 'rollup_hourly', day: 'rollup_daily', month: 'rollup_monthly' } as const;
export type Grain = keyof typeof ROLLUP_TABLES;
const GRAINS = Object.keys(ROLLUP_TABLES) as Grain[];

/** Every dimension some rollup keys by: columns of the ledger and of adjustments, fields of a priced event. */
const DIMENSIONS = [
  'team_id',
  'feature',
  'workflow',
  'model',
  'provider',
  'environment',
  'user_ref',
  'prompt_template_version',
  'owner_source',
  'project_id',
  'tenant_ref',
] as const satisfies readonly (keyof PricedCallEvent)[];
export type RollupDimension = (typeof DIMENSIONS)[number];
const COMMON = DIMENSIONS.slice(0, 7);

/**
 * Each grain keys by the dimensions its readers need and no more: every dimension multiplies the rows a
 * batch upserts (ADR 0006). Daily: reports by template version and owner source, the reconciler's
 * provider account x model x day. Monthly (statements): tenant and template version. See migration 0009.
 */
export const GRAIN_DIMENSIONS: Record<Grain, readonly RollupDimension[]> = {
  hour: COMMON,
  day: [...COMMON, 'prompt_template_version', 'owner_source', 'project_id'],
  month: [...COMMON, 'prompt_template_version', 'tenant_ref'],
};
const rollupKeys = (grain: Grain): string => ['period', 'bucket', ...GRAIN_DIMENSIONS[grain]].join(', ');
const keyOrdinals = (grain: Grain): string =>
  Array.from({ length: 2 + GRAIN_DIMENSIONS[grain].length }, (_, i) => i + 1).join(', ');

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
  const keys = rollupKeys(grain);
  return `add_${grain} AS (
    INSERT INTO tokentally.${table} (${keys}, ${MEASURE_NAMES.join(', ')})
    ${select}
     ORDER BY ${keyOrdinals(grain)}
    ON CONFLICT (${keys}) DO UPDATE SET
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
      `SELECT period, date_trunc('${grain}', ${timeColumn}, 'UTC'),
           ${GRAIN_DIMENSIONS[grain].map((d) => `coalesce(${d}, '')`).join(', ')}, ${measures}
      FROM ${source}
     GROUP BY ${keyOrdinals(grain)}`,
    ),
  ).join(',\n  ');
}

/**
 * One statement that adds sums computed in the writer (see `RollupSums`) to all three rollups: `$1` the
 * grain of each row, `$2` period, `$3` bucket, one array per dimension (a grain ignores the ones it does
 * not key by), then one array per measure.
 */
export const ROLLUP_SUMS_SQL = `
  WITH sums AS (
    SELECT * FROM UNNEST($1::text[], $2::text[], $3::timestamptz[], ${DIMENSIONS.map(
      (_, i) => `$${i + 4}::text[]`,
    ).join(', ')}, ${MEASURES.map((_, i) => `$${i + DIMENSIONS.length + 4}::int8[]`).join(', ')})
      AS t(grain, period, bucket, ${DIMENSIONS.join(', ')}, ${MEASURE_NAMES.join(', ')})
  ),
  ${GRAINS.map((grain) =>
    addToRollup(
      grain,
      `SELECT ${rollupKeys(grain)}, ${MEASURE_NAMES.join(', ')} FROM sums WHERE grain = '${grain}'`,
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
  /** The period, then every dimension ('' where the grain does not key by it). */
  key: string[];
  bucket: number;
  sums: (number | bigint)[];
}

/** Key positions (after the period) of each dimension a grain keys by. */
const GRAIN_POSITIONS: Record<Grain, number[]> = {
  hour: GRAIN_DIMENSIONS.hour.map((d) => DIMENSIONS.indexOf(d) + 1),
  day: GRAIN_DIMENSIONS.day.map((d) => DIMENSIONS.indexOf(d) + 1),
  month: GRAIN_DIMENSIONS.month.map((d) => DIMENSIONS.indexOf(d) + 1),
};

/** Key positions of the envelope dimensions (those past the common ones). */
const ENVELOPE_POSITIONS = DIMENSIONS.slice(COMMON.length).map((_, i) => COMMON.length + 1 + i);
const blank = (key: string[], position: number): string[] => ((key[position] = ''), key);

/**
 * A batch's rollup rows for `ROLLUP_SUMS_SQL`, summed exactly per key as the writer streams the rows:
 * each call is added to its hour under every dimension (one map look-up per call: the envelope values
 * vary little within a team, feature and user, so this has about as many groups as hours), and at the
 * end these fold into each grain's own key, so the per-call work is done once for three grains.
 */
export class RollupSums {
  /** Per hour and common key, the groups that differ in their envelope (almost always one). */
  private readonly hours = new Map<string, Group[]>();

  add(event: PricedCallEvent, period: string): void {
    const bucket = Math.floor(event.occurred_at / HOUR_MS) * HOUR_MS;
    // The common dimensions key a map as before; the envelope ones are compared in place, which keeps
    // the per-call cost of the hot path near what it was with the common key alone.
    const id = `${bucket}\u0000${period}\u0000${event.team_id}\u0000${event.feature}\u0000${event.workflow ?? ''}\u0000${event.model}\u0000${event.provider}\u0000${event.environment}\u0000${event.user_ref ?? ''}`;
    let variants = this.hours.get(id);
    if (!variants) {
      variants = [];
      this.hours.set(id, variants);
    }
    let group: Group | undefined;
    for (const candidate of variants)
      if (
        ENVELOPE_POSITIONS.every(
          (p) => candidate.key[p] === (event[DIMENSIONS[p - 1] as RollupDimension] ?? ''),
        )
      ) {
        group = candidate;
        break;
      }
    if (!group) {
      const key: string[] = [period];
      for (const dimension of DIMENSIONS) key.push(event[dimension] ?? '');
      group = { grain: 'hour', key, bucket, sums: MEASURES.map(() => 0) };
      variants.push(group);
    }
    const late = isLateBooking(period, event.occurred_at);
    for (let m = 0; m < MEASURES.length; m += 1)
      group.sums[m] = addExact(group.sums[m] as number | bigint, (MEASURES[m] as Measure)[1](event, late));
  }

  /** The statement's parameters: one array per column, hourly then daily then monthly rows. */
  params(): unknown[][] {
    const finest = [...this.hours.values()].flat();
    // an hour key with one envelope (the usual case) is its own hourly row, envelope left out
    const hours = [...this.hours.values()].flatMap((variants) =>
      variants.length === 1
        ? [
            {
              ...(variants[0] as Group),
              key: ENVELOPE_POSITIONS.reduce(blank, [...(variants[0] as Group).key]),
            },
          ]
        : coarser(variants, 'hour', (ms) => ms),
    );
    const days = coarser(finest, 'day', (ms) => Math.floor(ms / DAY_MS) * DAY_MS);
    // from the finest groups, not the days: the month keys by tenant_ref, which the day does not
    const months = coarser(finest, 'month', startOfMonth);
    const rows = [...hours, ...days, ...months];
    return [
      rows.map((row) => row.grain),
      rows.map((row) => row.key[0]),
      rows.map((row) => new Date(row.bucket).toISOString()),
      ...DIMENSIONS.map((_, d) => rows.map((row) => row.key[d + 1])),
      ...MEASURES.map((_, m) => rows.map((row) => String(row.sums[m]))),
    ];
  }
}

/** Folds groups into a grain's buckets and key: the dimensions it does not key by become ''. */
function coarser(groups: Iterable<Group>, grain: Grain, bucketOf: (ms: number) => number): Group[] {
  const positions = GRAIN_POSITIONS[grain];
  const merged = new Map<string, Group>();
  for (const group of groups) {
    const bucket = bucketOf(group.bucket);
    let id = `${bucket}\u0000${group.key[0]}`;
    for (const p of positions) id += `\u0000${group.key[p]}`;
    const into = merged.get(id);
    if (!into) {
      const key = group.key.map((value, p) => (p === 0 || positions.includes(p) ? value : ''));
      merged.set(id, { grain, key, bucket, sums: [...group.sums] });
    } else
      group.sums.forEach((value, m) => (into.sums[m] = addExact(into.sums[m] as number | bigint, value)));
  }
  return [...merged.values()];
}
