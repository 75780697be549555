import {
  overrideProblems,
  type BudgetOverride,
  type OverrideInput,
  type OverrideReasonCode,
} from './budget-override';

/** Where granted overrides are kept, with who granted them (an append-only audit trail). */
export interface OverrideLedger {
  addOverride(override: BudgetOverride, grantedBy: string): Promise<void>;
}

export type OverrideGrant = { ok: true; override: BudgetOverride } | { ok: false; problems: string[] };

/**
 * Grants an override: every problem of the request named by its field, or the override stored once with
 * its granter. `tally budget override` and `POST /v1/budget/overrides` both come here.
 */
export async function grantOverride(
  input: OverrideInput,
  grantedBy: string,
  deps: { ledger: OverrideLedger; now: number; newId: () => string },
): Promise<OverrideGrant> {
  const problems = overrideProblems(input, deps.now);
  if (problems.length > 0) return { ok: false, problems };
  const override: BudgetOverride = {
    id: `ovr-${deps.newId()}`,
    teamId: input.teamId,
    feature: input.feature ?? null,
    environment: input.environment ?? null,
    amountNanos: input.amountNanos,
    reasonCode: input.reasonCode as OverrideReasonCode,
    approver: input.approver,
    note: input.note,
    createdAt: deps.now,
    expiresAt: input.expiresAt,
  };
  await deps.ledger.addOverride(override, grantedBy);
  return { ok: true, override };
}

/** An override's expiry as typed by a person: `YYYY-MM-DD` is the end of that day, UTC; else RFC 3339. */
export function parseOverrideExpiry(text: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T23:59:59.999Z`) : Date.parse(text);
}
