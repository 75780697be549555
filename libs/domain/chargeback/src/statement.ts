import { UNATTRIBUTED, type AllocationRule, type RollupGroup, type UserTotal } from '@tokentally/contracts';
import { divideHalfEven } from '@tokentally/domain-money';
import { allocate, type Allocation } from './allocation-rules';
import { budgetControlsOf, type BudgetControls, type BudgetControlsInput } from './budget-controls';

export { UNATTRIBUTED };

/** One rollup group of a billing period (the monthly rollup, summed over the period). */
export type UsageRow = RollupGroup;

export interface TeamInfo {
  id: string;
  name: string;
  cost_centre: string | null;
  owner: string | null;
  monthly_budget_nanos: bigint | null;
}

export const DIMENSIONS = ['feature', 'workflow', 'model', 'environment', 'user_ref'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface Tokens {
  uncached_input: bigint;
  cache_read: bigint;
  cache_write_5m: bigint;
  cache_write_1h: bigint;
  output: bigint;
  reasoning: bigint;
}

export interface BreakdownLine {
  key: string;
  nanos: bigint;
  previous_nanos: bigint;
  calls: bigint;
}

export type { Allocation } from './allocation-rules';

export interface TeamStatement {
  team_id: string;
  name: string;
  cost_centre: string | null;
  owner: string | null;
  direct_nanos: bigint;
  /** Shared cost received (positive) or passed on (negative) by allocation rules. */
  allocated_nanos: bigint;
  total_nanos: bigint;
  previous_total_nanos: bigint;
  change_nanos: bigint;
  /** Change vs the previous period in percent, one decimal, or null when there was nothing before. */
  change_percent: string | null;
  adjustment_nanos: bigint;
  requests: bigint;
  retries: bigint;
  tokens: Tokens;
  breakdown: Record<Dimension, BreakdownLine[]>;
  allocations: Allocation[];
  budget: { budget_nanos: bigint; remaining_nanos: bigint; used_percent: string } | null;
  /** Budgets enforced before spending (org file `budgets:`), overrides in effect, spend above them. */
  budget_controls: BudgetControls;
  /** What moved most vs the previous period, largest absolute change first. */
  drivers: { dimension: 'feature' | 'model' | 'workflow'; key: string; change_nanos: bigint }[];
}

export interface Statement {
  period: string;
  previous_period: string;
  teams: TeamStatement[];
  totals: {
    direct_nanos: bigint;
    allocated_nanos: bigint;
    total_nanos: bigint;
    previous_total_nanos: bigint;
  };
}

const zeroTokens = (): Tokens => ({
  uncached_input: 0n,
  cache_read: 0n,
  cache_write_5m: 0n,
  cache_write_1h: 0n,
  output: 0n,
  reasoning: 0n,
});

/** Percent with one decimal, half-even: 3800n of 10000n -> "38.0". */
export function percent(part: bigint, whole: bigint): string | null {
  if (whole === 0n) return null;
  const tenths = divideHalfEven(part * 1000n, whole);
  const negative = tenths < 0n;
  const magnitude = negative ? -tenths : tenths;
  return `${negative ? '-' : ''}${magnitude / 10n}.${magnitude % 10n}`;
}

function usersOf(users: readonly UserTotal[], teamId: string): Map<string, { nanos: bigint; calls: bigint }> {
  return new Map(
    users
      .filter((u) => u.team_id === teamId)
      .map((u) => [u.user_ref, { nanos: u.total_nanos, calls: u.calls }]),
  );
}

function sumBy(
  rows: readonly UsageRow[],
  key: (row: UsageRow) => string,
): Map<string, { nanos: bigint; calls: bigint }> {
  const out = new Map<string, { nanos: bigint; calls: bigint }>();
  for (const row of rows) {
    const k = key(row);
    const entry = out.get(k) ?? { nanos: 0n, calls: 0n };
    entry.nanos += row.total_nanos;
    entry.calls += row.calls;
    out.set(k, entry);
  }
  return out;
}

/**
 * The chargeback statement of a period from its rollup rows (never raw ledger rows): per team direct
 * cost, allocated shared cost, change vs the previous period and its drivers, breakdowns per dimension
 * (user_ref limited to the top N), tokens, budget status, and the Unattributed row as a team of its own.
 * Totals: sum of direct = sum of the rows; sum of allocated = 0; so sum of totals = sum of the rows.
 */
export function buildStatement(input: {
  period: string;
  previousPeriod: string;
  rows: readonly UsageRow[];
  previousRows: readonly UsageRow[];
  teams: readonly TeamInfo[];
  rules: readonly { id: string; rule: AllocationRule }[];
  topUsers?: number;
  /**
   * The top user_refs per team, already ranked by the database (then `rows` need not carry user_ref,
   * which keeps a report over millions of calls to a few thousand groups), with their previous cost.
   */
  users?: { current: readonly UserTotal[]; previous: readonly UserTotal[] };
  /** Enforced budgets and the overrides on record (the statement lists those of its period). */
  budgetControls?: BudgetControlsInput;
}): Statement {
  const teamIds = new Set<string>([
    ...input.teams.map((t) => t.id),
    ...input.rows.map((r) => r.team_id),
    ...input.previousRows.map((r) => r.team_id),
  ]);
  const byTeam = (rows: readonly UsageRow[]) => {
    const map = new Map<string, UsageRow[]>();
    for (const row of rows) {
      const list = map.get(row.team_id);
      if (list) list.push(row);
      else map.set(row.team_id, [row]);
    }
    return map;
  };
  const current = byTeam(input.rows);
  const previous = byTeam(input.previousRows);
  const directOf = (rows: readonly UsageRow[] | undefined): bigint =>
    (rows ?? []).reduce((sum, r) => sum + r.total_nanos, 0n);
  const direct = new Map([...teamIds].map((id) => [id, directOf(current.get(id))]));
  const previousDirect = new Map([...teamIds].map((id) => [id, directOf(previous.get(id))]));
  const transfers = allocate(input.rules, direct);
  const previousTransfers = allocate(input.rules, previousDirect);
  const allocatedOf = (team: string, list: readonly Allocation[]): bigint =>
    list.reduce(
      (sum, t) => sum + (t.to_team === team ? t.nanos : 0n) - (t.from_team === team ? t.nanos : 0n),
      0n,
    );
  const info = new Map(input.teams.map((t) => [t.id, t]));

  const teams = [...teamIds].sort().map((teamId): TeamStatement => {
    const rows = current.get(teamId) ?? [];
    const before = previous.get(teamId) ?? [];
    const directNanos = direct.get(teamId) ?? 0n;
    const allocated = allocatedOf(teamId, transfers);
    const total = directNanos + allocated;
    const previousTotal = (previousDirect.get(teamId) ?? 0n) + allocatedOf(teamId, previousTransfers);
    const tokens = zeroTokens();
    let requests = 0n;
    let retries = 0n;
    let adjustments = 0n;
    for (const row of rows) {
      tokens.uncached_input += row.input_tokens;
      tokens.cache_read += row.cache_read_tokens;
      tokens.cache_write_5m += row.cache_write_5m_tokens;
      tokens.cache_write_1h += row.cache_write_1h_tokens;
      tokens.output += row.output_tokens;
      tokens.reasoning += row.reasoning_tokens;
      requests += row.calls;
      retries += row.retries;
      adjustments += row.adjustment_nanos;
    }
    const breakdown = Object.fromEntries(
      DIMENSIONS.map((dimension) => {
        const ranked = dimension === 'user_ref' ? input.users : undefined;
        const now = ranked ? usersOf(ranked.current, teamId) : sumBy(rows, (r) => r[dimension]);
        const then = ranked ? usersOf(ranked.previous, teamId) : sumBy(before, (r) => r[dimension]);
        const lines = [...new Set([...now.keys(), ...(ranked ? [] : then.keys())])]
          .map((key) => ({
            key,
            nanos: now.get(key)?.nanos ?? 0n,
            previous_nanos: then.get(key)?.nanos ?? 0n,
            calls: now.get(key)?.calls ?? 0n,
          }))
          .sort((a, b) => (a.nanos === b.nanos ? a.key.localeCompare(b.key) : a.nanos > b.nanos ? -1 : 1));
        return [dimension, dimension === 'user_ref' ? lines.slice(0, input.topUsers ?? 10) : lines];
      }),
    ) as Record<Dimension, BreakdownLine[]>;
    const drivers = (['feature', 'model', 'workflow'] as const)
      .flatMap((dimension) =>
        breakdown[dimension].map((line) => ({
          dimension,
          key: line.key,
          change_nanos: line.nanos - line.previous_nanos,
        })),
      )
      .filter((d) => d.change_nanos !== 0n)
      .sort((a, b) => {
        const abs = (v: bigint): bigint => (v < 0n ? -v : v);
        return abs(a.change_nanos) === abs(b.change_nanos)
          ? 0
          : abs(a.change_nanos) > abs(b.change_nanos)
            ? -1
            : 1;
      })
      .slice(0, 3);
    const team = info.get(teamId);
    const budget = team?.monthly_budget_nanos ?? null;
    return {
      team_id: teamId,
      name: team?.name ?? (teamId === UNATTRIBUTED ? 'Unattributed' : teamId),
      cost_centre: team?.cost_centre ?? null,
      owner: team?.owner ?? null,
      direct_nanos: directNanos,
      allocated_nanos: allocated,
      total_nanos: total,
      previous_total_nanos: previousTotal,
      change_nanos: total - previousTotal,
      change_percent: percent(total - previousTotal, previousTotal),
      adjustment_nanos: adjustments,
      requests,
      retries,
      tokens,
      breakdown,
      allocations: transfers.filter((t) => t.from_team === teamId || t.to_team === teamId),
      budget:
        budget === null
          ? null
          : {
              budget_nanos: budget,
              remaining_nanos: budget - total,
              used_percent: percent(total, budget) ?? '0.0',
            },
      drivers,
      budget_controls: budgetControlsOf(
        input.period,
        teamId,
        rows,
        input.budgetControls ?? { rules: [], overrides: [] },
      ),
    };
  });
  const sum = (pick: (t: TeamStatement) => bigint): bigint => teams.reduce((s, t) => s + pick(t), 0n);
  return {
    period: input.period,
    previous_period: input.previousPeriod,
    teams,
    totals: {
      direct_nanos: sum((t) => t.direct_nanos),
      allocated_nanos: sum((t) => t.allocated_nanos),
      total_nanos: sum((t) => t.total_nanos),
      previous_total_nanos: sum((t) => t.previous_total_nanos),
    },
  };
}
