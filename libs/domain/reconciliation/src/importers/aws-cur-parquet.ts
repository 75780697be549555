import { parquetReadObjects } from 'hyparquet';
import { stringify } from 'csv-stringify/sync';

/**
 * AWS Data Exports write CUR 2.0 as Parquet too. Its cost columns are DOUBLEs (the format's choice,
 * not ours): each is written as the shortest decimal that reads back as the same double, which is the
 * decimal AWS computed (CUR amounts have at most 10 fractional digits, well inside a double's 15-17
 * significant ones), never summed or scaled as a float, and padded to CUR's 10 decimals as its CSV
 * spells them (so the rounding allowance is the same); timestamps as the CSV writes them. The rows then
 * go through the same CUR importer as the CSV spelling: both give the same lines, line ids included.
 */
export async function awsCurParquetToCsv(bytes: Uint8Array): Promise<string> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const rows = (await parquetReadObjects({ file })) as Record<string, unknown>[];
  if (rows.length === 0) return '';
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return stringify(
    rows.map((row) => columns.map((column) => cellText(row[column]))),
    { header: true, columns },
  );
}

/**
 * An uploaded export as the importers read it: text as sent (a BOM kept, so its import id is what it
 * always was), or a CUR 2.0 Parquet file as its CSV spelling. Parquet is read for `aws-cur` only.
 */
export async function exportContent(bytes: Uint8Array, format: string): Promise<string> {
  if (!isParquet(bytes)) return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  if (format !== 'aws-cur')
    throw new RangeError(`a Parquet export is read for format aws-cur (CUR 2.0) only, not ${format}`);
  return awsCurParquetToCsv(bytes);
}

/** True for a Parquet file (it starts and ends with the magic bytes PAR1). */
export function isParquet(bytes: Uint8Array): boolean {
  const magic = (at: number) =>
    bytes[at] === 0x50 && bytes[at + 1] === 0x41 && bytes[at + 2] === 0x52 && bytes[at + 3] === 0x31;
  return bytes.length >= 8 && magic(0) && magic(bytes.length - 4);
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return curDecimal(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString().replace('.000Z', 'Z');
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  // maps and structs (resource_tags, product): JSON, as the CSV spelling writes them
  return JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

const CUR_DECIMALS = 10;

function curDecimal(value: number): string {
  const text = plainDecimal(value);
  const point = text.indexOf('.');
  const decimals = point === -1 ? 0 : text.length - point - 1;
  if (decimals >= CUR_DECIMALS) return text;
  return `${point === -1 ? `${text}.` : text}${'0'.repeat(CUR_DECIMALS - decimals)}`;
}

/** The shortest round-trip decimal of a double, without an exponent (`1e-7` -> `0.0000001`). */
export function plainDecimal(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite amount: ${value}`);
  const text = String(value);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, head, tail = '', exponentText] = match;
  const digits = `${head}${tail}`;
  const point = 1 + Number(exponentText);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
