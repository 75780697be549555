import type { BudgetRule, RequestCap } from '@tokentally/contracts';
import { parseBudgetDeclaration } from '@tokentally/domain-budget';

type Row = Record<string, unknown>;

/**
 * The org file's `budgets:` and `request_caps:` sections: parsed by domain-budget (field names and
 * amounts, one rule per scope), then held to the rest of the file: a budget names a declared team, a
 * cap a declared service account or api key. Problems carry their path, as the other sections do.
 */
export function parseOrgBudgets(
  doc: unknown,
): { ok: true; budgets: BudgetRule[]; request_caps: RequestCap[] } | { ok: false; problems: string[] } {
  const row: Row = doc && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Row) : {};
  const parsed = parseBudgetDeclaration({
    budgets: row['budgets'] ?? undefined,
    request_caps: row['request_caps'] ?? undefined,
  });
  const problems = parsed.ok ? [] : [...parsed.problems];
  const entries = (section: string): Row[] => {
    const value = row[section];
    return Array.isArray(value) ? value.map((v) => (v && typeof v === 'object' ? (v as Row) : {})) : [];
  };
  const declared = (section: string, key: string): Set<unknown> =>
    new Set(entries(section).map((entry) => entry[key]));
  const teams = declared('teams', 'id');
  const accounts = declared('service_accounts', 'name');
  const keys = declared('api_keys', 'id');
  entries('budgets').forEach((budget, i) => {
    const team = budget['team'];
    if (typeof team === 'string' && team.trim() && !teams.has(team.trim()))
      problems.push(`budgets[${i}].team: team "${team}" is not declared under teams`);
  });
  entries('request_caps').forEach((cap, i) => {
    const account = cap['service_account'];
    const key = cap['api_key'];
    if (typeof account === 'string' && account.trim() && !accounts.has(account.trim()))
      problems.push(
        `request_caps[${i}].service_account: "${account}" is not declared under service_accounts`,
      );
    if (typeof key === 'string' && key.trim() && !keys.has(key.trim()))
      problems.push(`request_caps[${i}].api_key: "${key}" is not declared under api_keys`);
  });
  const seen = new Set<string>();
  entries('request_caps').forEach((cap, i) => {
    const id = JSON.stringify([cap['service_account'] ?? null, cap['api_key'] ?? null]);
    if (seen.has(id)) problems.push(`request_caps[${i}]: a second cap for the same account or key`);
    seen.add(id);
  });
  if (problems.length > 0 || !parsed.ok) return { ok: false, problems };
  return { ok: true, budgets: parsed.value.rules, request_caps: parsed.value.caps };
}
