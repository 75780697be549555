import {
  decimalToNanos,
  lineIdOf,
  quantityOf,
  roundingOf,
  utcDay,
  type LineType,
  type TokenType,
} from '../cost-line';
import { meterWords } from '../model-names';
import { csvRows, field, unitScale, usdLine, type ImportOptions, type ImportResult } from './export-rows';

/** CUR line item types: usage (incl. discounted usage), credits and refunds, tax; the rest adjusts. */
function lineTypeOf(type: string): LineType {
  const value = type.toLowerCase();
  if (value === 'usage' || value === 'discountedusage' || value === 'savingsplancoveredusage') return 'usage';
  if (value === 'credit' || value === 'refund') return 'credit';
  if (value === 'tax') return 'tax';
  return 'adjustment';
}

const SUFFIXES: [RegExp, TokenType][] = [
  [/-cache-read-input-token-count$|-cache-read-input-tokens?$/i, 'cache_read'],
  [/-cache-write-input-token-count$|-cache-write-input-tokens?$/i, 'cache_write'],
  [/-input-tokens?$|-input-token-count$/i, 'input'],
  [/-output-tokens?$|-output-token-count$/i, 'output'],
];

/**
 * AWS CUR 2.0 (Data Exports) CSV, Bedrock rows only (`line_item_product_code` AmazonBedrock).
 * `line_item_usage_type` holds region, model, token type and qualifiers:
 * `USE1-Claude4.6Sonnet-cache-read-input-token-count`, `USE1-Claude4.6Sonnet-Batch-input-tokens`.
 * Money is `line_item_unblended_cost` (decimal text); the optional `pricing_unit` scales quantities.
 */
export function importAwsCur(content: string, options: ImportOptions = {}): ImportResult {
  const result: ImportResult = { lines: [], skipped: [] };
  csvRows(content).forEach((row, index) => {
    const product = field(row, 'line_item_product_code', 'product_servicecode') ?? '';
    if (!/bedrock/i.test(product)) {
      result.skipped.push({ row: index + 2, reason: `product ${product || '(none)'} is not Bedrock` });
      return;
    }
    const cost = field(row, 'line_item_unblended_cost');
    const start = field(row, 'line_item_usage_start_date');
    if (cost === null || start === null) {
      result.skipped.push({ row: index + 2, reason: 'no line_item_unblended_cost or usage start' });
      return;
    }
    const currency = (field(row, 'line_item_currency_code') ?? 'USD').toUpperCase();
    if (currency !== 'USD') {
      result.skipped.push({ row: index + 2, reason: `currency ${currency}: CUR for Bedrock is in USD` });
      return;
    }
    const usageType = field(row, 'line_item_usage_type') ?? '';
    const dash = usageType.indexOf('-');
    const regionCode =
      dash > 0 && /^[A-Z]{2,4}\d?$/.test(usageType.slice(0, dash)) ? usageType.slice(0, dash) : null;
    const rest = regionCode ? usageType.slice(dash + 1) : usageType;
    const suffix = SUFFIXES.find(([pattern]) => pattern.test(rest));
    const words = meterWords(suffix ? rest.replace(suffix[0], '') : rest);
    const lineType = lineTypeOf(field(row, 'line_item_line_item_type') ?? 'Usage');
    const account = field(row, 'line_item_usage_account_id') ?? options.accountId ?? 'default';
    const day = utcDay(start);
    result.lines.push(
      usdLine({
        lineId: lineIdOf(
          'aws_cur',
          field(row, 'identity_line_item_id') ?? '',
          field(row, 'identity_time_interval') ?? '',
          account,
          start,
          field(row, 'line_item_usage_end_date'),
          usageType,
          field(row, 'line_item_line_item_type'),
          field(row, 'line_item_resource_id'),
          field(row, 'line_item_line_item_description'),
        ),
        source: 'aws_cur',
        provider: 'bedrock',
        accountId: account,
        projectId: field(row, 'line_item_iam_principal'),
        model: words.model || null,
        usageDate: day,
        tokenType: lineType === 'usage' ? (suffix?.[1] ?? 'other') : null,
        region: field(row, 'product_region_code', 'product_region') ?? regionCode,
        price: {
          serviceTier: words.serviceTier,
          longContext: words.longContext,
          inferenceScope: words.inferenceScope,
        },
        quantity: quantityOf(field(row, 'line_item_usage_amount'), unitScale(field(row, 'pricing_unit'))),
        unit: suffix ? 'tokens' : (field(row, 'pricing_unit') ?? 'units'),
        amountNanos: decimalToNanos(cost),
        hasCost: true,
        roundingNanos: roundingOf(cost),
        lineType,
      }),
    );
  });
  return result;
}
