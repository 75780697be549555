import type { AllocationRule, OrgDeclaration } from '@tokentally/contracts';
import { parseDecimalToNanos } from '@tokentally/domain-money';

const ID = /^[a-z0-9][a-z0-9._@:-]{0,127}$/i;
type Json = Record<string, unknown>;

/**
 * Validates a parsed org YAML document and turns it into the declaration stored in Postgres. Every
 * problem is reported with its path (`teams[2].monthly_budget_usd: ...`), all at once, so a file can be
 * fixed in one pass. Budgets are exact decimals in USD, stored as nanos.
 */
export function parseOrgDeclaration(
  input: unknown,
): { ok: true; value: OrgDeclaration } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const doc = isObject(input)
    ? input
    : (problems.push('the document must be a mapping with teams, api_keys, service_accounts'), {});
  const list = (key: string): Json[] => {
    const value = doc[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || !value.every(isObject)) {
      problems.push(`${key}: must be a list of mappings`);
      return [];
    }
    return value;
  };
  const text = (item: Json, key: string, path: string, required = true): string | null => {
    const value = item[key];
    if (value === undefined || value === null || value === '') {
      if (required) problems.push(`${path}.${key}: required`);
      return null;
    }
    if (typeof value !== 'string' && typeof value !== 'number') {
      problems.push(`${path}.${key}: must be text`);
      return null;
    }
    return String(value);
  };
  const id = (item: Json, key: string, path: string): string => {
    const value = text(item, key, path) ?? '';
    if (value && !ID.test(value))
      problems.push(`${path}.${key}: "${value}" is not a valid id (letters, digits, . _ @ : -)`);
    return value;
  };

  const teams = list('teams').map((item, i) => {
    const path = `teams[${i}]`;
    const budget = text(item, 'monthly_budget_usd', path, false);
    let monthly_budget_nanos: bigint | null = null;
    if (budget !== null) {
      try {
        monthly_budget_nanos = parseDecimalToNanos(budget);
        if (monthly_budget_nanos < 0n) problems.push(`${path}.monthly_budget_usd: must not be negative`);
      } catch (error) {
        problems.push(`${path}.monthly_budget_usd: ${(error as Error).message}`);
      }
    }
    const teamId = id(item, 'id', path);
    return {
      id: teamId,
      name: text(item, 'name', path, false) ?? teamId,
      cost_centre: text(item, 'cost_centre', path, false),
      owner: text(item, 'owner', path, false),
      monthly_budget_nanos,
    };
  });
  const teamIds = new Set(teams.map((t) => t.id));
  duplicates(
    teams.map((t) => t.id),
    'teams',
    problems,
  );
  const knownTeam = (team: string, path: string): void => {
    if (team && !teamIds.has(team)) problems.push(`${path}: team "${team}" is not declared under teams`);
  };

  const api_keys = list('api_keys').map((item, i) => {
    const key = { id: id(item, 'id', `api_keys[${i}]`), team: id(item, 'team', `api_keys[${i}]`) };
    knownTeam(key.team, `api_keys[${i}].team`);
    return key;
  });
  duplicates(
    api_keys.map((k) => k.id),
    'api_keys',
    problems,
  );

  const service_accounts = list('service_accounts').map((item, i) => {
    const account = {
      name: id(item, 'name', `service_accounts[${i}]`),
      team: id(item, 'team', `service_accounts[${i}]`),
    };
    knownTeam(account.team, `service_accounts[${i}].team`);
    return account;
  });
  duplicates(
    service_accounts.map((s) => s.name),
    'service_accounts',
    problems,
  );

  const allocation_rules = list('allocation_rules').map((item, i) => {
    const path = `allocation_rules[${i}]`;
    const rule = parseRule(item, path, problems);
    if (rule) {
      knownTeam(rule.source_team, `${path}.source_team`);
      const targets =
        rule.method === 'proportional'
          ? rule.targets
          : rule.method === 'fixed'
            ? Object.keys(rule.shares)
            : [rule.owner];
      targets.forEach((t) => knownTeam(t, `${path}.targets`));
    }
    return { id: id(item, 'id', path), rule: rule ?? ({} as AllocationRule) };
  });
  duplicates(
    allocation_rules.map((r) => r.id),
    'allocation_rules',
    problems,
  );

  const provider_accounts = list('provider_accounts').map((item, i) => {
    const path = `provider_accounts[${i}]`;
    const keys = item['api_keys'];
    if (keys !== undefined && !(Array.isArray(keys) && keys.every((k) => typeof k === 'string')))
      problems.push(`${path}.api_keys: a list of api key ids`);
    const entry = {
      provider: id(item, 'provider', path),
      account: id(item, 'account', path),
      project: text(item, 'project', path, false),
      team: id(item, 'team', path),
      api_keys: Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [],
    };
    knownTeam(entry.team, `${path}.team`);
    return entry;
  });
  duplicates(
    provider_accounts.map((a) => `${a.provider}/${a.account}/${a.project ?? ''}`),
    'provider_accounts',
    problems,
  );

  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, value: { teams, api_keys, service_accounts, allocation_rules, provider_accounts } };
}

function parseRule(item: Json, path: string, problems: string[]): AllocationRule | undefined {
  const source_team = typeof item['source_team'] === 'string' ? item['source_team'] : '';
  if (!source_team) problems.push(`${path}.source_team: required`);
  switch (item['method']) {
    case 'proportional': {
      const targets = item['targets'];
      if (!Array.isArray(targets) || targets.length === 0 || !targets.every((t) => typeof t === 'string')) {
        problems.push(`${path}.targets: a non-empty list of team ids`);
        return undefined;
      }
      return { source_team, method: 'proportional', targets: targets };
    }
    case 'fixed': {
      const shares = item['shares'];
      if (
        !isObject(shares) ||
        !Object.values(shares).every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0)
      ) {
        problems.push(`${path}.shares: a mapping of team id to whole-number weight`);
        return undefined;
      }
      const weights = shares as Record<string, number>;
      if (Object.values(weights).reduce((a, b) => a + b, 0) === 0)
        problems.push(`${path}.shares: weights sum to zero`);
      return { source_team, method: 'fixed', shares: weights };
    }
    case 'owner': {
      const owner = typeof item['owner'] === 'string' ? item['owner'] : '';
      if (!owner) problems.push(`${path}.owner: required for method owner`);
      return { source_team, method: 'owner', owner };
    }
    default:
      problems.push(`${path}.method: one of proportional, fixed, owner`);
      return undefined;
  }
}

function duplicates(values: string[], what: string, problems: string[]): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (value && seen.has(value)) problems.push(`${what}: "${value}" is declared twice`);
    seen.add(value);
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
