import type { IsoWeek } from './iso-week';

/** Spend of one team x feature x model x workflow over a week, from the daily rollups (event time). */
export interface SpendCell {
  team_id: string;
  feature: string;
  model: string;
  workflow: string;
  calls: bigint;
  retries: bigint;
  /** Every input bucket: uncached, cache reads and writes. */
  input_tokens: bigint;
  output_tokens: bigint;
  /** What the input buckets cost (uncached + cache), nano-USD. */
  input_nanos: bigint;
  total_nanos: bigint;
}

export interface DigestDriver {
  cause: string;
  dimension: string;
  key: string;
  delta_nanos: bigint;
  share_bp: number;
}

/** The latest revision of an alert whose window overlaps the week, or that is still open. */
export interface DigestAlert {
  alert_id: string;
  kind: string;
  severity: string;
  status: 'open' | 'updated' | 'resolved';
  team_id: string;
  feature: string | null;
  model: string | null;
  workflow: string | null;
  window_start: number;
  window_end: number;
  observed_nanos: bigint;
  baseline_nanos: bigint;
  primary_cause: string | null;
  explanation: string;
  drivers: DigestDriver[];
  /** The latest feedback verdict, if anyone gave one. */
  feedback: string | null;
}

/**
 * A monthly budget and its month-to-date spend at the week's end: `team` (org registry), `feature`
 * (feature_budgets, the detector's thresholds) or `gateway` (budget_rules, with overrides in effect).
 */
export interface DigestBudget {
  source: 'team' | 'feature' | 'gateway';
  team_id: string;
  feature: string | null;
  environment: string | null;
  /** The month the week ends in, YYYY-MM. */
  period: string;
  budget_nanos: bigint;
  spent_nanos: bigint;
}

/** Everything the digest is assembled from; the adapter reads it, the domain does the rest. */
export interface DigestInput {
  week: IsoWeek;
  previous: IsoWeek;
  teams: { team_id: string; name: string }[];
  current: SpendCell[];
  prior: SpendCell[];
  alerts: DigestAlert[];
  budgets: DigestBudget[];
  /** Events quarantined during the week (when they were quarantined), by reason: spend nobody owns. */
  quarantined: { reason: string; events: bigint }[];
}

/** The port the digest reads through (libs/adapters/postgres-alerts: PostgresDigestSources). */
export interface DigestSources {
  load(week: IsoWeek, previous: IsoWeek): Promise<DigestInput>;
}

/** The team an unowned call is booked to in soft ownership enforcement (DESIGN.md section 4). */
export const UNATTRIBUTED_TEAM = 'unattributed';
