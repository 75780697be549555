import type { CsvKind } from './csv';

/** FOCUS 1.2 columns tokentally writes, FOCUS ones first, then its own `x_` columns. */
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
  'SubAccountName',
  'SkuId',
  'SkuPriceId',
  'SkuMeter',
  'SkuPriceDetails',
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
  'x_calls',
] as const;
export type FocusColumn = (typeof FOCUS_COLUMNS)[number];
export type FocusRow = Record<FocusColumn, string | null>;

export type FocusDataType = 'DECIMAL' | 'DATETIME' | 'STRING' | 'JSON';
const DECIMALS = new Set<string>([
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'ContractedCost',
  'PricingQuantity',
  'ListUnitPrice',
  'ContractedUnitPrice',
  'ConsumedQuantity',
  'x_calls',
]);
const DATETIMES = new Set<string>([
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'ChargePeriodStart',
  'ChargePeriodEnd',
]);
const JSONS = new Set<string>(['SkuPriceDetails', 'Tags']);

export function focusDataType(column: string): FocusDataType {
  if (DECIMALS.has(column)) return 'DECIMAL';
  if (DATETIMES.has(column)) return 'DATETIME';
  return JSONS.has(column) ? 'JSON' : 'STRING';
}

/** CSV: decimals are number cells (a negative cost stays a number), everything else is escaped text. */
export const focusCsvKind = (column: string): CsvKind =>
  focusDataType(column) === 'DECIMAL' ? 'number' : 'text';

/**
 * FOCUS metadata (FocusVersion, schema, DataGenerator). SchemaId names this column set: a new column,
 * a removed one or a changed type gets a new SchemaId and CreationDate, as the spec's metadata rules say.
 */
export const FOCUS_VERSION = '1.2';
export const FOCUS_SCHEMA_ID = 'b5e1c0a2-7f3d-4c1e-9a6b-2d1f7a4c9e02';
export const FOCUS_SCHEMA_CREATED = '2026-12-01T00:00:00Z';
export const FOCUS_DATA_GENERATOR = 'tokentally';
export const FOCUS_DATA_GENERATOR_VERSION = '2.0.0';

export interface FocusMetadata {
  DataGenerator: { DataGenerator: string };
  Schemas: {
    SchemaId: string;
    FocusVersion: string;
    CreationDate: string;
    DataGeneratorVersion: string;
    ColumnDefinition: { ColumnName: string; DataType: FocusDataType; StringEncoding?: 'UTF-8' }[];
  }[];
}

export function focusMetadata(): FocusMetadata {
  return {
    DataGenerator: { DataGenerator: FOCUS_DATA_GENERATOR },
    Schemas: [
      {
        SchemaId: FOCUS_SCHEMA_ID,
        FocusVersion: FOCUS_VERSION,
        CreationDate: FOCUS_SCHEMA_CREATED,
        DataGeneratorVersion: FOCUS_DATA_GENERATOR_VERSION,
        ColumnDefinition: FOCUS_COLUMNS.map((ColumnName) => {
          const DataType = focusDataType(ColumnName);
          return DataType === 'STRING'
            ? { ColumnName, DataType, StringEncoding: 'UTF-8' }
            : { ColumnName, DataType };
        }),
      },
    ],
  };
}
