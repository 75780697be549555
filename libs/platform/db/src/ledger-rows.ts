import type { PricedCallEvent } from '@tokentally/contracts';

const DAY_MS = 86_400_000;
let cachedDay = NaN;
let cachedDayPrefix = '';
const pad = (value: number, width: number): string => String(value).padStart(width, '0');

/**
 * `new Date(ms).toISOString()`, without building a Date per call: the ledger writes two timestamps a
 * row and consecutive calls share a day, so the date part is formatted once per day and reused.
 */
export function isoUtc(epochMillis: number): string {
  if (!Number.isSafeInteger(epochMillis)) return new Date(epochMillis).toISOString(); // throws if invalid
  const day = Math.floor(epochMillis / DAY_MS);
  if (day !== cachedDay) {
    cachedDayPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    cachedDay = day;
  }
  const inDay = epochMillis - day * DAY_MS;
  const hours = Math.floor(inDay / 3_600_000);
  const minutes = Math.floor(inDay / 60_000) % 60;
  const seconds = Math.floor(inDay / 1000) % 60;
  return `${cachedDayPrefix}${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(inDay % 1000, 3)}Z`;
}

/** 'YYYY-MM' of a UTC instant: the billing period a call belongs to. */
export function periodOf(epochMillis: number): string {
  return isoUtc(epochMillis).slice(0, 7);
}

/** The instants a 'YYYY-MM' period covers: [start, end), UTC. */
export function periodBounds(period: string): { start: Date; end: Date } {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return { start: new Date(Date.UTC(year, month - 1, 1)), end: new Date(Date.UTC(year, month, 1)) };
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

export type ColumnType = 'text' | 'timestamptz' | 'int4' | 'int8' | 'bool' | 'jsonb';

/** A table column: its name, its Postgres type (for UNNEST casts) and how a source value fills it. */
export type Column<T> = [name: string, type: ColumnType, value: (source: T, period: string) => unknown];

/** Ledger columns with their Postgres type and how a priced event fills them. */
export const LEDGER_COLUMNS: Column<PricedCallEvent>[] = [
  ['event_id', 'text', (e) => e.event_id],
  ['occurred_at', 'timestamptz', (e) => isoUtc(e.occurred_at)],
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
  ['priced_model', 'text', (e) => e.priced_model ?? null],
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
  ...COST_COLUMNS.map((column): Column<PricedCallEvent> => [column, 'int8', (e) => e.cost[column]]),
  ['rate_card_id', 'text', (e) => e.rate_card_id],
  ['rate_card_version', 'text', (e) => e.rate_card_version],
  ['rate_multiplier_id', 'text', (e) => e.rate_multiplier_id],
  ['rate_multiplier_version', 'text', (e) => e.rate_multiplier_version],
  ['rate_multiplier', 'text', (e) => e.rate_multiplier],
  ['original_currency', 'text', (e) => e.original_currency],
  ['original_total_minor', 'int8', (e) => e.original_total_minor],
  ['fx_rate_id', 'text', (e) => e.fx_rate_id],
  ['priced_at', 'timestamptz', (e) => isoUtc(e.priced_at)],
];

export const LEDGER_COLUMN_NAMES = LEDGER_COLUMNS.map(([name]) => name);

/** Column arrays for `UNNEST($1::text[], ...)`: one array per column, one element per row. */
export function columnArrays<T>(
  columns: readonly Column<T>[],
  rows: readonly T[],
  periods?: readonly string[],
) {
  return columns.map(([, , value]) => rows.map((row, index) => value(row, periods?.[index] ?? '')));
}

const NEEDS_QUOTES = /[",\n\r]/;

/** CSV as COPY reads it: an empty field is NULL, a quoted empty string is ''. */
function csvField(value: unknown): string {
  if (typeof value === 'string') {
    if (value === '') return '""';
    return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  }
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value === null || value === undefined) return '';
  return csvField(JSON.stringify(value));
}

const LEDGER_VALUES = LEDGER_COLUMNS.map(([, , value]) => value);

/** One ledger row as a CSV line for COPY, built in one pass without intermediate arrays (the hot path). */
export function ledgerCsvLine(event: PricedCallEvent, period: string): string {
  let line = csvField((LEDGER_VALUES[0] as Column<PricedCallEvent>[2])(event, period));
  for (let column = 1; column < LEDGER_VALUES.length; column += 1)
    line += `,${csvField((LEDGER_VALUES[column] as Column<PricedCallEvent>[2])(event, period))}`;
  return `${line}\n`;
}

export const LEDGER_COPY_SQL = `COPY tokentally.ledger (${LEDGER_COLUMN_NAMES.join(', ')}) FROM STDIN WITH (FORMAT csv)`;
