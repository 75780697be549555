import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { PriceCatalog } from '@tokentally/domain-pricing';
import { parseCsv } from './csv';
import { FOCUS_COLUMNS, FOCUS_SCHEMA_ID, focusMetadata, type FocusMetadata } from './focus-columns';
import { focusCsv, focusParquet } from './focus-files';
import { focusRows } from './focus-rows';
import { validateFocus, validateFocusMetadata } from './focus-validator';
import { usageGroup } from './spec-fixtures';

const rows = focusRows({
  period: '2026-10',
  usage: [
    usageGroup(),
    usageGroup({ feature: '=HYPERLINK("http://evil.example","x")', workflow: '-1+2', user_ref: '@me' }),
  ],
  adjustments: [],
  teamNames: new Map([['search', '+Search']]),
  prices: { catalog: new PriceCatalog(), fx: [] },
});

describe('FOCUS files', () => {
  it('CSV: every column in order, valid, text cells escaped against formulas, decimals stay numbers', () => {
    const { header, rows: parsed } = parseCsv(focusCsv(rows));
    expect(header).toEqual([...FOCUS_COLUMNS]);
    expect(validateFocus(header, parsed)).toEqual([]);
    const hostile = parsed.filter((r) => r.x_workflow === "'-1+2");
    expect(hostile).toHaveLength(3);
    expect(hostile[0]).toMatchObject({
      x_feature: `'=HYPERLINK("http://evil.example","x")`,
      x_user_ref: "'@me",
      SubAccountName: "'+Search",
      BilledCost: '0.003085',
    });
  });

  it('Parquet: reads back with hyparquet to the same rows, and names its FOCUS schema', async () => {
    const buffer = focusParquet(rows);
    const back = await parquetReadObjects({ file: buffer });
    expect(back).toEqual(rows.map((row) => ({ ...row })));
    const kv = Object.fromEntries(
      (parquetMetadata(buffer).key_value_metadata ?? []).map(({ key, value }) => [key, value]),
    );
    expect(kv).toMatchObject({ FocusVersion: '1.2', SchemaId: FOCUS_SCHEMA_ID, DataGenerator: 'tokentally' });
    const metadata = JSON.parse(kv.FocusMetadata ?? '{}') as FocusMetadata;
    expect(metadata).toEqual(focusMetadata());
    expect(validateFocusMetadata(metadata, Object.keys(back[0] ?? {}))).toEqual([]);
  });
});
