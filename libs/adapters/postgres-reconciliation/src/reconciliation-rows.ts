import type { StoredCostLine } from './reconciliation.repository';

/** Columns of tokentally.provider_cost_lines with their array types for UNNEST inserts. */
export const COLUMNS = [
  ['line_id', 'text'],
  ['revision', 'int'],
  ['import_id', 'text'],
  ['source', 'text'],
  ['provider', 'text'],
  ['account_id', 'text'],
  ['project_id', 'text'],
  ['model', 'text'],
  ['usage_date', 'date'],
  ['token_type', 'text'],
  ['region', 'text'],
  ['service_tier', 'text'],
  ['long_context', 'boolean'],
  ['inference_scope', 'text'],
  ['quantity', 'bigint'],
  ['unit', 'text'],
  ['amount_nanos', 'bigint'],
  ['has_cost', 'boolean'],
  ['currency', 'text'],
  ['original_amount', 'text'],
  ['original_nanos', 'bigint'],
  ['rounding_nanos', 'bigint'],
  ['line_type', 'text'],
  ['correction', 'boolean'],
  ['correction_nanos', 'bigint'],
] as const;

export interface LineRow {
  line_id: string;
  revision: number;
  source: string;
  provider: string;
  account_id: string;
  project_id: string | null;
  model: string | null;
  usage_date: string;
  token_type: string | null;
  region: string | null;
  service_tier: string | null;
  long_context: boolean;
  inference_scope: string | null;
  quantity: string;
  unit: string;
  amount_nanos: string;
  has_cost: boolean;
  currency: string;
  original_amount: string;
  original_nanos: string;
  rounding_nanos: string;
  line_type: string;
  correction: boolean;
  correction_nanos: string;
  imported_at: Date;
  superseded_at: Date | null;
}

export const SELECT_LINE = `SELECT ${COLUMNS.map(([c]) => (c === 'usage_date' ? "to_char(usage_date, 'YYYY-MM-DD') AS usage_date" : c)).join(', ')},
  imported_at, superseded_at FROM tokentally.provider_cost_lines`;

export function storedLineOf(row: LineRow): StoredCostLine {
  return {
    lineId: row.line_id,
    source: row.source,
    provider: row.provider,
    accountId: row.account_id,
    projectId: row.project_id,
    model: row.model,
    usageDate: row.usage_date,
    tokenType: row.token_type,
    region: row.region,
    price: {
      serviceTier: row.service_tier,
      longContext: row.long_context,
      inferenceScope: row.inference_scope,
    },
    quantity: BigInt(row.quantity),
    unit: row.unit,
    amountNanos: BigInt(row.amount_nanos),
    hasCost: row.has_cost,
    currency: row.currency,
    originalAmount: row.original_amount,
    originalNanos: BigInt(row.original_nanos),
    roundingNanos: BigInt(row.rounding_nanos),
    lineType: row.line_type,
    correction: row.correction,
  };
}
