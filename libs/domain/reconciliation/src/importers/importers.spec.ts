import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CostLine } from '../cost-line';
import { importExport, type ImportFormat } from './formats';

const fixture = (name: string): string => readFileSync(join(__dirname, '../../fixtures', name), 'utf8');

/** The fields a golden line pins: account, project, model, day, token type, line type, quantity, nanos, currency, tier/context/scope. */
const view = (l: CostLine): string =>
  [
    l.accountId,
    l.projectId ?? '-',
    l.model ?? '-',
    l.usageDate,
    l.tokenType ?? '-',
    l.lineType,
    l.quantity,
    l.amountNanos,
    l.currency,
    l.price.serviceTier ?? '-',
    l.price.longContext ? 'long' : '-',
    l.price.inferenceScope ?? '-',
  ].join(' ');

const GOLDEN: [ImportFormat, string, string[], number][] = [
  [
    'openai-costs',
    'openai-costs.json',
    [
      // 12.3456789012 is finer than a nano: rounded half-even once, from the JSON number's text
      'org-acme proj_search gpt-4o-2024-08-06 2026-11-16 input usage 0 12345678901 USD - - -',
      'org-acme proj_search gpt-4o-2024-08-06 2026-11-16 output usage 0 30500000000 USD - - -',
      'org-acme proj_search gpt-4o-2024-08-06 2026-11-16 cache_read usage 0 125000000 USD - - -',
      'org-acme proj_support gpt-4o-mini-2024-07-18 2026-11-17 input usage 0 100000000 USD batch - -',
      'org-acme proj_support gpt-4o-mini-2024-07-18 2026-11-17 output usage 0 7000000000 USD - - -',
    ],
    0,
  ],
  [
    'openai-usage',
    'openai-usage.jsonl',
    [
      // input_tokens includes the cached ones: 5,000,000 - 100,000 uncached
      'org-acme proj_search gpt-4o-2024-08-06 2026-11-16 input usage 4900000 0 USD - - -',
      'org-acme proj_search gpt-4o-2024-08-06 2026-11-16 cache_read usage 100000 0 USD - - -',
      'org-acme proj_search gpt-4o-2024-08-06 2026-11-16 output usage 3050000 0 USD - - -',
      'org-acme proj_support gpt-4o-mini-2024-07-18 2026-11-17 input usage 1333333 0 USD batch - -',
      'org-acme proj_support gpt-4o-mini-2024-07-18 2026-11-17 output usage 11666666 0 USD batch - -',
    ],
    0,
  ],
  [
    'anthropic-cost-report',
    'anthropic-cost-report.json',
    [
      // cents: "1234.56" is $12.3456, "12.3456" is $0.123456
      'org-acme wrkspc_support claude-sonnet-4-6 2026-11-16 input usage 0 12345600000 USD - - -',
      'org-acme wrkspc_support claude-sonnet-4-6 2026-11-16 output usage 0 45000000000 USD - - -',
      'org-acme wrkspc_support claude-sonnet-4-6 2026-11-16 cache_read usage 0 123456000 USD - - -',
      'org-acme wrkspc_support claude-sonnet-4-6 2026-11-16 cache_write_5m usage 0 750000000 USD - - -',
      'org-acme wrkspc_support claude-sonnet-4-6 2026-11-16 cache_write_1h usage 0 1200000000 USD - - -',
      'org-acme wrkspc_support claude-sonnet-4-6 2026-11-16 input usage 0 6000000000 USD - long -',
      'org-acme wrkspc_support claude-sonnet-4-6 2026-11-16 input usage 0 1500000000 USD batch - -',
      'org-acme wrkspc_support claude-sonnet-4-6 2026-11-16 other usage 0 200000000 USD - - -',
    ],
    0,
  ],
  [
    'anthropic-usage-report',
    'anthropic-usage-report.json',
    [
      'org-acme wrkspc_support claude-sonnet-4-6 2026-11-16 input usage 4115200 0 USD - - -',
      'org-acme wrkspc_support claude-sonnet-4-6 2026-11-16 output usage 3000000 0 USD - - -',
      'org-acme wrkspc_support claude-sonnet-4-6 2026-11-16 cache_read usage 411520 0 USD - - -',
      'org-acme wrkspc_support claude-sonnet-4-6 2026-11-16 cache_write_5m usage 200000 0 USD - - -',
      'org-acme wrkspc_support claude-sonnet-4-6 2026-11-16 cache_write_1h usage 200000 0 USD - - -',
      'org-acme wrkspc_support claude-sonnet-4-6 2026-11-16 other usage 2 0 USD - - -',
      'org-acme wrkspc_support claude-sonnet-4-6 2026-11-16 input usage 1000000 0 USD - long -',
    ],
    0,
  ],
  [
    'aws-cur',
    'aws-cur-bedrock.csv',
    [
      '123456789012 arn:aws:iam::123456789012:role/search-api Claude4.6Sonnet 2026-11-16 input usage 2000000 6000000000 USD - - -',
      '123456789012 arn:aws:iam::123456789012:role/search-api Claude4.6Sonnet 2026-11-16 output usage 400000 6000000000 USD - - -',
      '123456789012 arn:aws:iam::123456789012:role/search-api Claude4.6Sonnet 2026-11-16 cache_read usage 1000000 300000000 USD - - -',
      '123456789012 arn:aws:iam::123456789012:role/search-api Claude4.6Sonnet 2026-11-16 cache_write usage 100000 375000000 USD - - -',
      // pricing_unit "1K tokens": 1000 units are 1,000,000 tokens
      '123456789012 - Claude4.6Sonnet 2026-11-16 input usage 1000000 3300000000 USD - - cross_region',
      '123456789012 - Claude4.6Sonnet 2026-11-16 - credit 0 -1500000000 USD - - -',
    ],
    1,
  ],
  [
    'gcp-billing',
    'gcp-billing-vertex.jsonl',
    [
      '01A2B3-C4D5E6-F7G8H9 research-prod Gemini 2.5 Flash 2026-11-16 input usage 5000000 1500000000 USD - - -',
      '01A2B3-C4D5E6-F7G8H9 research-prod Gemini 2.5 Flash 2026-11-16 output usage 1000000 2500000000 USD - - -',
      '01A2B3-C4D5E6-F7G8H9 research-prod Gemini 2.5 Flash 2026-11-16 - credit 0 -250000000 USD - - -',
    ],
    1,
  ],
  [
    'gcp-billing',
    'gcp-billing-vertex.csv',
    [
      // EUR at 0.92 EUR per USD: 9.20 EUR is $10, -0.46 EUR is -$0.50
      '01A2B3-C4D5E6-EUR001 research-eu Gemini 2.5 Pro 2026-11-16 input usage 8000000 10000000000 EUR - - -',
      '01A2B3-C4D5E6-EUR001 research-eu Gemini 2.5 Pro 2026-11-16 - credit 0 -500000000 EUR - - -',
      '01A2B3-C4D5E6-EUR001 research-eu - 2026-11-16 - tax 0 2000000000 EUR - - -',
    ],
    0,
  ],
  [
    'azure-cost',
    'azure-cost-mca.csv',
    [
      // unitOfMeasure per row: 2000 x 1K and 0.5 x 1M
      '5f3c1a2b-0000-4000-8000-00000000abcd rg-sales gpt-4o-mini-0718 2026-11-16 input usage 2000000 330000000 USD - - global',
      '5f3c1a2b-0000-4000-8000-00000000abcd rg-sales gpt-4o-mini-0718 2026-11-16 output usage 500000 330000000 USD - - global',
    ],
    1,
  ],
  [
    'azure-cost',
    'azure-cost-ea.csv',
    [
      // EA PascalCase; EUR over exchangeRatePricingToBilling 0.91
      '7a7a7a7a-0000-4000-8000-000000000001 rg-legal gpt-4o-0806 2026-11-16 input usage 4000000 10000000000 EUR - - regional',
      '7a7a7a7a-0000-4000-8000-000000000001 rg-legal gpt-4o-0806 2026-11-16 output usage 1000000 5000000000 EUR batch - regional',
    ],
    0,
  ],
  [
    'focus',
    'focus-1.2.csv',
    [
      'acct-77 ws-ops mistral-large-2411 2026-11-16 input usage 2250000 4500000000 USD - - -',
      'acct-77 ws-ops mistral-large-2411 2026-11-16 output usage 1500000 9000000000 USD batch - -',
      'acct-77 ws-ops mistral-large-2411 2026-11-16 input usage 0 -300000000 USD - - -',
      'acct-77 ws-ops - 2026-11-16 - tax 0 810000000 USD - - -',
    ],
    0,
  ],
];

