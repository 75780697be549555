import {
  budgetPace,
  DEFAULT_DIGEST_PARAMS,
  premiumShortOutputs,
  retriesAboveNormal,
  shareBp,
  sortActions,
  unattributedSpend,
  unreviewedAlerts,
  type DigestParams,
  type SuggestedAction,
} from './actions';
import {
  UNATTRIBUTED_TEAM,
  type DigestAlert,
  type DigestInput,
  type DigestSources,
  type SpendCell,
} from './digest.ports';
import { parseIsoWeek, previousIsoWeek } from './iso-week';
import { topChanges, type TopChange } from './top-changes';

export interface BudgetStatus {
  source: 'team' | 'feature' | 'gateway';
  feature: string | null;
  environment: string | null;
  period: string;
  budget_nanos: bigint;
  spent_nanos: bigint;
  used_bp: bigint;
  projected_nanos: bigint;
}

/** An alert still open at the digest's time, in brief (the whole of it: GET /v1/alerts/{alert_id}). */
export interface OpenAlert {
  alert_id: string;
  kind: string;
  severity: string;
  status: 'open' | 'updated';
  feature: string | null;
  model: string | null;
  workflow: string | null;
  window_start: string;
  window_end: string;
  delta_nanos: bigint;
  primary_cause: string | null;
  explanation: string;
  feedback: string | null;
}

const openAlert = (a: DigestAlert & { status: 'open' | 'updated' }): OpenAlert => ({
  alert_id: a.alert_id,
  kind: a.kind,
  severity: a.severity,
  status: a.status,
  feature: a.feature,
  model: a.model,
  workflow: a.workflow,
  window_start: new Date(a.window_start).toISOString(),
  window_end: new Date(a.window_end).toISOString(),
  delta_nanos: a.observed_nanos - a.baseline_nanos,
  primary_cause: a.primary_cause,
  explanation: a.explanation,
  feedback: a.feedback,
});
const isOpen = (a: DigestAlert): a is DigestAlert & { status: 'open' | 'updated' } => a.status !== 'resolved';

export interface TeamDigest {
  team_id: string;
  name: string;
  spend_nanos: bigint;
  previous_nanos: bigint;
  change_nanos: bigint;
  /** null when the previous week had no spend. */
  change_bp: bigint | null;
  calls: bigint;
  previous_calls: bigint;
  top_changes: TopChange[];
  /** Sum of the drivers of the team's alerts in the week, by cause (traffic, prompt_size, ...). */
  alert_drivers: { cause: string; delta_nanos: bigint }[];
  open_alerts: OpenAlert[];
  budgets: BudgetStatus[];
}

export interface Digest {
  week: string;
  from: string;
  to: string;
  previous_week: string;
  totals: { spend_nanos: bigint; previous_nanos: bigint; change_nanos: bigint };
  teams: TeamDigest[];
  /** Org-wide: calls without an owner (team `unattributed`) and quarantined events. null for a team's view. */
  unattributed: {
    spend_nanos: bigint;
    total_nanos: bigint;
    share_bp: bigint;
    quarantined: { reason: string; events: bigint }[];
  } | null;
  actions: SuggestedAction[];
}

const DAY_MS = 86_400_000n;
const sum = (cells: readonly SpendCell[], f: (c: SpendCell) => bigint): bigint =>
  cells.reduce((s, c) => s + f(c), 0n);
const abs = (n: bigint): bigint => (n < 0n ? -n : n);

function monthDays(period: string, weekEnd: number): { elapsed: bigint; days: bigint } {
  const [y, m] = period.split('-').map(Number);
  const start = BigInt(Date.UTC(y!, m! - 1, 1));
  const end = BigInt(Date.UTC(y!, m, 1));
  const until = BigInt(weekEnd) < end ? BigInt(weekEnd) : end;
  return { elapsed: (until - start) / DAY_MS, days: (end - start) / DAY_MS };
}

/**
 * The weekly audit digest: who spent what this ISO week vs the one before (exact nanos), why it moved
 * (the split into calls and cost per call, and the alerts that carry it with their decomposition), open alerts, budgets, unowned
 * spend, and what to do next (pure rules, see actions.ts). Pure: the same input prints the same digest.
 */
