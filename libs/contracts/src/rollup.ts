/**
 * One group of the ledger rollups (hourly, daily, monthly tables), summed over the rows asked for: the
 * contract between the database library that reads rollups and the chargeback domain that reports them.
 * Optional dimensions are '' rather than null; money and counts are BigInt.
 */
export interface RollupGroup {
  team_id: string;
  feature: string;
  workflow: string;
  model: string;
  provider: string;
  environment: string;
  user_ref: string;
  calls: bigint;
  retries: bigint;
  input_tokens: bigint;
  cache_read_tokens: bigint;
  cache_write_5m_tokens: bigint;
  cache_write_1h_tokens: bigint;
  output_tokens: bigint;
  reasoning_tokens: bigint;
  total_nanos: bigint;
  /** The part of total_nanos that is re-pricing adjustments or late calls of a closed period. */
  adjustment_nanos: bigint;
}

/** A daily rollup group (FOCUS exports read ledger calls per price point instead: see focus-usage.ts). */
export interface DailyRollupGroup extends RollupGroup {
  day: Date;
}

/** One user_ref's cost in a team for a period (a statement's top-N user lines). */
export interface UserTotal {
  team_id: string;
  user_ref: string;
  calls: bigint;
  total_nanos: bigint;
}