describe('provider export importers (golden files)', () => {
  it.each(GOLDEN)('%s %s', (format, file, expected, skipped) => {
    const result = importExport(format, fixture(file), { accountId: 'org-acme' });
    expect(result.lines.map(view)).toEqual(expected);
    expect(result.skipped).toHaveLength(skipped);
  });

  it.each(GOLDEN)('%s %s: line ids are unique and the same on a second parse', (format, file) => {
    const first = importExport(format, fixture(file), { accountId: 'org-acme' }).lines.map((l) => l.lineId);
    const second = importExport(format, fixture(file), { accountId: 'org-acme' }).lines.map((l) => l.lineId);
    expect(new Set(first).size).toBe(first.length);
    expect(second).toEqual(first);
  });

  it('keeps a restated amount under the same line id (a correction, not a new line)', () => {
    const original = importExport('anthropic-cost-report', fixture('anthropic-cost-report.json'));
    const restated = importExport(
      'anthropic-cost-report',
      fixture('anthropic-cost-report.json').replace('"amount": "4500"', '"amount": "4512.5"'),
    );
    expect(restated.lines[1]!.lineId).toBe(original.lines[1]!.lineId);
    expect(restated.lines[1]!.amountNanos - original.lines[1]!.amountNanos).toBe(125_000_000n);
  });

  it('flags FOCUS ChargeClass Correction lines', () => {
    const lines = importExport('focus', fixture('focus-1.2.csv')).lines;
    expect(lines.map((l) => l.correction)).toEqual([false, false, true, false]);
  });

  it('keeps the original currency amount exactly next to the converted USD', () => {
    const [line] = importExport('azure-cost', fixture('azure-cost-ea.csv')).lines;
    expect([line!.originalAmount, line!.originalNanos]).toEqual(['9.1', 9_100_000_000n]);
  });
});
