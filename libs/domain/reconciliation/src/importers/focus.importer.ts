import {
  decimalToNanos,
  lineIdOf,
  quantityOf,
  roundingOf,
  tierOf,
  utcDay,
  type LineType,
  type TokenType,
} from '../cost-line';
import { meterWords } from '../model-names';
import { csvRows, field, unitScale, usdLine, type ImportOptions, type ImportResult } from './export-rows';

const PROVIDERS: [RegExp, string][] = [
  [/openai/i, 'openai'],
  [/anthropic/i, 'anthropic'],
  [/microsoft|azure/i, 'azure_openai'],
  [/amazon|aws/i, 'bedrock'],
  [/google/i, 'google'],
  [/mistral/i, 'mistral'],
];

function lineTypeOf(category: string): LineType {
  switch (category.toLowerCase()) {
    case 'usage':
      return 'usage';
    case 'credit':
      return 'credit';
    case 'tax':
      return 'tax';
    default:
      // Purchase, Adjustment
      return 'adjustment';
  }
}

const TOKEN_TYPES: Record<string, TokenType> = {
  input: 'input',
  uncached_input: 'input',
  output: 'output',
  cache_read: 'cache_read',
  cache_write: 'cache_write',
  cache_write_5m: 'cache_write_5m',
  cache_write_1h: 'cache_write_1h',
};

/**
 * Any provider's FinOps FOCUS 1.2 CSV. `BilledCost` (the invoice basis) in `BillingCurrency`; period
 * starts are UTC, ends exclusive. FOCUS has no token-type column: `x_TokenType`, `x_Model`,
 * `x_ServiceTier` are read when present, else SkuMeter / ChargeDescription are read as meter text.
 * `ChargeClass` Correction lines are kept apart, flagged as corrections.
 */
export function importFocus(content: string, options: ImportOptions = {}): ImportResult {
  const result: ImportResult = { lines: [], skipped: [] };
  csvRows(content).forEach((row, index) => {
    const billed = field(row, 'BilledCost');
    const start = field(row, 'ChargePeriodStart');
    if (billed === null || start === null) {
      result.skipped.push({ row: index + 2, reason: 'no BilledCost or ChargePeriodStart' });
      return;
    }
    const currency = (field(row, 'BillingCurrency') ?? 'USD').toUpperCase();
    if (currency !== 'USD') {
      result.skipped.push({
        row: index + 2,
        reason: `BillingCurrency ${currency}: import the provider's own export for FX`,
      });
      return;
    }
    const providerName = field(row, 'ServiceProviderName', 'ProviderName', 'PublisherName') ?? '';
    const provider = options.provider ?? PROVIDERS.find(([pattern]) => pattern.test(providerName))?.[1];
    if (!provider) {
      result.skipped.push({ row: index + 2, reason: `provider "${providerName}" unknown (use --provider)` });
      return;
    }
    const meterText = [field(row, 'SkuMeter'), field(row, 'ChargeDescription')].filter(Boolean).join(' ');
    const words = meterWords(field(row, 'SkuMeter') ?? field(row, 'ChargeDescription') ?? '');
    const lineType = lineTypeOf(field(row, 'ChargeCategory') ?? 'Usage');
    const tokenText = (field(row, 'x_TokenType') ?? '').toLowerCase();
    const consumedUnit = field(row, 'ConsumedUnit') ?? '';
    const quantity = /token/i.test(consumedUnit)
      ? quantityOf(field(row, 'ConsumedQuantity'))
      : quantityOf(field(row, 'PricingQuantity'), unitScale(field(row, 'PricingUnit')));
    const account = field(row, 'BillingAccountId') ?? options.accountId ?? 'default';
    const correction = (field(row, 'ChargeClass') ?? '').toLowerCase() === 'correction';
    result.lines.push(
      usdLine({
        lineId: lineIdOf(
          'focus',
          provider,
          account,
          field(row, 'SubAccountId'),
          start,
          field(row, 'ChargePeriodEnd'),
          field(row, 'SkuId'),
          field(row, 'SkuPriceId'),
          meterText,
          field(row, 'ChargeCategory'),
          field(row, 'ChargeClass'),
          field(row, 'ResourceId'),
          field(row, 'x_LineId'),
          field(row, 'x_Model'),
          field(row, 'x_TokenType'),
          field(row, 'x_ServiceTier'),
          field(row, 'x_ContextWindow'),
          field(row, 'x_InferenceScope'),
        ),
        source: 'focus',
        provider,
        accountId: account,
        projectId: field(row, 'SubAccountId'),
        model: lineType === 'tax' ? null : (field(row, 'x_Model') ?? (words.model || null)),
        usageDate: utcDay(start),
        tokenType: lineType === 'usage' ? (TOKEN_TYPES[tokenText] ?? words.tokenType ?? 'other') : null,
        region: field(row, 'RegionId'),
        price: {
          serviceTier: tierOf(field(row, 'x_ServiceTier')) ?? words.serviceTier,
          longContext: words.longContext || /200k-1m|long/i.test(field(row, 'x_ContextWindow') ?? ''),
          inferenceScope: field(row, 'x_InferenceScope') ?? words.inferenceScope,
        },
        quantity,
        unit: 'tokens',
        amountNanos: decimalToNanos(billed),
        hasCost: true,
        roundingNanos: roundingOf(billed),
        lineType,
        correction,
      }),
    );
  });
  return result;
}
