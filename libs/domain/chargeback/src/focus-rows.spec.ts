import { PriceCatalog } from '@tokentally/domain-pricing';
import { focusExport, focusRows } from './focus-rows';
import { validateFocus } from './focus-validator';
import { FOCUS_COLUMNS } from './focus-columns';
import { usageGroup } from './spec-fixtures';

const prices = { catalog: new PriceCatalog(), fx: [] };
const teamNames = new Map([['search', 'Search']]);

describe('focusRows', () => {
  const rows = focusRows({
    period: '2026-10',
    usage: [
      usageGroup(),
      usageGroup({ team_id: 'unattributed' }),
      // a call of September booked in October after September was closed
      usageGroup({ day: new Date(Date.UTC(2026, 8, 30)), late: true }),
      usageGroup({ rate_multiplier: '0.9', multiplier_applies_to: 'tokens' }),
    ],
    adjustments: [
      {
        day: new Date(Date.UTC(2026, 8, 12)),
        late: true,
        team_id: 'search',
        feature: 'search',
        workflow: '',
        environment: 'prod',
        user_ref: '',
        provider: 'openai',
        model: 'gpt-4o',
        adjustments: 2n,
        total_nanos: -12n,
      },
    ],
    teamNames,
    prices,
  });
  const usage = rows.filter((r) => r.ChargeCategory === 'Usage');

  it('is valid FOCUS 1.2', () => {
    expect(validateFocus(FOCUS_COLUMNS, rows)).toEqual([]);
  });

  it('writes one row per SKU (model x token type) at the published unit price', () => {
    expect(usage.slice(0, 3)).toEqual([
      expect.objectContaining({
        SkuId: 'openai/gpt-4o/input',
        SkuPriceId: 'catalog:openai/gpt-4o@@pydantic/genai-prices@0.1.8/gpt-4o/input',
        SkuMeter: 'Input Tokens',
        SkuPriceDetails: '{"x_TokenType":"input"}',
        PricingQuantity: '0.001234',
        PricingUnit: '1000000 Tokens',
        ListUnitPrice: '2.5',
        ContractedUnitPrice: '2.5',
        ListCost: '0.003085',
        ContractedCost: '0.003085',
        BilledCost: '0.003085',
        ConsumedQuantity: '1234',
        SubAccountId: 'search',
        SubAccountName: 'Search',
        ChargeClass: null,
        BillingPeriodStart: '2026-10-01T00:00:00Z',
        ChargePeriodEnd: '2026-10-04T00:00:00Z',
      }),
      expect.objectContaining({
        SkuId: 'openai/gpt-4o/cache-read',
        ListUnitPrice: '1.25',
        ListCost: '0.000125',
      }),
      expect.objectContaining({ SkuId: 'openai/gpt-4o/output', ListUnitPrice: '10', ListCost: '0.00077' }),
    ]);
  });

  it('the four cost columns differ where a negotiated multiplier applies', () => {
    const discounted = usage.filter((r) => r.ContractedUnitPrice !== r.ListUnitPrice);
    expect(discounted.map((r) => [r.SkuId, r.ListCost, r.ContractedUnitPrice, r.ContractedCost])).toEqual([
      ['openai/gpt-4o/input', '0.003085', '2.25', '0.0027765'],
      ['openai/gpt-4o/cache-read', '0.000125', '1.125', '0.0001125'],
      ['openai/gpt-4o/output', '0.00077', '9', '0.000693'],
    ]);
  });

  it('Unattributed has no sub account (null, not a placeholder); late calls are corrections with their cost', () => {
    expect(usage.filter((r) => r.x_team === 'unattributed').every((r) => r.SubAccountId === null)).toBe(true);
    expect(usage.filter((r) => r.x_team === 'unattributed').every((r) => r.SubAccountName === null)).toBe(
      true,
    );
    const late = usage.filter((r) => r.ChargeClass === 'Correction');
    expect(late.map((r) => [r.ChargePeriodStart, r.BilledCost])).toEqual([
      ['2026-09-30T00:00:00Z', '0.003085'],
      ['2026-09-30T00:00:00Z', '0.000125'],
      ['2026-09-30T00:00:00Z', '0.00077'],
    ]);
    expect(rows.find((r) => r.ChargeCategory === 'Adjustment')).toMatchObject({
      ChargeClass: 'Correction',
      ListCost: '-0.000000012',
      ContractedCost: '-0.000000012',
      SkuId: null,
      PricingQuantity: null,
    });
  });

  it('focusExport takes what the database read, FX rates included', () => {
    const exported = focusExport(
      '2026-10',
      { usage: [usageGroup()], adjustments: [], teams: [{ id: 'search', name: 'Search' }], fx: [] },
      prices.catalog,
    );
    expect(exported).toEqual(rows.slice(0, 3));
  });
});
