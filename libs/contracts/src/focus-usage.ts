/**
 * What a FOCUS export is built from: ledger calls of one billing period summed per day, owner, model and
 * price point (rate card version, tier, multiplier, FX rate), with per-bucket tokens and costs, so every
 * FOCUS row can name the published unit price of one SKU. The contract between the database library
 * that reads them and the chargeback domain that writes FOCUS. Optional dimensions are '' rather than null.
 */
export interface FocusUsageGroup {
  /** UTC midnight of the day the calls happened (occurred_at). */
  day: Date;
  /** Calls of an earlier, closed month booked into this period: FOCUS corrections. */
  late: boolean;
  team_id: string;
  feature: string;
  workflow: string;
  environment: string;
  user_ref: string;
  provider: string;
  model: string;
  rate_card_id: string;
  rate_card_version: string;
  pricing_tier: string | null;
  /** The multiplier applied (exact decimal text), null when none. */
  rate_multiplier: string | null;
  /** 'tokens' or 'all' from the stored multiplier, null when none or unknown. */
  multiplier_applies_to: string | null;
  /** The stored card's definition when it is a user card (any version, retired ones too); null for catalog prices. */
  card_definition: Record<string, unknown> | null;
  original_currency: string;
  fx_rate_id: string | null;
  calls: bigint;
  uncached_input_tokens: bigint;
  cache_read_tokens: bigint;
  cache_write_5m_tokens: bigint;
  cache_write_1h_tokens: bigint;
  output_tokens: bigint;
  reasoning_tokens: bigint;
  /** Priced units per unit name (web searches, images...), summed. */
  units: Record<string, bigint>;
  uncached_input_nanos: bigint;
  cache_read_nanos: bigint;
  cache_write_5m_nanos: bigint;
  cache_write_1h_nanos: bigint;
  output_nanos: bigint;
  reasoning_nanos: bigint;
  request_fee_nanos: bigint;
  units_nanos: bigint;
}

/** Re-pricing booked in the period, per day of the original calls, owner and model. */
export interface FocusAdjustmentGroup {
  day: Date;
  /** The re-priced calls belong to an earlier month than the period: a correction of an invoiced period. */
  late: boolean;
  team_id: string;
  feature: string;
  workflow: string;
  environment: string;
  user_ref: string;
  provider: string;
  model: string;
  adjustments: bigint;
  total_nanos: bigint;
}
