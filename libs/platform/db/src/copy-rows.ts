/**
 * The mechanism for writing rows in bulk: typed columns for `UNNEST($1::text[], ...)`, CSV lines as
 * COPY reads them, and a fast UTC timestamp formatter. Which columns a table has is the adapters' business.
 */
const DAY_MS = 86_400_000;
let cachedDay = NaN;
let cachedDayPrefix = '';
const pad = (value: number, width: number): string => String(value).padStart(width, '0');

/**
 * `new Date(ms).toISOString()`, without building a Date per call: a bulk write formats timestamps per
 * row and consecutive rows share a day, so the date part is formatted once per day and reused.
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

export type ColumnType = 'text' | 'timestamptz' | 'int4' | 'int8' | 'bool' | 'jsonb';

/** A table column: its name, its Postgres type (for UNNEST casts) and how a source value fills it. */
export type Column<T> = [name: string, type: ColumnType, value: (source: T, period: string) => unknown];

/** Column arrays for `UNNEST($1::text[], ...)`: one array per column, one element per row. */
export function columnArrays<T>(
  columns: readonly Column<T>[],
  rows: readonly T[],
  periods?: readonly string[],
) {
  return columns.map(([, , value]) => rows.map((row, index) => value(row, periods?.[index] ?? '')));
}

const NEEDS_QUOTES = /[",\n\r]/;

/** One CSV field as COPY reads it: an empty field is NULL, a quoted empty string is ''. */
export function copyCsvField(value: unknown): string {
  if (typeof value === 'string') {
    if (value === '') return '""';
    return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  }
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value === null || value === undefined) return '';
  return copyCsvField(JSON.stringify(value));
}

/** A function writing one row as a CSV line for COPY in one pass, without intermediate arrays (hot path). */
export function copyCsvLineWriter<T>(columns: readonly Column<T>[]): (row: T, period: string) => string {
  const values = columns.map(([, , value]) => value);
  return (row, period) => {
    let line = copyCsvField((values[0] as Column<T>[2])(row, period));
    for (let column = 1; column < values.length; column += 1)
      line += `,${copyCsvField((values[column] as Column<T>[2])(row, period))}`;
    return `${line}\n`;
  };
}

/** `COPY table (columns) FROM STDIN` in CSV, for `pg-copy-streams`. */
export const copyCsvSql = <T>(table: string, columns: readonly Column<T>[]): string =>
  `COPY ${table} (${columns.map(([name]) => name).join(', ')}) FROM STDIN WITH (FORMAT csv)`;