export function buildDigest(input: DigestInput, params: DigestParams = DEFAULT_DIGEST_PARAMS): Digest {
  const names = new Map(input.teams.map((t) => [t.team_id, t.name]));
  const teamIds = new Set([
    ...input.current.map((c) => c.team_id),
    ...input.prior.map((c) => c.team_id),
    ...input.alerts.filter((a) => a.status !== 'resolved').map((a) => a.team_id),
    ...input.budgets.map((b) => b.team_id),
  ]);
  const actions: SuggestedAction[] = [
    ...premiumShortOutputs(input.current, params),
    ...retriesAboveNormal(input.current, input.prior, params),
    ...unreviewedAlerts(input.alerts),
  ];
  const teams: TeamDigest[] = [...teamIds].sort().map((team_id) => {
    const current = input.current.filter((c) => c.team_id === team_id);
    const prior = input.prior.filter((c) => c.team_id === team_id);
    const alerts = input.alerts.filter((a) => a.team_id === team_id);
    const spend = sum(current, (c) => c.total_nanos);
    const previous = sum(prior, (c) => c.total_nanos);
    const drivers = new Map<string, bigint>();
    for (const a of alerts)
      for (const d of a.drivers) drivers.set(d.cause, (drivers.get(d.cause) ?? 0n) + d.delta_nanos);
    const budgets = input.budgets
      .filter((b) => b.team_id === team_id)
      .map((b) => {
        const { elapsed, days } = monthDays(b.period, input.week.end);
        const pace = budgetPace(b, elapsed, days);
        if (pace.action) actions.push(pace.action);
        return {
          source: b.source,
          feature: b.feature,
          environment: b.environment,
          period: b.period,
          budget_nanos: b.budget_nanos,
          spent_nanos: b.spent_nanos,
          used_bp: shareBp(b.spent_nanos, b.budget_nanos),
          projected_nanos: pace.projected_nanos,
        };
      });
    return {
      team_id,
      name: names.get(team_id) ?? team_id,
      spend_nanos: spend,
      previous_nanos: previous,
      change_nanos: spend - previous,
      change_bp: previous === 0n ? null : shareBp(spend - previous, previous),
      calls: sum(current, (c) => c.calls),
      previous_calls: sum(prior, (c) => c.calls),
      top_changes: topChanges(current, prior, alerts, params.topChanges),
      alert_drivers: [...drivers]
        .filter(([, nanos]) => nanos !== 0n)
        .sort(([a, x], [b, y]) => (abs(y) !== abs(x) ? (abs(y) > abs(x) ? 1 : -1) : a.localeCompare(b)))
        .map(([cause, delta_nanos]) => ({ cause, delta_nanos })),
      open_alerts: alerts.filter(isOpen).map(openAlert),
      budgets,
    };
  });
  const total = sum(input.current, (c) => c.total_nanos);
  const previousTotal = sum(input.prior, (c) => c.total_nanos);
  const unowned = sum(
    input.current.filter((c) => c.team_id === UNATTRIBUTED_TEAM),
    (c) => c.total_nanos,
  );
  const ownerless = input.quarantined
    .filter((q) => q.reason === 'MISSING_OWNER')
    .reduce((s, q) => s + q.events, 0n);
  actions.push(...unattributedSpend(unowned, total, ownerless, params));
  return {
    week: input.week.id,
    from: new Date(input.week.start).toISOString(),
    to: new Date(input.week.end).toISOString(),
    previous_week: input.previous.id,
    totals: { spend_nanos: total, previous_nanos: previousTotal, change_nanos: total - previousTotal },
    teams,
    unattributed: {
      spend_nanos: unowned,
      total_nanos: total,
      share_bp: shareBp(unowned, total),
      quarantined: input.quarantined,
    },
    actions: sortActions(actions),
  };
}

/** A team's view: its own section and actions only, never an org-wide figure. */
export function scopeDigest(digest: Digest, team: string): Digest {
  const teams = digest.teams.filter((t) => t.team_id === team);
  const own = teams[0];
  return {
    ...digest,
    totals: {
      spend_nanos: own?.spend_nanos ?? 0n,
      previous_nanos: own?.previous_nanos ?? 0n,
      change_nanos: own?.change_nanos ?? 0n,
    },
    teams,
    unattributed: null,
    actions: digest.actions.filter((a) => a.team_id === team),
  };
}

/** Loads an ISO week (`2026-W47`) and the one before through the port and assembles the digest. */
export async function weeklyDigest(
  sources: DigestSources,
  weekId: string,
  params: DigestParams = DEFAULT_DIGEST_PARAMS,
): Promise<Digest> {
  const week = parseIsoWeek(weekId);
  return buildDigest(await sources.load(week, previousIsoWeek(week)), params);
}
