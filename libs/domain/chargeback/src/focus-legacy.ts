import type { DailyRollupGroup } from '@tokentally/contracts';
import { divideHalfEven, nanosToDecimal } from '@tokentally/domain-money';
import { parseCsv, writeCsv } from './csv';

/** A daily rollup group as FOCUS needs it. */
export type FocusSource = DailyRollupGroup;

export const FOCUS_COLUMNS = [
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'ContractedCost',
  'BillingCurrency',
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'ServiceName',
  'ServiceCategory',
  'ServiceSubcategory',
  'ProviderName',
  'PublisherName',
  'InvoiceIssuerName',
  'BillingAccountId',
  'BillingAccountName',
  'SubAccountId',
  'SkuId',
  'PricingQuantity',
  'PricingUnit',
  'ListUnitPrice',
  'ContractedUnitPrice',
  'ConsumedQuantity',
  'ConsumedUnit',
  'Tags',
  'x_team',
  'x_feature',
  'x_workflow',
  'x_user_ref',
  'x_environment',
  'x_model',
  'x_requests',
  'x_uncached_input_tokens',
  'x_cache_read_tokens',
  'x_cache_write_5m_tokens',
  'x_cache_write_1h_tokens',
  'x_output_tokens',
  'x_reasoning_tokens',
] as const;
const FOCUS_NUMBER_COLUMNS = FOCUS_COLUMNS.filter(
  (c) => /Cost$|Price$|Quantity$/.test(c) || c === 'x_requests' || c.endsWith('_tokens'),
);
export type FocusRow = Record<(typeof FOCUS_COLUMNS)[number], string | null>;

const PROVIDER_NAMES: Record<string, string> = {
  openai: 'OpenAI',
  azure_openai: 'Microsoft',
  anthropic: 'Anthropic',
  bedrock: 'Amazon Web Services',
  google: 'Google',
  vertex_ai: 'Google',
  mistral: 'Mistral AI',
  deepseek: 'DeepSeek',
  xai: 'xAI',
  groq: 'Groq',
};

const iso = (date: Date): string => date.toISOString().replace('.000Z', 'Z');

/**
 * FinOps FOCUS 1.2 rows from daily rollups of one billing period: one `Usage` row per group (cost net of
 * adjustments) and one `Adjustment` / `Correction` row where re-pricing or late calls moved it. Costs are
 * the ledger's exact decimals; BilledCost = EffectiveCost = ListCost = ContractedCost (tokentally prices
 * what was billed). PricingQuantity is tokens / 1,000,000 (PricingUnit `1000000 Tokens`) and
 * ListUnitPrice is cost / PricingQuantity to 15 decimals, so ListUnitPrice x PricingQuantity equals
 * ListCost to within a nano. Ownership goes in `Tags` and `x_` columns (allocations live in statements).
 */
