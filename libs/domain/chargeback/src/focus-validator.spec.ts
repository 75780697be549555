import { PriceCatalog } from '@tokentally/domain-pricing';
import { FOCUS_COLUMNS, focusMetadata, type FocusRow } from './focus-columns';
import { focusCsv } from './focus-files';
import { focusRows } from './focus-rows';
import { validateFocus, validateFocusCsv, validateFocusMetadata } from './focus-validator';
import { usageGroup } from './spec-fixtures';

const valid = focusRows({
  period: '2026-10',
  usage: [usageGroup(), usageGroup({ day: new Date(Date.UTC(2026, 8, 30)), late: true })],
  adjustments: [],
  teamNames: new Map([['search', 'Search']]),
  prices: { catalog: new PriceCatalog(), fx: [] },
});
type Row = Record<string, string | null>;
const first = (change: Partial<Row>): Row[] => [{ ...valid[0], ...change }, ...valid.slice(1)];

describe('validateFocus', () => {
  it('accepts what focusRows writes, through CSV and with its metadata', () => {
    expect(validateFocusCsv(focusCsv(valid), focusMetadata())).toEqual([]);
  });

  // each FOCUS 1.2 rule tokentally's exports once broke, and a few more: one violation each
  it.each<[string, Partial<Row>, string]>([
    [
      'ContractedUnitPrice null on Usage',
      { ContractedUnitPrice: null },
      'row 1: ContractedUnitPrice is null on a Usage row',
    ],
    ['ListUnitPrice null on Usage', { ListUnitPrice: null }, 'row 1: ListUnitPrice is null on a Usage row'],
    [
      'SkuPriceId null with a SkuId',
      { SkuPriceId: null, SkuPriceDetails: null },
      'row 1: SkuPriceId is null on a Usage row',
    ],
    ['SkuMeter null with a SkuId', { SkuMeter: null }, 'row 1: SkuMeter is null with a SkuId'],
    [
      'SkuPriceDetails without a SkuPriceId',
      { SkuPriceId: null },
      'row 1: SkuPriceDetails must be null without a SkuPriceId',
    ],
    ['SkuPriceDetails not JSON', { SkuPriceDetails: 'input' }, 'row 1: SkuPriceDetails is not a JSON object'],
    [
      'SkuPriceDetails key',
      { SkuPriceDetails: '{"token type":"input"}' },
      'row 1: SkuPriceDetails key "token type" is neither FOCUS-defined nor x_',
    ],
    [
      'SubAccountName missing',
      { SubAccountName: null },
      'row 1: SubAccountName must be null exactly when SubAccountId is',
    ],
    [
      'SubAccountId placeholder',
      { SubAccountId: 'unattributed' },
      'row 1: SubAccountId "unattributed" is a placeholder: null when no sub account',
    ],
    [
      'ListCost off by a nano',
      { ListCost: '0.003085001' },
      'row 1: ListCost 0.003085001 != ListUnitPrice x PricingQuantity',
    ],
    [
      'ListCost rounded',
      { ListUnitPrice: '2.5000001' },
      'row 1: ListCost 0.003085 != ListUnitPrice x PricingQuantity',
    ],
    [
      'ContractedCost',
      { ContractedCost: '0.003' },
      'row 1: ContractedCost 0.003 != ContractedUnitPrice x PricingQuantity',
    ],
    [
      'negative unit price',
      { ListUnitPrice: '-2.5', ListCost: '-0.003085' },
      'row 1: ListUnitPrice is negative',
    ],
    [
      'an earlier period not a correction',
      { ChargePeriodStart: '2026-09-30T00:00:00Z', ChargePeriodEnd: '2026-10-01T00:00:00Z' },
      'row 1: a charge of an earlier billing period must be ChargeClass Correction',
    ],
    ['ChargeClass value', { ChargeClass: 'Refund' }, 'row 1: ChargeClass must be Correction or null'],
    ['ChargeCategory value', { ChargeCategory: 'Usagе' }, 'row 1: ChargeCategory "Usagе" is not allowed'],
    [
      'PricingUnit without quantity',
      { PricingUnit: null },
      'row 1: PricingUnit must be null exactly when PricingQuantity is',
    ],
    [
      'ConsumedQuantity null on Usage',
      { ConsumedQuantity: null },
      'row 1: ConsumedQuantity is null on a Usage row',
    ],
    ['not null column', { BillingAccountId: null }, 'row 1: BillingAccountId is null'],
    ['decimal', { BilledCost: '1e-3' }, 'row 1: BilledCost "1e-3" is not a decimal'],
    ['UTC time', { ChargePeriodStart: '2026-10-03' }, 'row 1: ChargePeriodStart is not a UTC ISO 8601 time'],
    ['Tags', { Tags: '[1]' }, 'row 1: Tags is not a JSON object'],
    [
      'two parents',
      { SkuPriceId: valid[2]?.SkuPriceId ?? '' },
      'row 3: SkuPriceId catalog:openai/gpt-4o@@pydantic/genai-prices@0.1.8/gpt-4o/output has two parent SkuIds',
    ],
  ])('%s', (_name, change, problem) => {
    expect(validateFocus(FOCUS_COLUMNS, first(change))).toContain(problem);
  });

  it('an adjustment without unit price must cost what it billed', () => {
    const adjustment: Row = {
      ...(valid[0] as FocusRow),
      ChargeCategory: 'Adjustment',
      ...Object.fromEntries(
        [
          'SkuId',
          'SkuPriceId',
          'SkuMeter',
          'SkuPriceDetails',
          'PricingQuantity',
          'PricingUnit',
          'ListUnitPrice',
          'ContractedUnitPrice',
          'ConsumedQuantity',
          'ConsumedUnit',
        ].map((c) => [c, null]),
      ),
      ListCost: '1',
    };
    expect(validateFocus(FOCUS_COLUMNS, [adjustment])).toEqual([
      'row 1: ListCost must match BilledCost when ListUnitPrice is null',
    ]);
  });

  it('missing columns: the SKU and price columns, SubAccountName, x_ order', () => {
    const header = FOCUS_COLUMNS.filter(
      (c) =>
        !['SkuPriceId', 'SkuMeter', 'SkuPriceDetails', 'SubAccountName', 'ContractedUnitPrice'].includes(c),
    );
    expect(validateFocus([...header, 'Zebra'], [])).toEqual([
      'missing column SkuPriceId',
      'missing column SkuMeter',
      'missing column SkuPriceDetails',
      'missing column ContractedUnitPrice',
      'missing column SubAccountName (SubAccountId is present)',
      'x_ columns must come after every FOCUS column',
    ]);
  });
});

describe('validateFocusMetadata', () => {
  it('needs FocusVersion 1.2, a schema id, creation date, data generator and every column defined', () => {
    const metadata = focusMetadata();
    expect(validateFocusMetadata(metadata, FOCUS_COLUMNS)).toEqual([]);
    expect(validateFocusMetadata(undefined, FOCUS_COLUMNS)).toEqual(['no FOCUS metadata']);
    const schema = metadata.Schemas[0]!;
    const broken = {
      DataGenerator: { DataGenerator: '' },
      Schemas: [
        {
          ...schema,
          SchemaId: '',
          FocusVersion: '1.0',
          CreationDate: 'yesterday',
          ColumnDefinition: schema.ColumnDefinition.slice(1),
        },
      ],
    };
    expect(validateFocusMetadata(broken, FOCUS_COLUMNS)).toEqual([
      'metadata: DataGenerator is missing',
      'metadata: SchemaId is missing',
      'metadata: CreationDate is not a UTC time',
      'metadata: FocusVersion must be 1.2',
      'metadata: no ColumnDefinition for BilledCost',
    ]);
  });
});
