import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { csvRows } from './export-rows';
import { awsCurParquetToCsv, exportContent, isParquet, plainDecimal } from './aws-cur-parquet';
import { importAwsCur } from './aws-cur.importer';

const CSV = readFileSync(path.join(__dirname, '../../fixtures/aws-cur-bedrock.csv'), 'utf8');
// the columns CUR 2.0 Parquet types as numbers; everything else is a string
const DOUBLES = new Set([
  'line_item_usage_amount',
  'line_item_unblended_rate',
  'line_item_unblended_cost',
  'line_item_net_unblended_cost',
]);
const TIMES = new Set([
  'line_item_usage_start_date',
  'line_item_usage_end_date',
  'bill_billing_period_start_date',
]);

/** The CSV fixture written as CUR Parquet is: doubles for amounts, timestamps for dates. */
function asParquet(): Uint8Array {
  const rows = csvRows(CSV) as Record<string, string>[];
  const columns = Object.keys(rows[0] ?? {});
  const buffer = parquetWriteBuffer({
    columnData: columns.map((name) =>
      DOUBLES.has(name)
        ? {
            name,
            data: rows.map((r) => (r[name] === '' ? null : Number(r[name]))),
            type: 'DOUBLE' as const,
            nullable: true,
          }
        : TIMES.has(name)
          ? {
              name,
              data: rows.map((r) => new Date(r[name] as string)),
              type: 'TIMESTAMP' as const,
              nullable: true,
            }
          : { name, data: rows.map((r) => r[name] ?? null), type: 'STRING' as const, nullable: true },
    ),
  });
  return new Uint8Array(buffer);
}

describe('AWS CUR 2.0 as Parquet', () => {
  it('gives the same cost lines, to the nano, as the CSV spelling of the same rows', async () => {
    const bytes = asParquet();
    expect(isParquet(bytes)).toBe(true);
    const fromParquet = importAwsCur(await awsCurParquetToCsv(bytes), {});
    const fromCsv = importAwsCur(CSV, {});
    expect(fromParquet.lines.length).toBeGreaterThan(0);
    expect(
      fromParquet.lines.map((l) => [l.lineId, l.amountNanos, l.roundingNanos, l.quantity, l.usageDate]),
    ).toEqual(fromCsv.lines.map((l) => [l.lineId, l.amountNanos, l.roundingNanos, l.quantity, l.usageDate]));
    expect(fromParquet.skipped).toEqual(fromCsv.skipped);
  });

  it('writes doubles as their shortest decimal, never with an exponent', () => {
    expect(plainDecimal(6)).toBe('6');
    expect(plainDecimal(0.000003)).toBe('0.000003');
    expect(plainDecimal(1e-7)).toBe('0.0000001');
    expect(plainDecimal(1.2345e-8)).toBe('0.000000012345');
    expect(plainDecimal(-2.5e-7)).toBe('-0.00000025');
    expect(plainDecimal(1e21)).toBe('1000000000000000000000');
    expect(() => plainDecimal(Number.NaN)).toThrow(/not a finite amount/);
  });

  it('tells a Parquet file from a CSV one', () => {
    expect(isParquet(new TextEncoder().encode(CSV))).toBe(false);
  });

  it('reads an upload as text (BOM kept), or CUR Parquet as its CSV, and Parquet under another format not at all', async () => {
    const text = '\uFEFFline_item_product_code\nAmazonBedrock\n';
    expect(await exportContent(new TextEncoder().encode(text), 'aws-cur')).toBe(text);
    const bytes = asParquet();
    expect(await exportContent(bytes, 'aws-cur')).toBe(await awsCurParquetToCsv(bytes));
    await expect(exportContent(bytes, 'focus')).rejects.toThrow(/aws-cur \(CUR 2\.0\) only, not focus/);
  });
});
