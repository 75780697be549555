import { divideHalfEven, formatUsd } from '@tokentally/domain-money';
import type { DigestAlert, DigestBudget, SpendCell } from './digest.ports';

/** Thresholds of the suggestion rules. Defaults are deliberately conservative: a digest, not a pager. */
export interface DigestParams {
  /** How many changes per team the digest explains. */
  topChanges: number;
  /** A model whose input costs at least this per 1M tokens (nano-USD) counts as premium ($2.50). */
  premiumInputNanosPerMTok: bigint;
  /** Calls averaging fewer output tokens than this are short answers (classifications, labels). */
  shortOutputTokens: bigint;
  /** A rule needs at least this many calls in the week for a cell to count. */
  minCalls: bigint;
  /** Below this weekly amount (nano-USD) nothing is worth a suggestion ($5). */
  minImpactNanos: bigint;
  /** Retry share (basis points of calls) at or above which retries are not normal... */
  retryShareFloorBp: bigint;
  /** ...when it is also at least this multiple of the previous week's share. */
  retryGrowth: bigint;
  /** Unowned spend above this share of the week's total asks for owners (basis points). */
  unattributedShareBp: bigint;
}

export const DEFAULT_DIGEST_PARAMS: DigestParams = {
  topChanges: 3,
  premiumInputNanosPerMTok: 2_500_000_000n,
  shortOutputTokens: 64n,
  minCalls: 200n,
  minImpactNanos: 5_000_000_000n,
  retryShareFloorBp: 500n,
  retryGrowth: 2n,
  unattributedShareBp: 200n,
};

export type ActionRule =
  | 'premium_model_short_outputs'
  | 'retries_above_normal'
  | 'budget_pace'
  | 'unreviewed_alerts'
  | 'unattributed_spend';

export interface SuggestedAction {
  rule: ActionRule;
  /** null: the whole organisation (unowned spend). */
  team_id: string | null;
  feature: string | null;
  model: string | null;
  /** What is at stake this week, nano-USD (the spend the rule is about). */
  impact_nanos: bigint;
  message: string;
}

const count = (n: bigint): string => n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const percent = (bp: bigint): string => `${bp / 100n}.${(bp % 100n).toString().padStart(2, '0')}%`;
export const shareBp = (part: bigint, whole: bigint): bigint =>
  whole === 0n ? 0n : divideHalfEven(part * 10_000n, whole);

function groupBy(cells: readonly SpendCell[], key: (c: SpendCell) => string): Map<string, SpendCell> {
  const out = new Map<string, SpendCell>();
  for (const c of cells) {
    const k = key(c);
    const a = out.get(k);
    out.set(
      k,
      a
        ? {
            ...a,
            calls: a.calls + c.calls,
            retries: a.retries + c.retries,
            input_tokens: a.input_tokens + c.input_tokens,
            output_tokens: a.output_tokens + c.output_tokens,
            input_nanos: a.input_nanos + c.input_nanos,
            total_nanos: a.total_nanos + c.total_nanos,
          }
        : { ...c },
    );
  }
  return out;
}

/** A premium model answering in a handful of tokens: classification work a small model does for less. */
export function premiumShortOutputs(cells: readonly SpendCell[], p: DigestParams): SuggestedAction[] {
  const out: SuggestedAction[] = [];
  for (const c of groupBy(cells, (c) => `${c.team_id}\u0000${c.feature}\u0000${c.model}`).values()) {
    if (c.calls < p.minCalls || c.input_tokens === 0n || c.total_nanos < p.minImpactNanos) continue;
    const perMTok = divideHalfEven(c.input_nanos * 1_000_000n, c.input_tokens);
    const averageOutput = divideHalfEven(c.output_tokens, c.calls);
    if (perMTok < p.premiumInputNanosPerMTok || averageOutput >= p.shortOutputTokens) continue;
    out.push({
      rule: 'premium_model_short_outputs',
      team_id: c.team_id,
      feature: c.feature,
      model: c.model,
      impact_nanos: c.total_nanos,
      message: `${c.feature}: ${count(c.calls)} calls to ${c.model} (input ${formatUsd(perMTok)}/1M tokens) averaged ${averageOutput} output tokens, ${formatUsd(c.total_nanos)} this week: short classifications on a premium model; try a smaller model on a sample and compare`,
    });
  }
  return out;
}

