import { decimalsEqual, multiplyDecimals } from '@tokentally/domain-money';
import { parseCsv } from './csv';
import { FOCUS_VERSION, type FocusMetadata } from './focus-columns';

type Row = Readonly<Record<string, string | null | undefined>>;

const MANDATORY = [
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
  'ServiceName',
  'ServiceCategory',
  'ProviderName',
  'PublisherName',
  'InvoiceIssuerName',
  'BillingAccountId',
  'BillingAccountName',
  'PricingQuantity',
  'PricingUnit',
] as const;
/** Mandatory columns that allow no null (FOCUS 1.2 "Allows nulls: False"), plus the recommended ones we write. */
const NEVER_NULL = [
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
  'ChargeFrequency',
  'ServiceSubcategory',
] as const;
/** Conditional columns a provider with unit prices and price lists must write (tokentally is one). */
const PRICED = ['SkuId', 'SkuPriceId', 'SkuMeter', 'SkuPriceDetails', 'ListUnitPrice', 'ContractedUnitPrice'];
/** Not null on Usage and Purchase rows that are not corrections. */
const PRICED_NOT_NULL = ['SkuId', 'SkuPriceId', 'PricingQuantity', 'ListUnitPrice', 'ContractedUnitPrice'];
const DECIMAL_COLUMNS = [
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'ContractedCost',
  'PricingQuantity',
  'ListUnitPrice',
  'ContractedUnitPrice',
  'ConsumedQuantity',
];
const DECIMAL = /^-?\d+(\.\d+)?$/;
const UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
/** Ids that stand for "no sub account": FOCUS wants null there, not a made-up id. */
const PLACEHOLDERS = new Set(['unattributed', 'unknown', 'none', 'null', 'n/a', '-']);
const CATEGORIES = ['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment'];

const isNull = (value: string | null | undefined): boolean =>
  value === null || value === undefined || value === '';

function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** FOCUS 1.2 rules of one row; `at` names it in the messages. */
function rowProblems(row: Row, at: string, has: (column: string) => boolean): string[] {
  const problems: string[] = [];
  const problem = (text: string): number => problems.push(`${at}: ${text}`);
  for (const column of NEVER_NULL) if (has(column) && isNull(row[column])) problem(`${column} is null`);
  for (const column of DECIMAL_COLUMNS)
    if (!isNull(row[column]) && !DECIMAL.test(row[column] ?? ''))
      problem(`${column} "${row[column]}" is not a decimal`);
  for (const column of ['BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd'])
    if (!isNull(row[column]) && !UTC_TIME.test(row[column] ?? ''))
      problem(`${column} is not a UTC ISO 8601 time`);
  if ((row.ChargePeriodEnd ?? '') <= (row.ChargePeriodStart ?? ''))
    problem('ChargePeriodEnd must be after ChargePeriodStart');
  if ((row.BillingPeriodEnd ?? '') <= (row.BillingPeriodStart ?? ''))
    problem('BillingPeriodEnd must be after BillingPeriodStart');
  const category = row.ChargeCategory ?? '';
  if (!CATEGORIES.includes(category)) problem(`ChargeCategory "${category}" is not allowed`);
  if (!isNull(row.ChargeClass) && row.ChargeClass !== 'Correction')
    problem('ChargeClass must be Correction or null');
  if (row.BillingCurrency && !/^[A-Z]{3}$/.test(row.BillingCurrency))
    problem('BillingCurrency is not ISO 4217');
  const correction = row.ChargeClass === 'Correction';
  // usage of a day before the billing period can only be booked in it as a correction of that period
  if ((row.ChargePeriodStart ?? '') < (row.BillingPeriodStart ?? '') && !correction)
    problem('a charge of an earlier billing period must be ChargeClass Correction');
  if ((category === 'Usage' || category === 'Purchase') && !correction)
    for (const column of PRICED_NOT_NULL)
      if (has(column) && isNull(row[column])) problem(`${column} is null on a ${category} row`);
  if (category === 'Usage' && !correction && has('ConsumedQuantity') && isNull(row.ConsumedQuantity))
    problem('ConsumedQuantity is null on a Usage row');
  if (category !== 'Usage' && !isNull(row.ConsumedQuantity))
    problem(`ConsumedQuantity must be null on a ${category} row`);
  if (isNull(row.PricingQuantity) !== isNull(row.PricingUnit))
    problem('PricingUnit must be null exactly when PricingQuantity is');
  if (!isNull(row.SkuId) && has('SkuMeter') && isNull(row.SkuMeter)) problem('SkuMeter is null with a SkuId');
  if (isNull(row.SkuId) && !isNull(row.SkuMeter)) problem('SkuMeter must be null without a SkuId');
  if (isNull(row.SkuPriceId) && !isNull(row.SkuPriceDetails))
    problem('SkuPriceDetails must be null without a SkuPriceId');
  if (!isNull(row.SkuPriceDetails)) {
    const details = jsonObject(row.SkuPriceDetails ?? '');
    if (!details) problem('SkuPriceDetails is not a JSON object');
    else
      for (const key of Object.keys(details))
        if (!/^x_/.test(key) && !/^[A-Z][A-Za-z0-9]*$/.test(key))
          problem(`SkuPriceDetails key "${key}" is neither FOCUS-defined nor x_`);
  }
  if (!isNull(row.SubAccountId) && PLACEHOLDERS.has((row.SubAccountId ?? '').toLowerCase()))
    problem(`SubAccountId "${row.SubAccountId}" is a placeholder: null when no sub account`);
  if (has('SubAccountId') && isNull(row.SubAccountId) !== isNull(row.SubAccountName))
    problem('SubAccountName must be null exactly when SubAccountId is');
  for (const [price, cost] of [
    ['ListUnitPrice', 'ListCost'],
    ['ContractedUnitPrice', 'ContractedCost'],
  ] as const) {
    const unit = row[price];
    if (!isNull(unit) && (unit ?? '').startsWith('-')) problem(`${price} is negative`);
    if (!DECIMAL.test(row[cost] ?? '')) continue;
    if (
      !isNull(unit) &&
      !isNull(row.PricingQuantity) &&
      !correction &&
      DECIMAL.test(unit ?? '') &&
      DECIMAL.test(row.PricingQuantity ?? '')
    ) {
      // exactly, not within a rounding: the spec says "MUST match"
      if (!decimalsEqual(multiplyDecimals(unit ?? '', row.PricingQuantity ?? ''), row[cost] ?? ''))
        problem(`${cost} ${row[cost]} != ${price} x PricingQuantity`);
    } else if (
      isNull(unit) &&
      category !== 'Tax' &&
      DECIMAL.test(row.BilledCost ?? '') &&
      !decimalsEqual(row[cost] ?? '', row.BilledCost ?? '')
    )
      problem(`${cost} must match BilledCost when ${price} is null`);
  }
  if (!isNull(row.Tags) && !jsonObject(row.Tags ?? '')) problem('Tags is not a JSON object');
  return problems;
}

