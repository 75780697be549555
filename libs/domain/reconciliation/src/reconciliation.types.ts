import type { TokenType } from './cost-line';

/** The named causes of a difference between the ledger and a provider's bill. */
export const DIFFERENCE_CLASSES = [
  'missing_in_ledger',
  'missing_at_provider',
  'price_drift',
  'cache_semantics',
  'service_tier',
  'long_context',
  'region',
  'rounding',
  'fx',
  'credits_tax_adjustments',
  'day_boundary',
] as const;
export type DifferenceClass = (typeof DIFFERENCE_CLASSES)[number];

export interface Explanation {
  class: DifferenceClass;
  /** Part of provider - ledger this cause accounts for, nano-USD (signed). */
  nanos: bigint;
  detail: string;
}

/** Ledger token buckets of one day, as the daily rollup keeps them. */
export interface LedgerTokens {
  input: bigint;
  cache_read: bigint;
  cache_write_5m: bigint;
  cache_write_1h: bigint;
  output: bigint;
}

/** Ledger cost of one day; the rollup keeps cache reads and writes in one figure. */
export interface LedgerNanos {
  input: bigint;
  cache: bigint;
  output: bigint;
  other: bigint;
}

/** The ledger side of one provider x account x model x day. */
export interface LedgerDay {
  provider: string;
  accountId: string;
  model: string;
  day: string;
  tokens: LedgerTokens;
  nanos: LedgerNanos;
  /** Provider-side project the calls named ('' or absent: not known). */
  projectId?: string;
}

/** The rate card the ledger priced a model with on a day, per 1M tokens in nano-USD. */
export interface CardRates {
  /** `<card id>@<version>`: what a price-drift explanation names. */
  card: string;
  perMillion: Partial<Record<Exclude<TokenType, 'cache_write' | 'other'>, bigint>>;
}

export type RateLookup = (provider: string, model: string, day: string) => CardRates | null;

export interface ReconcileOptions {
  /** Wall clock of the run, ms: only decides which days are still provisional. */
  now: number;
  cellToleranceBp?: number;
  monthToleranceBp?: number;
  rates?: RateLookup;
  /** USD per unit of a currency on a day (tokentally's FX table), for the FX class. */
  fxReference?: (currency: string, day: string) => string | null;
  /** Hours after a day's end until the provider's figure is final, per provider. */
  settleHours?: Record<string, number>;
}

export type CellStatus =
  'matched' | 'within_tolerance' | 'over_tolerance' | 'missing_in_ledger' | 'missing_in_provider';

/** One reconciliation cell: provider x account x model x day (UTC) x token type (null: all, or credits). */
export interface CellResult {
  resultId: string;
  provider: string;
  accountId: string;
  model: string;
  usageDate: string;
  tokenType: TokenType | null;
  ledgerNanos: bigint;
  providerNanos: bigint;
  deltaNanos: bigint;
  deltaBp: number;
  toleranceBp: number;
  status: CellStatus;
  provisional: boolean;
  ledgerQuantity: bigint;
  providerQuantity: bigint;
  explanations: Explanation[];
  /** delta - sum of explanations: what no named cause accounts for. */
  unexplainedNanos: bigint;
}

/** A provider x account x month total, held to the tighter monthly tolerance. */
export interface MonthResult {
  provider: string;
  accountId: string;
  month: string;
  ledgerNanos: bigint;
  providerNanos: bigint;
  deltaNanos: bigint;
  deltaBp: number;
  toleranceBp: number;
  withinTolerance: boolean;
  provisional: boolean;
  byClass: Partial<Record<DifferenceClass | 'unexplained', bigint>>;
}

export interface Reconciliation {
  cells: CellResult[];
  months: MonthResult[];
}
