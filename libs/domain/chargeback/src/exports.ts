import type { ChargebackLine, DailyRollupGroup } from '@tokentally/contracts';
import { divideHalfEven, nanosToDecimal, nanosToSafeNumber } from '@tokentally/domain-money';
import { UNATTRIBUTED, type BreakdownLine, type Dimension, type Statement } from './statement';

function csvCell(value: string | null): string {
  if (value === null) return '';
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toCsv(header: readonly string[], rows: readonly (string | null)[][]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

export const STATEMENT_CSV_HEADER = [
  'period',
  'team_id',
  'team_name',
  'cost_centre',
  'owner',
  'dimension',
  'key',
  'direct_usd',
  'allocated_usd',
  'total_usd',
  'total_nanos',
  'previous_total_usd',
  'change_percent',
  'requests',
] as const;

/** One row per team (dimension `total`) and per team x dimension value. */
export function statementCsv(statement: Statement): string {
  const rows: (string | null)[][] = [];
  for (const team of statement.teams) {
    const base = [statement.period, team.team_id, team.name, team.cost_centre, team.owner];
    rows.push([
      ...base,
      'total',
      '',
      nanosToDecimal(team.direct_nanos),
      nanosToDecimal(team.allocated_nanos),
      nanosToDecimal(team.total_nanos),
      team.total_nanos.toString(),
      nanosToDecimal(team.previous_total_nanos),
      team.change_percent,
      team.requests.toString(),
    ]);
    for (const [dimension, lines] of Object.entries(team.breakdown))
      for (const line of lines)
        rows.push([
          ...base,
          dimension,
          line.key,
          nanosToDecimal(line.nanos),
          '0',
          nanosToDecimal(line.nanos),
          line.nanos.toString(),
          nanosToDecimal(line.previous_nanos),
          null,
          line.calls.toString(),
        ]);
  }
  return toCsv(STATEMENT_CSV_HEADER, rows);
}

/** JSON-safe copy: every BigInt becomes its exact decimal string. */
export function toJsonValue(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
}

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
  return toCsv(
    FOCUS_COLUMNS,
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

/** Parses the CSV this module writes (RFC 4180 quoting; an empty cell is null). */
export function parseCsv(text: string): { header: string[]; rows: Record<string, string | null>[] } {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(cell);
      cell = '';
    } else if (c === '\n') {
      records.push([...record, cell]);
      record = [];
      cell = '';
    } else if (c !== '\r') cell += c;
  }
  if (cell !== '' || record.length > 0) records.push([...record, cell]);
  const [header = [], ...body] = records;
  return {
    header,
    rows: body.map((cells) => {
      const row: Record<string, string | null> = {};
      header.forEach((column, index) => {
        const value = cells[index];
        row[column] = value === undefined || value === '' ? null : value;
      });
      return row;
    }),
  };
}

/** Validates a FOCUS CSV file's text: every problem found, or none. */
export function validateFocusCsv(text: string): string[] {
  const { header, rows } = parseCsv(text);
  return validateFocus(header, rows);
}

/**
 * The closed statement as `llm.chargeback.v1` lines for downstream ERP consumers: per team a `total`
 * line (direct + allocated), one line per allocation received or passed on, and one per breakdown value.
 * `line_id` is deterministic, so a re-publication is recognisable downstream.
 */
export function chargebackLines(
  statement: Statement,
  statementHash: string,
  publishedAt: number,
): ChargebackLine[] {
  const lines: ChargebackLine[] = [];
  const safe = (nanos: bigint): number => nanosToSafeNumber(nanos);
  for (const team of statement.teams) {
    const tokens = {
      uncached_input_tokens: safe(team.tokens.uncached_input),
      cache_read_tokens: safe(team.tokens.cache_read),
      cache_write_5m_tokens: safe(team.tokens.cache_write_5m),
      cache_write_1h_tokens: safe(team.tokens.cache_write_1h),
      output_tokens: safe(team.tokens.output),
      reasoning_tokens: safe(team.tokens.reasoning),
    };
    const none = {
      uncached_input_tokens: 0,
      cache_read_tokens: 0,
      cache_write_5m_tokens: 0,
      cache_write_1h_tokens: 0,
      output_tokens: 0,
      reasoning_tokens: 0,
    };
    const line = (
      dimension: ChargebackLine['dimension'],
      key: string | null,
      direct: bigint,
      allocated: bigint,
      previous: bigint | null,
      requests: bigint,
      counts: typeof tokens,
    ): ChargebackLine => ({
      line_id: `${statement.period}:${team.team_id}:${dimension}:${key ?? ''}`,
      period: statement.period,
      team_id: team.team_id,
      cost_centre: team.cost_centre,
      dimension,
      dimension_key: key,
      direct_nanos: safe(direct),
      allocated_nanos: safe(allocated),
      total_nanos: safe(direct + allocated),
      previous_total_nanos: previous === null ? null : safe(previous),
      request_count: safe(requests),
      ...counts,
      statement_hash: statementHash,
      published_at: publishedAt,
    });
    lines.push(
      line(
        team.team_id === UNATTRIBUTED ? 'unattributed' : 'total',
        null,
        team.direct_nanos,
        team.allocated_nanos,
        team.previous_total_nanos,
        team.requests,
        tokens,
      ),
    );
    for (const allocation of team.allocations)
      lines.push(
        line(
          'allocation',
          `${allocation.rule_id}:${allocation.from_team}->${allocation.to_team}`,
          0n,
          allocation.to_team === team.team_id ? allocation.nanos : -allocation.nanos,
          null,
          0n,
          none,
        ),
      );
    if (team.adjustment_nanos !== 0n)
      lines.push(line('adjustment', null, team.adjustment_nanos, 0n, null, 0n, none));
    for (const [dimension, values] of Object.entries(team.breakdown) as [Dimension, BreakdownLine[]][])
      for (const value of values)
        lines.push(line(dimension, value.key, value.nanos, 0n, value.previous_nanos, value.calls, none));
  }
  return lines;
}

const BIGINT_KEYS = new Set([
  'nanos',
  'requests',
  'retries',
  'calls',
  'uncached_input',
  'cache_read',
  'cache_write_5m',
  'cache_write_1h',
  'output',
  'reasoning',
]);

/** Reads a stored statement back (the inverse of toJsonValue for statements): money and counts as BigInt. */
export function statementFromJson(text: string): Statement {
  return JSON.parse(text, (key, value: unknown) =>
    typeof value === 'string' && /^-?\d+$/.test(value) && (key.endsWith('_nanos') || BIGINT_KEYS.has(key))
      ? BigInt(value)
      : value,
  ) as Statement;
}