/**
 * Checks a FOCUS dataset against the FOCUS 1.2 column rules tokentally's exports must meet: columns
 * present (mandatory ones, and the SKU and price columns a provider with price lists writes), `x_`
 * columns after FOCUS ones, nullability, formats, unit price x quantity = cost exactly, SKU, sub account
 * and correction rules, and one parent SkuId per SkuPriceId. Returns every problem found.
 */
export function validateFocus(header: readonly string[], rows: readonly Row[]): string[] {
  const problems: string[] = [];
  const has = (column: string): boolean => header.includes(column);
  for (const column of [...MANDATORY, ...PRICED]) if (!has(column)) problems.push(`missing column ${column}`);
  if (has('SubAccountId') && !has('SubAccountName'))
    problems.push('missing column SubAccountName (SubAccountId is present)');
  const firstCustom = header.findIndex((c) => c.startsWith('x_'));
  if (firstCustom >= 0 && header.slice(firstCustom).some((c) => !c.startsWith('x_')))
    problems.push('x_ columns must come after every FOCUS column');
  const parents = new Map<string, string>();
  rows.forEach((row, index) => {
    problems.push(...rowProblems(row, `row ${index + 1}`, has));
    const price = row.SkuPriceId;
    if (isNull(price) || isNull(row.SkuId)) return;
    const parent = parents.get(price ?? '');
    if (parent === undefined) parents.set(price ?? '', row.SkuId ?? '');
    else if (parent !== row.SkuId)
      problems.push(`row ${index + 1}: SkuPriceId ${price} has two parent SkuIds`);
  });
  return problems;
}

/** Checks FOCUS metadata: DataGenerator, a schema with SchemaId, CreationDate, FocusVersion 1.2, and a definition of every column. */
export function validateFocusMetadata(
  metadata: FocusMetadata | undefined,
  header: readonly string[],
): string[] {
  if (!metadata) return ['no FOCUS metadata'];
  const problems: string[] = [];
  if (!metadata.DataGenerator?.DataGenerator) problems.push('metadata: DataGenerator is missing');
  const schema = metadata.Schemas?.[0];
  if (!schema) return [...problems, 'metadata: no schema'];
  if (!schema.SchemaId) problems.push('metadata: SchemaId is missing');
  if (!UTC_TIME.test(schema.CreationDate ?? '')) problems.push('metadata: CreationDate is not a UTC time');
  if (schema.FocusVersion !== FOCUS_VERSION) problems.push(`metadata: FocusVersion must be ${FOCUS_VERSION}`);
  const defined = new Set((schema.ColumnDefinition ?? []).map((c) => c.ColumnName));
  for (const column of header)
    if (!defined.has(column)) problems.push(`metadata: no ColumnDefinition for ${column}`);
  for (const column of defined)
    if (!header.includes(column)) problems.push(`metadata: ${column} is defined but not in the data`);
  return problems;
}

/** Validates a FOCUS CSV file's text (and its metadata when given): every problem found, or none. */
export function validateFocusCsv(text: string, metadata?: FocusMetadata): string[] {
  const { header, rows } = parseCsv(text);
  return [...validateFocus(header, rows), ...(metadata ? validateFocusMetadata(metadata, header) : [])];
}
