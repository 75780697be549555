import { divideHalfEven } from '@tokentally/domain-money';
import {
  decimalToNanos,
  lineIdOf,
  quantityOf,
  roundingOf,
  shiftDecimal,
  utcDay,
  type LineType,
} from '../cost-line';
import { meterWords } from '../model-names';
import { csvRows, field, unitScale, type ImportOptions, type ImportResult } from './export-rows';

function lineTypeOf(chargeType: string | null): LineType {
  switch ((chargeType ?? 'usage').toLowerCase()) {
    case 'usage':
      return 'usage';
    case 'refund':
    case 'credit':
      return 'credit';
    case 'tax':
      return 'tax';
    default:
      return 'adjustment';
  }
}

/**
 * Azure Cost Management cost details CSV for Azure OpenAI / Foundry models. The MCA schema spells
 * columns in camelCase (`costInBillingCurrency`), EA in PascalCase (`CostInBillingCurrency`); column
 * lookup ignores case, so both read alike. `unitOfMeasure` mixes 1K and 1M per row. USD is
 * `costInUsd` when present, else the billing-currency cost over `exchangeRatePricingToBilling`.
 */
export function importAzureCost(content: string, options: ImportOptions = {}): ImportResult {
  const result: ImportResult = { lines: [], skipped: [] };
  csvRows(content).forEach((row, index) => {
    const category = `${field(row, 'meterCategory') ?? ''} ${field(row, 'ConsumedService') ?? ''}`;
    if (!/cognitive|openai|foundry|ai services/i.test(category)) {
      result.skipped.push({
        row: index + 2,
        reason: `meter category ${category.trim() || '(none)'} is not Azure OpenAI`,
      });
      return;
    }
    const billing = field(row, 'costInBillingCurrency', 'CostInBillingCurrency', 'cost', 'PreTaxCost');
    const date = field(row, 'date', 'UsageDate');
    if (billing === null || date === null) {
      result.skipped.push({ row: index + 2, reason: 'no costInBillingCurrency or date' });
      return;
    }
    const currency = (
      field(row, 'billingCurrency', 'BillingCurrencyCode', 'Currency') ?? 'USD'
    ).toUpperCase();
    const inUsd = field(row, 'costInUsd', 'CostInUSD');
    const rate = field(row, 'exchangeRatePricingToBilling') ?? '1';
    let amountNanos: bigint;
    if (currency === 'USD') amountNanos = decimalToNanos(billing);
    else if (inUsd !== null) amountNanos = decimalToNanos(inUsd);
    else amountNanos = divideHalfEven(decimalToNanos(billing) * 1_000_000_000n, decimalToNanos(rate));
    const meter = field(row, 'meterName', 'MeterName') ?? '';
    const words = meterWords(meter);
    const subscription = field(row, 'SubscriptionId', 'subscriptionGuid') ?? options.accountId ?? 'default';
    const group = field(row, 'resourceGroupName', 'ResourceGroup');
    const chargeType = field(row, 'chargeType', 'ChargeType');
    const lineType = lineTypeOf(chargeType);
    result.lines.push({
      lineId: lineIdOf(
        'azure_cost',
        subscription,
        field(row, 'ResourceId', 'InstanceId'),
        field(row, 'meterId', 'MeterId'),
        utcDay(date),
        chargeType,
        field(row, 'pricingModel', 'PricingModel'),
        field(row, 'benefitId'),
      ),
      source: 'azure_cost',
      provider: 'azure_openai',
      accountId: subscription,
      projectId: group,
      model: words.model || null,
      usageDate: utcDay(date),
      tokenType: lineType === 'usage' ? (words.tokenType ?? 'other') : null,
      region: field(row, 'meterRegion', 'MeterRegion', 'ResourceLocation'),
      price: {
        serviceTier: words.serviceTier,
        longContext: words.longContext,
        inferenceScope: words.inferenceScope,
      },
      quantity: quantityOf(
        field(row, 'quantity', 'Quantity'),
        unitScale(field(row, 'unitOfMeasure', 'UnitOfMeasure')),
      ),
      unit: 'tokens',
      amountNanos,
      hasCost: true,
      currency,
      originalAmount: shiftDecimal(billing, 0),
      originalNanos: decimalToNanos(billing),
      roundingNanos: roundingOf(billing) + (currency === 'USD' ? 0n : 1n),
      lineType,
      correction: false,
    });
  });
  return result;
}