export function focusRows(period: string, sources: readonly FocusSource[]): FocusRow[] {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const billingStart = new Date(Date.UTC(year, month - 1, 1));
  const billingEnd = new Date(Date.UTC(year, month, 1));
  const rows: FocusRow[] = [];
  for (const source of sources) {
    const tokens =
      source.input_tokens +
      source.cache_read_tokens +
      source.cache_write_5m_tokens +
      source.cache_write_1h_tokens +
      source.output_tokens;
    const dayEnd = new Date(source.day.getTime() + 86_400_000);
    const provider = PROVIDER_NAMES[source.provider] ?? source.provider;
    const common = {
      BillingCurrency: 'USD',
      BillingPeriodStart: iso(billingStart),
      BillingPeriodEnd: iso(billingEnd),
      ChargePeriodStart: iso(source.day),
      ChargePeriodEnd: iso(dayEnd),
      ChargeFrequency: 'Usage-Based',
      ServiceName: `${provider} ${source.model}`,
      ServiceCategory: 'AI and Machine Learning',
      ServiceSubcategory: 'Generative AI',
      ProviderName: provider,
      PublisherName: provider,
      InvoiceIssuerName: provider,
      BillingAccountId: `tokentally:${source.provider}`,
      BillingAccountName: null,
      SubAccountId: source.team_id,
      SkuId: `${source.provider}/${source.model}`,
      ContractedUnitPrice: null,
      Tags: JSON.stringify({
        team: source.team_id,
        feature: source.feature,
        workflow: source.workflow,
        environment: source.environment,
      }),
      x_team: source.team_id,
      x_feature: source.feature,
      x_workflow: source.workflow || null,
      x_user_ref: source.user_ref || null,
      x_environment: source.environment,
      x_model: source.model,
    };
    const usageNanos = source.total_nanos - source.adjustment_nanos;
    if (source.calls > 0n || usageNanos !== 0n) {
      const cost = nanosToDecimal(usageNanos);
      const unitPrice =
        tokens > 0n ? formatScaled(divideHalfEven(usageNanos * 1_000_000_000_000n, tokens), 15) : null;
      rows.push({
        ...common,
        BilledCost: cost,
        EffectiveCost: cost,
        ListCost: cost,
        ContractedCost: cost,
        ChargeCategory: 'Usage',
        ChargeClass: null,
        ChargeDescription: `${source.calls} ${source.model} calls for ${source.feature}`,
        PricingQuantity: tokens > 0n ? formatScaled(tokens, 6) : null,
        PricingUnit: tokens > 0n ? '1000000 Tokens' : null,
        ListUnitPrice: unitPrice,
        ConsumedQuantity: tokens.toString(),
        ConsumedUnit: 'Tokens',
        x_requests: source.calls.toString(),
        x_uncached_input_tokens: source.input_tokens.toString(),
        x_cache_read_tokens: source.cache_read_tokens.toString(),
        x_cache_write_5m_tokens: source.cache_write_5m_tokens.toString(),
        x_cache_write_1h_tokens: source.cache_write_1h_tokens.toString(),
        x_output_tokens: source.output_tokens.toString(),
        x_reasoning_tokens: source.reasoning_tokens.toString(),
      });
    }
    if (source.adjustment_nanos !== 0n) {
      const cost = nanosToDecimal(source.adjustment_nanos);
      rows.push({
        ...common,
        BilledCost: cost,
        EffectiveCost: cost,
        ListCost: cost,
        ContractedCost: cost,
        ChargeCategory: 'Adjustment',
        ChargeClass: 'Correction',
        ChargeDescription: `re-pricing or late calls of a closed period for ${source.model}, ${source.feature}`,
        PricingQuantity: null,
        PricingUnit: null,
        ListUnitPrice: null,
        ConsumedQuantity: null,
        ConsumedUnit: null,
        x_requests: '0',
        x_uncached_input_tokens: '0',
        x_cache_read_tokens: '0',
        x_cache_write_5m_tokens: '0',
        x_cache_write_1h_tokens: '0',
        x_output_tokens: '0',
        x_reasoning_tokens: '0',
      });
    }
  }
  return rows;
}

