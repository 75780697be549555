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
}

export type AllocationRule =
  | { source_team: string; method: 'proportional'; targets: string[] }
  | { source_team: string; method: 'fixed'; shares: Record<string, number> }
  | { source_team: string; method: 'owner'; owner: string };
