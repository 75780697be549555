import { z } from 'zod';
import type { AllocationRule, OrgDeclaration } from '@tokentally/contracts';
import { MICRO_PERCENT_PER_PERCENT, parseDecimalToNanos, parsePercentShare } from '@tokentally/domain-money';
import { parseOrgBudgets } from './org-budgets';

/**
 * The org file (`tally org apply org.yaml`) as one zod schema: each section has its own schema below,
 * cross-references (teams declared once, keys and rules pointing at declared teams) are checked on the
 * whole document. Every problem is reported with its path, all at once, in the config loader's style
 * (`teams[2].monthly_budget_usd: ...`), so a file can be fixed in one pass. Budgets are exact decimals
 * in USD, stored as nanos.
 */
const ID = /^[a-z0-9][a-z0-9._@:-]{0,127}$/i;
const METHODS = ['proportional', 'fixed', 'owner'] as const;

/** YAML text: a number is its text; '' and null are "not given". */
function textOf(value: unknown): string | undefined | false {
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : false;
}

const requiredText = z
  .unknown()
  .optional()
  .transform((value, ctx): string => {
    const text = textOf(value);
    if (typeof text === 'string') return text;
    ctx.addIssue({ code: 'custom', message: text === undefined ? 'required' : 'must be text' });
    return '';
  });

const optionalText = z
  .unknown()
  .optional()
  .transform((value, ctx): string | null => {
    const text = textOf(value);
    if (text === false) ctx.addIssue({ code: 'custom', message: 'must be text' });
    return typeof text === 'string' ? text : null;
  });