/** Retries well above the previous week's share: a failing dependency or a retry loop burning money. */
export function retriesAboveNormal(
  current: readonly SpendCell[],
  prior: readonly SpendCell[],
  p: DigestParams,
): SuggestedAction[] {
  const key = (c: SpendCell) => `${c.team_id}\u0000${c.feature}`;
  const before = groupBy(prior, key);
  const out: SuggestedAction[] = [];
  for (const [k, c] of groupBy(current, key)) {
    if (c.calls < p.minCalls || c.retries === 0n) continue;
    const share = shareBp(c.retries, c.calls);
    const b = before.get(k);
    const normal = b && b.calls > 0n ? shareBp(b.retries, b.calls) : undefined;
    // with no previous week to compare with, twice the floor is "above normal"
    const limit = normal === undefined ? p.retryShareFloorBp * 2n : normal * p.retryGrowth;
    if (share < p.retryShareFloorBp || share < limit) continue;
    const retrySpend = divideHalfEven(c.total_nanos * c.retries, c.calls);
    if (retrySpend < p.minImpactNanos) continue;
    out.push({
      rule: 'retries_above_normal',
      team_id: c.team_id,
      feature: c.feature,
      model: null,
      impact_nanos: retrySpend,
      message: `${c.feature}: ${percent(share)} of calls were retries (${normal === undefined ? 'no previous week' : `${percent(normal)} the week before`}), about ${formatUsd(retrySpend)} spent on retries; check the failing dependency and the retry policy`,
    });
  }
  return out;
}

/** A budget spent, or on pace to be, by the end of its month (linear burn from the month's start). */
export function budgetPace(
  budget: DigestBudget,
  daysElapsed: bigint,
  daysInMonth: bigint,
): { projected_nanos: bigint; action?: SuggestedAction } {
  const projected = daysElapsed === 0n ? 0n : divideHalfEven(budget.spent_nanos * daysInMonth, daysElapsed);
  if (budget.budget_nanos <= 0n || projected <= budget.budget_nanos) return { projected_nanos: projected };
  const over = budget.spent_nanos >= budget.budget_nanos;
  const what = [budget.feature, budget.environment].filter((x) => x !== null).join(' / ') || 'the team';
  const message = over
    ? `${what} has spent ${formatUsd(budget.spent_nanos)} of its ${formatUsd(budget.budget_nanos)} ${budget.period} budget (${percent(shareBp(budget.spent_nanos, budget.budget_nanos))}); raise the budget or cut usage`
    : `on this pace ${what} ends ${budget.period} at ${formatUsd(projected)}, ${percent(shareBp(projected, budget.budget_nanos))} of its ${formatUsd(budget.budget_nanos)} budget; raise it or cut usage before it crosses`;
  return {
    projected_nanos: projected,
    action: {
      rule: 'budget_pace',
      team_id: budget.team_id,
      feature: budget.feature,
      model: null,
      impact_nanos: projected - budget.budget_nanos,
      message,
    },
  };
}

/** Open alerts nobody gave feedback on: review them so the detector learns what is expected. */
export function unreviewedAlerts(alerts: readonly DigestAlert[]): SuggestedAction[] {
  const byTeam = new Map<string, DigestAlert[]>();
  for (const a of alerts)
    if (a.status !== 'resolved' && a.feedback === null)
      byTeam.set(a.team_id, [...(byTeam.get(a.team_id) ?? []), a]);
  return [...byTeam].map(([team, list]) => {
    const impact = list.reduce((s, a) => s + (a.observed_nanos - a.baseline_nanos), 0n);
    return {
      rule: 'unreviewed_alerts',
      team_id: team,
      feature: null,
      model: null,
      impact_nanos: impact < 0n ? -impact : impact,
      message: `${list.length} open alert${list.length === 1 ? '' : 's'} without feedback (${list.map((a) => a.alert_id).join(', ')}): mark each expected, planned or not_an_issue (tally alerts feedback) or fix the cause`,
    };
  });
}

export function unattributedSpend(
  unattributed: bigint,
  total: bigint,
  quarantinedOwnerless: bigint,
  p: DigestParams,
): SuggestedAction[] {
  const share = shareBp(unattributed, total);
  if (share < p.unattributedShareBp && quarantinedOwnerless === 0n) return [];
  if (unattributed < p.minImpactNanos && quarantinedOwnerless === 0n) return [];
  return [
    {
      rule: 'unattributed_spend',
      team_id: null,
      feature: null,
      model: null,
      impact_nanos: unattributed,
      message: `${formatUsd(unattributed)} (${percent(share)}) of this week's spend had no owner${quarantinedOwnerless > 0n ? ` and ${count(quarantinedOwnerless)} calls were quarantined as MISSING_OWNER` : ''}: map their api keys and service accounts to teams in the org file`,
    },
  ];
}

/** Largest impact first; ties in a stable order so the same data always prints the same digest. */
export function sortActions(actions: readonly SuggestedAction[]): SuggestedAction[] {
  return [...actions].sort((a, b) =>
    a.impact_nanos !== b.impact_nanos
      ? a.impact_nanos > b.impact_nanos
        ? -1
        : 1
      : `${a.rule}${a.team_id}${a.feature}${a.model}`.localeCompare(
          `${b.rule}${b.team_id}${b.feature}${b.model}`,
        ),
  );
}
