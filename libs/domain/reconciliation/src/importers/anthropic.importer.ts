import {
  decimalToNanos,
  lineIdOf,
  quantityOf,
  roundingOf,
  tierOf,
  utcDay,
  type PriceContext,
  type TokenType,
} from '../cost-line';
import {
  bucketResults,
  field,
  jsonDocuments,
  usdLine,
  type ImportOptions,
  type ImportResult,
  type Row,
} from './export-rows';

const TOKEN_TYPES: Record<string, TokenType> = {
  uncached_input_tokens: 'input',
  output_tokens: 'output',
  cache_read_input_tokens: 'cache_read',
  'cache_creation.ephemeral_5m_input_tokens': 'cache_write_5m',
  'cache_creation.ephemeral_1h_input_tokens': 'cache_write_1h',
};

/** Anthropic's price context: batch/priority tier, the 200k-1M context window, a pinned inference geo. */
function priceOf(row: Row): PriceContext {
  const window = field(row, 'context_window') ?? '';
  const geo = (field(row, 'inference_geo') ?? '').toLowerCase();
  return {
    serviceTier: tierOf(field(row, 'service_tier')),
    longContext: window !== '' && !/^0-200k$/i.test(window),
    inferenceScope: geo && geo !== 'global' && geo !== 'not_available' ? `geo:${geo}` : null,
  };
}

/**
 * Anthropic `cost_report` pages: `amount` is a decimal string in **cents** ("123.45" is $1.2345),
 * parsed exactly. Token costs carry `token_type`; web search and code execution are `other`.
 */
export function importAnthropicCostReport(content: string, options: ImportOptions = {}): ImportResult {
  const result: ImportResult = { lines: [], skipped: [] };
  const rows = bucketResults(jsonDocuments(content), ['starting_at', 'start_time']);
  rows.forEach(({ start, result: row }, index) => {
    const amount = field(row, 'amount.value', 'amount');
    const currency = (field(row, 'amount.currency', 'currency') ?? 'USD').toUpperCase();
    if (amount === null || currency !== 'USD') {
      result.skipped.push({ row: index, reason: amount === null ? 'no amount' : `currency ${currency}` });
      return;
    }
    const costType = field(row, 'cost_type') ?? 'tokens';
    const tokenType = costType === 'tokens' ? (TOKEN_TYPES[field(row, 'token_type') ?? ''] ?? null) : 'other';
    const day = utcDay(start);
    const account = options.accountId ?? 'default';
    const workspace = field(row, 'workspace_id');
    const identity = ['cost_type', 'token_type', 'model', 'service_tier', 'context_window', 'inference_geo'];
    result.lines.push(
      usdLine({
        lineId: lineIdOf(
          'anthropic_cost_report',
          account,
          workspace,
          day,
          field(row, 'description'),
          ...identity.map((name) => field(row, name)),
        ),
        source: 'anthropic_cost_report',
        provider: 'anthropic',
        accountId: account,
        projectId: workspace,
        model: field(row, 'model'),
        usageDate: day,
        tokenType,
        region: field(row, 'inference_geo'),
        price: priceOf(row),
        quantity: 0n,
        unit: 'usd',
        amountNanos: decimalToNanos(amount, -2),
        hasCost: true,
        roundingNanos: roundingOf(amount, -2),
      }),
    );
  });
  return result;
}

/** Anthropic `usage_report/messages` pages: token quantities per token type, no money. */
export function importAnthropicUsageReport(content: string, options: ImportOptions = {}): ImportResult {
  const result: ImportResult = { lines: [], skipped: [] };
  for (const { start, result: row } of bucketResults(jsonDocuments(content), ['starting_at', 'start_time'])) {
    const day = utcDay(start);
    const account = options.accountId ?? 'default';
    const workspace = field(row, 'workspace_id');
    const quantities: [TokenType, bigint, string][] = Object.entries(TOKEN_TYPES).map(([name, type]) => [
      type,
      quantityOf(field(row, name)),
      'tokens',
    ]);
    quantities.push(['other', quantityOf(field(row, 'server_tool_use.web_search_requests')), 'requests']);
    for (const [tokenType, quantity, unit] of quantities) {
      if (quantity === 0n) continue;
      result.lines.push(
        usdLine({
          lineId: lineIdOf(
            'anthropic_usage_report',
            account,
            workspace,
            day,
            field(row, 'model'),
            tokenType,
            field(row, 'api_key_id'),
            field(row, 'service_tier'),
            field(row, 'context_window'),
            field(row, 'inference_geo'),
          ),
          source: 'anthropic_usage_report',
          provider: 'anthropic',
          accountId: account,
          projectId: workspace,
          model: field(row, 'model'),
          usageDate: day,
          tokenType,
          region: field(row, 'inference_geo'),
          price: priceOf(row),
          quantity,
          unit,
          amountNanos: 0n,
          hasCost: false,
        }),
      );
    }
  }
  return result;
}
