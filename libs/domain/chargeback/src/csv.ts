import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/**
 * How a column is written. `number` columns hold exact decimals (money, counts, prices) and are written
 * as they are, a leading minus included: a negative amount is a legitimate number in a finance CSV and
 * a spreadsheet reads it as a number, never as a formula. `text` columns hold names, ids and labels that
 * come from users (team names, features, workflows) and are escaped against formula injection.
 */
export type CsvKind = 'text' | 'number';
export interface CsvColumn {
  name: string;
  kind: CsvKind;
}

/**
 * OWASP "CSV Injection": a cell beginning with `=`, `+`, `-`, `@`, tab or carriage return is read as a
 * formula by spreadsheets. Such text cells get a leading single quote, which spreadsheets show as text.
 * The full-width forms of the four signs are included: some spreadsheets normalise them to ASCII.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

export function escapeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function cell(value: string | null, column: CsvColumn): string {
  if (value === null) return '';
  if (column.kind === 'text') return escapeFormula(value);
  // a number column carries only what the code computed; anything else is a bug, never user input
  if (!DECIMAL.test(value)) throw new TypeError(`column ${column.name}: "${value}" is not a decimal`);
  return value;
}

/**
 * RFC 4180 CSV (csv-stringify quotes cells holding a comma, quote or line break), a header row, `\n`
 * line ends, an empty cell for null, text cells escaped against formula injection.
 */
export function writeCsv(
  columns: readonly CsvColumn[],
  rows: readonly (readonly (string | null)[])[],
): string {
  const records = rows.map((row) => columns.map((column, index) => cell(row[index] ?? null, column)));
  return stringify([columns.map((c) => c.name), ...records], { record_delimiter: 'unix' });
}

/** Columns of one kind from their names. */
export const columnsOf = (kind: CsvKind, names: readonly string[]): CsvColumn[] =>
  names.map((name) => ({ name, kind }));

/** Parses CSV (RFC 4180 quoting) into a header and rows keyed by it; an empty cell is null. */
export function parseCsv(text: string): { header: string[]; rows: Record<string, string | null>[] } {
  const records: string[][] = parse(text, { relax_column_count: true, skip_empty_lines: true });
  const [header = [], ...body] = records;
  return {
    header,
    rows: body.map((cells) =>
      Object.fromEntries(header.map((column, index) => [column, cells[index] || null])),
    ),
  };
}
