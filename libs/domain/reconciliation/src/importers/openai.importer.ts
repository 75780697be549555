import {
  STANDARD_PRICE,
  decimalToNanos,
  lineIdOf,
  quantityOf,
  roundingOf,
  tierOf,
  utcDay,
  type TokenType,
} from '../cost-line';
import { meterWords } from '../model-names';
import {
  bucketResults,
  field,
  jsonDocuments,
  usdLine,
  type ImportOptions,
  type ImportResult,
} from './export-rows';

/**
 * OpenAI Costs API pages (`GET /v1/organization/costs`, daily buckets grouped by project_id and
 * line_item). `amount.value` is a JSON number: its written text is parsed exactly. `line_item` reads
 * like "gpt-4o-2024-08-06, input"; the part after the last comma is the token type.
 */
export function importOpenAiCosts(content: string, options: ImportOptions = {}): ImportResult {
  const result: ImportResult = { lines: [], skipped: [] };
  bucketResults(jsonDocuments(content), ['start_time']).forEach(({ start, result: row }, index) => {
    const value = field(row, 'amount.value');
    if (value === null) {
      result.skipped.push({ row: index, reason: 'no amount.value' });
      return;
    }
    const currency = (field(row, 'amount.currency') ?? 'usd').toUpperCase();
    if (currency !== 'USD') {
      result.skipped.push({ row: index, reason: `currency ${currency} is not USD` });
      return;
    }
    const lineItem = field(row, 'line_item') ?? '';
    const comma = lineItem.lastIndexOf(',');
    const modelText = comma >= 0 ? lineItem.slice(0, comma).trim() : lineItem.trim();
    const kind = comma >= 0 ? lineItem.slice(comma + 1).trim() : '';
    const words = meterWords(`${modelText} ${kind}`);
    const day = utcDay(Number(start));
    const account = options.accountId ?? field(row, 'organization_id') ?? 'default';
    const project = field(row, 'project_id');
    result.lines.push(
      usdLine({
        lineId: lineIdOf('openai_costs', account, project, day, lineItem, field(row, 'api_key_id')),
        source: 'openai_costs',
        provider: 'openai',
        accountId: account,
        projectId: project,
        model: words.model.replace(/[-_ ]batch$/i, '') || null,
        usageDate: day,
        tokenType: kind ? (words.tokenType ?? 'other') : null,
        region: null,
        price: { ...STANDARD_PRICE, serviceTier: words.serviceTier },
        quantity: 0n,
        unit: 'usd',
        amountNanos: decimalToNanos(value),
        hasCost: true,
        roundingNanos: roundingOf(value),
      }),
    );
  });
  return result;
}

const USAGE_TYPES: [string, TokenType][] = [
  ['input_cached_tokens', 'cache_read'],
  ['output_tokens', 'output'],
];

/**
 * OpenAI Usage API pages (`/v1/organization/usage/completions`): quantities only. `input_tokens`
 * includes the cached ones, so uncached input is input_tokens - input_cached_tokens.
 */
export function importOpenAiUsage(content: string, options: ImportOptions = {}): ImportResult {
  const result: ImportResult = { lines: [], skipped: [] };
  for (const { start, result: row } of bucketResults(jsonDocuments(content), ['start_time'])) {
    const model = field(row, 'model');
    const day = utcDay(Number(start));
    const account = options.accountId ?? field(row, 'organization_id') ?? 'default';
    const project = field(row, 'project_id');
    const batch = field(row, 'batch') === 'true';
    const tier = batch ? 'batch' : tierOf(field(row, 'service_tier'));
    const cached = quantityOf(field(row, 'input_cached_tokens'));
    const quantities: [TokenType, bigint][] = [
      ['input', quantityOf(field(row, 'input_tokens')) - cached],
      ...USAGE_TYPES.map(([name, type]): [TokenType, bigint] => [type, quantityOf(field(row, name))]),
    ];
    for (const [tokenType, quantity] of quantities) {
      if (quantity === 0n) continue;
      result.lines.push(
        usdLine({
          lineId: lineIdOf(
            'openai_usage',
            account,
            project,
            day,
            model,
            tokenType,
            tier,
            field(row, 'api_key_id'),
            field(row, 'user_id'),
          ),
          source: 'openai_usage',
          provider: 'openai',
          accountId: account,
          projectId: project,
          model,
          usageDate: day,
          tokenType,
          region: null,
          price: { ...STANDARD_PRICE, serviceTier: tier },
          quantity,
          unit: 'tokens',
          amountNanos: 0n,
          hasCost: false,
        }),
      );
    }
  }
  return result;
}
