import { budgetScopeKey, type BudgetRule } from './budget-rule';

/**
 * Extra room granted above a budget, with the audit trail finance asks for: why (a reason code from a
 * fixed list), who approved it, how much and until when. Overrides are never edited; a new one is added.
 */
export const OVERRIDE_REASON_CODES = [
  'INCIDENT_RESPONSE',
  'PRODUCT_LAUNCH',
  'CUSTOMER_COMMITMENT',
  'PLANNED_BACKFILL',
  'EXPERIMENT',
  'FORECAST_ERROR',
] as const;
export type OverrideReasonCode = (typeof OVERRIDE_REASON_CODES)[number];

export interface BudgetOverride {
  id: string;
  teamId: string;
  feature: string | null;
  environment: string | null;
  amountNanos: bigint;
  reasonCode: OverrideReasonCode;
  approver: string;
  note: string;
  createdAt: number;
  expiresAt: number;
}

export interface OverrideInput {
  teamId: string;
  feature?: string | null;
  environment?: string | null;
  amountNanos: bigint;
  reasonCode: string;
  approver: string;
  note: string;
  expiresAt: number;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Every problem of an override request, each naming its field, so a form can show them all at once. */
export function overrideProblems(input: OverrideInput, now: number): string[] {
  const problems: string[] = [];
  if (input.teamId.trim() === '') problems.push('team: required');
  if (input.amountNanos <= 0n) problems.push('amount: must be a positive USD amount');
  if (!(OVERRIDE_REASON_CODES as readonly string[]).includes(input.reasonCode))
    problems.push(`reason_code: must be one of ${OVERRIDE_REASON_CODES.join(', ')}`);
  if (!EMAIL.test(input.approver)) problems.push('approver: must be an e-mail address');
  if (input.note.trim().length < 3) problems.push('note: say why in a few words');
  if (!Number.isFinite(input.expiresAt) || input.expiresAt <= now)
    problems.push('expires: must be in the future');
  return problems;
}

/** Overrides that widen this rule's limit at `at`: same scope, not expired, created before `at`. */
export function activeOverridesFor(
  overrides: readonly BudgetOverride[],
  rule: BudgetRule,
  at: number,
): BudgetOverride[] {
  const key = budgetScopeKey(rule);
  return overrides.filter(
    (override) => budgetScopeKey(override) === key && override.createdAt <= at && at < override.expiresAt,
  );
}