function formatScaled(value: bigint, decimals: number): string {
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const scale = 10n ** BigInt(decimals);
  const fraction = (magnitude % scale).toString().padStart(decimals, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${magnitude / scale}${fraction ? `.${fraction}` : ''}`;
}

export function focusCsv(rows: readonly FocusRow[]): string {
  const numeric = new Set<string>(FOCUS_NUMBER_COLUMNS);
  return writeCsv(
    FOCUS_COLUMNS.map((name) => ({ name, kind: numeric.has(name) ? 'number' : 'text' })),
    rows.map((row) => FOCUS_COLUMNS.map((column) => row[column])),
  );
}

const MANDATORY_NON_NULL = [
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'ContractedCost',
  'BillingCurrency',
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'ChargeCategory',
  'ServiceName',
  'ServiceCategory',
  'ProviderName',
  'PublisherName',
  'InvoiceIssuerName',
  'BillingAccountId',
] as const;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Scaled integer of an exact decimal string at `decimals` places (throws when it has more). */
function scaled(text: string, decimals: number): bigint {
  const [whole = '0', fraction = ''] = text.replace('-', '').split('.');
  if (fraction.length > decimals) throw new RangeError(`${text} has more than ${decimals} decimals`);
  const value = BigInt(whole) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
  return text.startsWith('-') ? -value : value;
}

/**
 * Checks FOCUS 1.2 rules on parsed rows: mandatory columns present and non-null, decimals and UTC times
 * well formed, exclusive ends after starts, allowed categories, `x_` columns after the FOCUS ones, and
 * ListCost = ListUnitPrice x PricingQuantity (within a nano) on usage rows. Returns every problem found.
 */
export function validateFocus(
  header: readonly string[],
  rows: readonly Record<string, string | null>[],
): string[] {
  const problems: string[] = [];
  for (const column of [
    ...MANDATORY_NON_NULL,
    'ChargeClass',
    'ChargeDescription',
    'BillingAccountName',
    'PricingQuantity',
    'PricingUnit',
  ])
    if (!header.includes(column)) problems.push(`missing mandatory column ${column}`);
  const firstCustom = header.findIndex((c) => c.startsWith('x_'));
  if (firstCustom >= 0 && header.slice(firstCustom).some((c) => !c.startsWith('x_')))
    problems.push('x_ columns must come after every FOCUS column');
  rows.forEach((row, index) => {
    const at = `row ${index + 1}`;
    for (const column of MANDATORY_NON_NULL)
      if (row[column] === null || row[column] === undefined || row[column] === '')
        problems.push(`${at}: ${column} is null`);
    for (const column of [
      'BilledCost',
      'EffectiveCost',
      'ListCost',
      'ContractedCost',
      'PricingQuantity',
      'ListUnitPrice',
      'ConsumedQuantity',
    ])
      if (row[column] && !DECIMAL.test(row[column] ?? ''))
        problems.push(`${at}: ${column} "${row[column]}" is not a decimal`);
    for (const column of ['BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd'])
      if (row[column] && !UTC_TIME.test(row[column] ?? ''))
        problems.push(`${at}: ${column} is not a UTC ISO 8601 time`);
    if ((row.ChargePeriodEnd ?? '') <= (row.ChargePeriodStart ?? ''))
      problems.push(`${at}: ChargePeriodEnd must be after ChargePeriodStart`);
    if ((row.BillingPeriodEnd ?? '') <= (row.BillingPeriodStart ?? ''))
      problems.push(`${at}: BillingPeriodEnd must be after BillingPeriodStart`);
    if (!['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment'].includes(row.ChargeCategory ?? ''))
      problems.push(`${at}: ChargeCategory "${row.ChargeCategory}" is not allowed`);
    if (row.ChargeClass && row.ChargeClass !== 'Correction')
      problems.push(`${at}: ChargeClass must be Correction or null`);
    if (row.BillingCurrency && !/^[A-Z]{3}$/.test(row.BillingCurrency))
      problems.push(`${at}: BillingCurrency is not ISO 4217`);
    if (
      row.ChargeCategory === 'Usage' &&
      row.ChargeClass !== 'Correction' &&
      row.ListUnitPrice &&
      row.PricingQuantity &&
      row.ListCost
    ) {
      // ListUnitPrice (<= 15 dp) x PricingQuantity (<= 6 dp) vs ListCost (<= 9 dp), compared at 21 dp
      const product = scaled(row.ListUnitPrice, 15) * scaled(row.PricingQuantity, 6);
      const cost = scaled(row.ListCost, 9) * 10n ** 12n;
      const diff = product > cost ? product - cost : cost - product;
      if (diff > 10n ** 12n)
        problems.push(`${at}: ListCost ${row.ListCost} != ListUnitPrice x PricingQuantity`);
    }
    if (row.PricingQuantity && row.PricingUnit === null)
      problems.push(`${at}: PricingUnit is null with a PricingQuantity`);
    if (row.Tags) {
      try {
        const tags = JSON.parse(row.Tags) as unknown;
        if (typeof tags !== 'object' || tags === null || Array.isArray(tags))
          problems.push(`${at}: Tags is not a JSON object`);
      } catch {
        problems.push(`${at}: Tags is not JSON`);
      }
    }
  });
  return problems;
}

/** Validates a FOCUS CSV file's text: every problem found, or none. */
export function validateFocusCsv(text: string): string[] {
  const { header, rows } = parseCsv(text);
  return validateFocus(header, rows);
}
