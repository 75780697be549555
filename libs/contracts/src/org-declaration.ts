/**
 * The org registry as users declare it in YAML (`tally org apply org.yaml`), after validation:
 * teams with cost centre, owner and monthly budget; api keys and allow-listed service accounts that
 * stand in for a team; shared-cost allocation rules.
 */
export interface OrgDeclaration {
  teams: {
    id: string;
    name: string;
    cost_centre: string | null;
    owner: string | null;
    monthly_budget_nanos: bigint | null;
  }[];
  api_keys: { id: string; team: string }[];
  service_accounts: { name: string; team: string }[];
  allocation_rules: { id: string; rule: AllocationRule }[];
  /**
   * Provider-side accounts (organisation, billing account, subscription) and projects (workspace,
   * resource group, IAM principal) and the team they bill for: how the reconciler matches a provider
   * bill to ledger teams until the ledger carries the provider-side project itself.
   */
  provider_accounts?: {
    provider: string;
    account: string;
    project: string | null;
    team: string;
    api_keys: string[];
  }[];
  /** Budgets a gateway is held to before it spends (`budgets:`), absent in files written before them. */
  budgets?: BudgetRule[];
  /** Per-minute request caps of service accounts and api keys (`request_caps:`). */
  request_caps?: RequestCap[];
}

export type BudgetMode = 'hard' | 'soft';

/**
 * A monthly budget a gateway is held to before it spends. Scope is a team, optionally narrowed to one
 * feature and one environment; a rule without a feature covers every feature of the team.
 */
export interface BudgetRule {
  teamId: string;
  feature: string | null;
  environment: string | null;
  monthlyLimitNanos: bigint;
  mode: BudgetMode;
  /** Tuning period: the rule behaves as soft until this instant (ms, UTC), then as `mode`. */
  softUntil: number | null;
  /** Warn once projected spend passes this share of the limit, in basis points (8000 = 80%). */
  warnAtBp: number;
}

/** A per-minute request cap (sliding 60 s window) on one service account or api key. */
export interface RequestCap {
  kind: 'service_account' | 'api_key';
  id: string;
  perMinute: number;
}

export type AllocationRule =
  | { source_team: string; method: 'proportional'; targets: string[] }
  | { source_team: string; method: 'fixed'; shares: Record<string, number> }
  | { source_team: string; method: 'owner'; owner: string };
