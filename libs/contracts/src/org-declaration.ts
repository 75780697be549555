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
}

export type AllocationRule =
  | { source_team: string; method: 'proportional'; targets: string[] }
  | { source_team: string; method: 'fixed'; shares: Record<string, number> }
  | { source_team: string; method: 'owner'; owner: string };
