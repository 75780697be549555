import { z } from 'zod';
import { parseDecimalToNanos } from '@tokentally/domain-money';
import type { BudgetRule } from './budget-rule';
import type { RequestCap } from './request-cap';

/** Redis scripts count in doubles: exact below 2^53 nanos, so no limit may reach it. */
export const MAX_BUDGET_NANOS = 2n ** 53n - 1n;

const usd = z.union([z.string(), z.number()]).transform((value, ctx) => {
  try {
    const nanos = parseDecimalToNanos(String(value));
    if (nanos <= 0n || nanos > MAX_BUDGET_NANOS)
      ctx.addIssue({ code: 'custom', message: 'must be a positive USD amount below $9,007,199' });
    return nanos;
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});
const day = z.union([z.string(), z.date()]).transform((value, ctx) => {
  const text = value instanceof Date ? value.toISOString() : value;
  const at = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(at))
    ctx.addIssue({ code: 'custom', message: 'must be a date (YYYY-MM-DD) or an RFC 3339 time' });
  return at;
});
const name = z.string().trim().min(1, 'must not be empty');

const budgetSchema = z.strictObject({
  team: name,
  feature: name.optional(),
  environment: z.enum(['prod', 'staging', 'dev', 'test']).optional(),
  monthly_usd: usd,
  mode: z.enum(['hard', 'soft']).default('soft'),
  soft_until: day.optional(),
  warn_at_percent: z.number().int().min(1).max(100).default(80),
});
const capSchema = z
  .strictObject({
    service_account: name.optional(),
    api_key: name.optional(),
    per_minute: z.number().int().positive(),
  })
  .refine((cap) => (cap.service_account === undefined) !== (cap.api_key === undefined), {
    message: 'name exactly one of service_account or api_key',
  });

export const budgetDeclarationSchema = z.strictObject({
  budgets: z.array(budgetSchema).default([]),
  request_caps: z.array(capSchema).default([]),
});

export interface BudgetDeclaration {
  rules: BudgetRule[];
  caps: RequestCap[];
}

/**
 * The `budgets:` and `request_caps:` sections of the org file. Every problem comes back at once, named
 * by its path (`budgets[1].monthly_usd: ...`); two rules for the same scope are refused rather than
 * silently picking one.
 */
export function parseBudgetDeclaration(
  input: unknown,
): { ok: true; value: BudgetDeclaration } | { ok: false; problems: string[] } {
  const parsed = budgetDeclarationSchema.safeParse(input ?? {});
  if (!parsed.success)
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => `${pathOf(issue.path)}: ${issue.message}`),
    };
  const rules: BudgetRule[] = parsed.data.budgets.map((b) => ({
    teamId: b.team,
    feature: b.feature ?? null,
    environment: b.environment ?? null,
    monthlyLimitNanos: b.monthly_usd,
    mode: b.mode,
    softUntil: b.soft_until ?? null,
    warnAtBp: b.warn_at_percent * 100,
  }));
  const problems: string[] = [];
  const seen = new Map<string, number>();
  rules.forEach((rule, i) => {
    const key = JSON.stringify([rule.teamId, rule.feature, rule.environment]);
    const first = seen.get(key);
    if (first !== undefined)
      problems.push(`budgets[${i}]: same team, feature and environment as budgets[${first}]`);
    else seen.set(key, i);
  });
  const caps: RequestCap[] = parsed.data.request_caps.map((cap) =>
    cap.service_account !== undefined
      ? { kind: 'service_account', id: cap.service_account, perMinute: cap.per_minute }
      : { kind: 'api_key', id: cap.api_key as string, perMinute: cap.per_minute },
  );
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: { rules, caps } };
}

function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, part) =>
      typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part),
    '',
  );
}