const id = requiredText.transform((value, ctx): string => {
  if (value && !ID.test(value))
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a valid id (letters, digits, . _ @ : -)` });
  return value;
});

const budgetUsd = optionalText.transform((value, ctx): bigint | null => {
  if (value === null) return null;
  try {
    const nanos = parseDecimalToNanos(value);
    if (nanos < 0n) ctx.addIssue({ code: 'custom', message: 'must not be negative' });
    return nanos;
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return null;
  }
});

const mapping = <S extends z.ZodRawShape>(shape: S) => z.object(shape, { error: 'must be a mapping' });
/** An absent section is an empty list. */
const section = <T extends z.ZodType>(item: T) =>
  z.preprocess((value) => value ?? [], z.array(item, { error: 'must be a list of mappings' }));

// ---- teams
const teamSchema = mapping({
  id,
  name: optionalText,
  cost_centre: optionalText,
  owner: optionalText,
  monthly_budget_usd: budgetUsd,
}).transform((team) => ({
  id: team.id,
  name: team.name ?? team.id,
  cost_centre: team.cost_centre,
  owner: team.owner,
  monthly_budget_nanos: team.monthly_budget_usd,
}));

// ---- api keys and service accounts: each belongs to one team
const apiKeySchema = mapping({ id, team: id });
const serviceAccountSchema = mapping({ name: id, team: id });

// ---- allocation rules: how a shared team's cost passes on to others
const targetsSchema = z.array(z.string(), { error: 'a non-empty list of team ids' }).min(1, {
  error: 'a non-empty list of team ids',
});
const SHARE = 'a mapping of team id to a percentage with at most 6 decimals';
/** A percentage with up to six decimals, as a number or a decimal string, read exactly. */
const percentShare = (value: unknown): bigint | undefined => {
  if (typeof value !== 'number' && typeof value !== 'string') return undefined;
  try {
    return parsePercentShare(value);
  } catch {
    return undefined;
  }
};
const sharesSchema = z
  .record(z.string(), z.unknown(), { error: SHARE })
  .transform((shares, ctx): Record<string, number> => {
    const micro = Object.values(shares).map(percentShare);
    if (micro.length === 0 || micro.some((m) => m === undefined)) {
      ctx.addIssue({ code: 'custom', message: SHARE });
      return {};
    }
    if (micro.reduce((a: bigint, b) => a + (b ?? 0n), 0n) !== 100n * MICRO_PERCENT_PER_PERCENT)
      ctx.addIssue({ code: 'custom', message: 'percentages must sum to exactly 100' });
    return Object.fromEntries(Object.entries(shares).map(([team, v]) => [team, Number(v)]));
  });

const allocationRuleSchema = z
  .object(
    {
      id,
      source_team: id,
      method: z.enum(METHODS, { error: `one of ${METHODS.join(', ')}` }),
      targets: z.unknown().optional(),
      shares: z.unknown().optional(),
      owner: z.unknown().optional(),
    },
    { error: 'must be a mapping' },
  )
  .transform((item, ctx): { id: string; rule: AllocationRule } => {
    const { source_team } = item;
    const parsed = (schema: z.ZodType, field: 'targets' | 'shares'): unknown => {
      const result = schema.safeParse(item[field]);
      if (result.success) return result.data;
      for (const issue of result.error.issues)
        ctx.addIssue({ code: 'custom', path: [field, ...issue.path], message: issue.message });
      return undefined;
    };
    switch (item.method) {
      case 'proportional': {
        const targets = (parsed(targetsSchema, 'targets') as string[] | undefined) ?? [];
        return { id: item.id, rule: { source_team, method: 'proportional', targets } };
      }
      case 'fixed': {
        const shares = (parsed(sharesSchema, 'shares') as Record<string, number> | undefined) ?? {};
        return { id: item.id, rule: { source_team, method: 'fixed', shares } };
      }
      case 'owner': {
        const owner = textOf(item.owner);
        if (typeof owner !== 'string')
          ctx.addIssue({ code: 'custom', path: ['owner'], message: 'required for method owner' });
        return { id: item.id, rule: { source_team, method: 'owner', owner: owner || '' } };
      }
    }
  });

// ---- provider accounts: the provider-side account (org, billing account, subscription) and project of a
// team, so the reconciler can put a provider's bill next to the ledger
const providerAccountSchema = mapping({
  provider: id,
  account: id,
  project: optionalText,
  team: id,
  api_keys: z.preprocess((value) => value ?? [], z.array(z.string(), { error: 'a list of api key ids' })),
});

// ---- the document
const orgFileSchema = z
  .object(
    {
      teams: section(teamSchema),
      api_keys: section(apiKeySchema),
      service_accounts: section(serviceAccountSchema),
      allocation_rules: section(allocationRuleSchema),
      provider_accounts: section(providerAccountSchema),
      // parsed by parseOrgBudgets below, with domain-budget's schema
      budgets: z.unknown().optional(),
      request_caps: z.unknown().optional(),
    },
    { error: 'the document must be a mapping with teams, api_keys, service_accounts' },
  )
  // Runs even when a section had problems, so the file's every problem is reported in one pass.
  .superRefine(crossReferences, { when: () => true });

type Issue = Parameters<Parameters<z.ZodType['superRefine']>[0]>[1];
type Row = Record<string, unknown>;

/** Declared once; and every team a key, account or rule names is declared under teams. */
function crossReferences(doc: unknown, ctx: Issue): void {
  const rows = (name: string): Row[] => {
    const value = doc && typeof doc === 'object' ? (doc as Row)[name] : undefined;
    return Array.isArray(value) ? value.filter((v): v is Row => !!v && typeof v === 'object') : [];
  };
  const once = (name: string, key: string): void => {
    const seen = new Set<unknown>();
    for (const row of rows(name)) {
      const value = row[key];
      if (typeof value === 'string' && value && seen.has(value))
        ctx.addIssue({ code: 'custom', path: [name], message: `"${value}" is declared twice` });
      seen.add(value);
    }
  };
  once('teams', 'id');
  once('api_keys', 'id');
  once('service_accounts', 'name');
  once('allocation_rules', 'id');
  const teams = new Set(rows('teams').map((team) => team['id']));
  const known = (team: unknown, path: (string | number)[]): void => {
    if (typeof team === 'string' && team && !teams.has(team))
      ctx.addIssue({ code: 'custom', path, message: `team "${team}" is not declared under teams` });
  };
  rows('api_keys').forEach((key, i) => known(key['team'], ['api_keys', i, 'team']));
  rows('service_accounts').forEach((account, i) => known(account['team'], ['service_accounts', i, 'team']));
  rows('provider_accounts').forEach((account, i) => known(account['team'], ['provider_accounts', i, 'team']));
  const accounts = new Set<string>();
  rows('provider_accounts').forEach((account) => {
    const key = [account['provider'], account['account'], account['project'] ?? '']
      .map((part) => (typeof part === 'string' ? part : ''))
      .join('/');
    if (accounts.has(key))
      ctx.addIssue({ code: 'custom', path: ['provider_accounts'], message: `"${key}" is declared twice` });
    accounts.add(key);
  });
  // two rules passing on the same team's cost would allocate it twice: one rule per source team
  const sources = new Map<string, string>();
  rows('allocation_rules').forEach((entry, i) => {
    const rule = entry['rule'] as AllocationRule | undefined;
    if (!rule) return;
    const first = sources.get(rule.source_team);
    if (rule.source_team && first !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['allocation_rules', i, 'source_team'],
        message: `"${rule.source_team}" is already allocated by rule "${first}"`,
      });
    else if (rule.source_team) sources.set(rule.source_team, String(entry['id']));
    known(rule.source_team, ['allocation_rules', i, 'source_team']);
    const targets =
      rule.method === 'proportional'
        ? rule.targets
        : rule.method === 'fixed'
          ? Object.keys(rule.shares)
          : [rule.owner];
    targets.forEach((team) => known(team, ['allocation_rules', i, 'targets']));
  });
}

/** `teams[2].monthly_budget_usd`: list indices in brackets, as a reader of the file counts them. */
function pathOf(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i > 0 ? '.' : ''}${String(part)}`))
    .join('');
}

/** Validates a parsed org YAML document and turns it into the declaration stored in Postgres. */
export function parseOrgDeclaration(
  input: unknown,
): { ok: true; value: OrgDeclaration } | { ok: false; problems: string[] } {
  const result = orgFileSchema.safeParse(input);
  const budgets = parseOrgBudgets(input);
  if (result.success && budgets.ok) {
    const { budgets: _b, request_caps: _c, ...org } = result.data;
    return { ok: true, value: { ...org, budgets: budgets.budgets, request_caps: budgets.request_caps } };
  }
  const problems = result.success
    ? []
    : result.error.issues.map((issue) =>
        issue.path.length > 0 ? `${pathOf(issue.path)}: ${issue.message}` : issue.message,
      );
  if (!budgets.ok) problems.push(...budgets.problems);
  return { ok: false, problems: [...new Set(problems)] };
}
