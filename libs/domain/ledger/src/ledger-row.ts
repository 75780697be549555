import type { PricedCallEvent } from '@tokentally/contracts';
import type { CostVector } from './cost-vector';

/** Token counts as the ledger stores them (BigInt: read exactly). */
export interface LedgerTokens {
  uncached_input_tokens: bigint;
  cache_read_tokens: bigint;
  cache_write_5m_tokens: bigint;
  cache_write_1h_tokens: bigint;
  output_tokens: bigint;
  reasoning_tokens: bigint;
  units: Record<string, number>;
}

/**
 * One ledger row as it is read back (`tally explain`, the finance API, re-pricing): one type for every
 * reader. Never edited once written; re-pricing books adjustments instead.
 */
export interface LedgerRow extends LedgerTokens, CostVector {
  event_id: string;
  occurred_at: Date;
  /** The billing period the charge is booked in (its month, or the open one if its month was closed). */
  period: string;
  trace_id: string;
  span_id: string | null;
  parent_span_id: string | null;
  provider_request_id: string | null;
  team_id: string;
  user_ref: string | null;
  tenant_ref: string | null;
  feature: string;
  workflow: string | null;
  environment: string;
  owner_source: string | null;
  api_key_id: string | null;
  service_account: string | null;
  gateway_id: string | null;
  project_id: string | null;
  request_source: string | null;
  prompt_template_version: string | null;
  provider: string;
  model: string;
  response_model: string | null;
  region: string | null;
  service_tier: string | null;
  pricing_tier: string | null;
  attempt: number | null;
  is_retry: boolean;
  is_fallback: boolean;
  status_code: number | null;
  latency_ms: number | null;
  rate_card_id: string;
  rate_card_version: string;
  rate_multiplier_id: string | null;
  rate_multiplier_version: string | null;
  rate_multiplier: string | null;
  original_currency: string;
  original_total_minor: bigint | null;
  fx_rate_id: string | null;
  priced_at: Date;
}

/** A ledger row with its current effective cost: the row's plus every adjustment booked so far. */
export type EffectiveLedgerRow = LedgerRow & { effective: CostVector };

/** A re-pricing delta to book (the ledger row itself never changes). */
export interface AdjustmentRow {
  adjustmentId: string;
  eventId: string;
  occurredAt: number;
  traceId: string;
  /** The period (and time) to book it in: the call's; the ledger moves it to the open period if closed. */
  period: string;
  bookedAt: number;
  teamId: string;
  userRef: string | null;
  /** The call's rollup dimensions, so the delta lands in the same rollup rows as the call. */
  tenantRef: string | null;
  ownerSource: string | null;
  projectId: string | null;
  promptTemplateVersion: string | null;
  feature: string;
  workflow: string | null;
  environment: string;
  provider: string;
  model: string;
  delta: CostVector;
  rateCardId: string;
  rateCardVersion: string;
  rateMultiplierId: string | null;
  rateMultiplierVersion: string | null;
  fxRateId: string | null;
  reason: string;
}

/** An adjustment as it is read back. */
export interface AdjustmentRecord extends CostVector {
  adjustment_id: string;
  event_id: string;
  occurred_at: Date;
  trace_id: string;
  period: string;
  booked_at: Date;
  team_id: string;
  rate_card_id: string;
  rate_card_version: string;
  rate_multiplier_id: string | null;
  rate_multiplier_version: string | null;
  fx_rate_id: string | null;
  reason: string;
  created_at: Date;
}

/** A resend of a booked event_id with other content: refused, the booked call stands. */
export interface LedgerConflict {
  event: PricedCallEvent;
  /** What differs, "field: booked -> resent" (see `callDifferences`). */
  differences: string[];
}

export interface RecordResult {
  /** Rows new to the ledger. */
  inserted: number;
  /** Redeliveries of calls already booked (same content): absorbed silently. */
  duplicates: number;
  /** Resends of a booked event_id with other content: not booked, for quarantine as CONFLICT. */
  conflicts: LedgerConflict[];
}

export interface ScopeFilter {
  from: Date;
  to: Date;
  provider?: string;
  model?: string;
}
