import { divideHalfEven } from '@tokentally/domain-money';
import {
  decimalToNanos,
  lineIdOf,
  quantityOf,
  roundingOf,
  shiftDecimal,
  utcDay,
  type CostLine,
  type LineType,
} from '../cost-line';
import { meterWords } from '../model-names';
import {
  csvRows,
  field,
  isRow,
  jsonDocuments,
  list,
  type ImportOptions,
  type ImportResult,
  type Row,
} from './export-rows';

function lineTypeOf(costType: string | null): LineType {
  switch ((costType ?? 'regular').toLowerCase()) {
    case 'regular':
      return 'usage';
    case 'tax':
      return 'tax';
    default:
      // adjustment, rounding error
      return 'adjustment';
  }
}

/** credits[] is an array in JSON exports and JSON text in a CSV cell. */
function creditsOf(row: Row): Row[] {
  const value = row['credits'];
  if (Array.isArray(value)) return list(value);
  const text = field(row, 'credits');
  if (!text || text === '[]') return [];
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? parsed.filter(isRow) : [];
  } catch {
    return [];
  }
}

/**
 * Google Cloud Billing export rows (BigQuery `gcp_billing_export_v1_*`, exported as JSON lines or CSV),
 * Vertex AI only. `cost` is in `currency`; `currency_conversion_rate` is currency units per USD, so
 * USD = cost / rate, rounded once. Each entry of `credits[]` becomes its own credit line.
 */
export function importGcpBilling(content: string, options: ImportOptions = {}): ImportResult {
  const result: ImportResult = { lines: [], skipped: [] };
  const trimmed = content.trimStart();
  const rows = trimmed.startsWith('{') || trimmed.startsWith('[') ? jsonDocuments(content) : csvRows(content);
  rows.forEach((row, index) => {
    const service = field(row, 'service.description', 'service_description') ?? '';
    if (!/vertex|gemini|generative language/i.test(service)) {
      result.skipped.push({ row: index + 1, reason: `service ${service || '(none)'} is not Vertex AI` });
      return;
    }
    const cost = field(row, 'cost');
    const start = field(row, 'usage_start_time');
    if (cost === null || start === null) {
      result.skipped.push({ row: index + 1, reason: 'no cost or usage_start_time' });
      return;
    }
    const currency = (field(row, 'currency') ?? 'USD').toUpperCase();
    const rate = field(row, 'currency_conversion_rate') ?? '1';
    const usd = (text: string): bigint =>
      currency === 'USD'
        ? decimalToNanos(text)
        : divideHalfEven(decimalToNanos(text) * 1_000_000_000n, decimalToNanos(rate));
    const sku = field(row, 'sku.description', 'sku_description') ?? '';
    const words = meterWords(sku);
    const account = field(row, 'billing_account_id') ?? options.accountId ?? 'default';
    const project = field(row, 'project.id', 'project_id');
    const costType = field(row, 'cost_type');
    const lineType = lineTypeOf(costType);
    const identity = [
      account,
      project,
      field(row, 'sku.id', 'sku_id'),
      start,
      field(row, 'usage_end_time'),
      costType,
      field(row, 'location.region', 'location_region'),
      field(row, 'labels'),
    ];
    const base = {
      source: 'gcp_billing' as const,
      provider: 'google',
      accountId: account,
      projectId: project,
      model: lineType === 'tax' ? null : words.model || null,
      usageDate: utcDay(start),
      region: field(row, 'location.region', 'location_region'),
      price: {
        serviceTier: words.serviceTier,
        longContext: words.longContext,
        inferenceScope: words.inferenceScope,
      },
      hasCost: true,
      currency,
      correction: false,
    };
    const line = (
      amount: string,
      extra: Partial<CostLine> & Pick<CostLine, 'lineId' | 'lineType'>,
    ): CostLine => ({
      ...base,
      tokenType: null,
      quantity: 0n,
      unit: 'usd',
      amountNanos: usd(amount),
      originalAmount: shiftDecimal(amount, 0),
      originalNanos: decimalToNanos(amount),
      roundingNanos: currency === 'USD' ? roundingOf(amount) : roundingOf(amount) + 1n,
      ...extra,
    });
    const unit = field(row, 'usage.unit', 'usage_unit') ?? '';
    result.lines.push(
      line(cost, {
        lineId: lineIdOf('gcp_billing', ...identity),
        lineType,
        tokenType: lineType === 'usage' ? (words.tokenType ?? 'other') : null,
        quantity: quantityOf(field(row, 'usage.amount', 'usage_amount')),
        unit: unit || 'units',
      }),
    );
    for (const credit of creditsOf(row)) {
      const amount = field(credit, 'amount');
      if (amount === null) continue;
      result.lines.push(
        line(amount, {
          lineId: lineIdOf('gcp_billing', ...identity, 'credit', field(credit, 'id'), field(credit, 'name')),
          lineType: 'credit',
        }),
      );
    }
  });
  return result;
}
