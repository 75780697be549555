import { formatUsd } from '@tokentally/domain-money';
import { budgetScopeLabel } from './budget-controls';
import { UNATTRIBUTED, type Statement, type TeamStatement } from './statement';

const signed = (nanos: bigint): string => (nanos < 0n ? `-${formatUsd(-nanos)}` : `+${formatUsd(nanos)}`);

function changeWords(team: TeamStatement): string {
  if (team.previous_total_nanos === 0n) return team.total_nanos === 0n ? 'no spend' : 'new this period';
  if (team.change_percent === null || team.change_nanos === 0n) return 'unchanged';
  const pct = team.change_percent.replace(/^-/, '').replace(/\.0$/, '');
  return `${team.change_nanos > 0n ? 'up' : 'down'} ${pct}% (from ${formatUsd(team.previous_total_nanos)})`;
}

/**
 * The audit summary in words, one line per team (largest first), e.g.
 * `Team Search: $4,860.00 in 2026-11, up 38% (from $3,521.74); drivers: workflow answer +$1,200.00`,
 * then the Unattributed line and budget warnings.
 */
export function auditSummary(statement: Statement): string[] {
  const lines: string[] = [];
  const teams = [...statement.teams]
    .filter((t) => t.team_id !== UNATTRIBUTED && (t.total_nanos !== 0n || t.previous_total_nanos !== 0n))
    .sort((a, b) => (a.total_nanos === b.total_nanos ? 0 : a.total_nanos > b.total_nanos ? -1 : 1));
  for (const team of teams) {
    const drivers = team.drivers
      .map((d) => `${d.dimension} ${d.key || '(none)'} ${signed(d.change_nanos)}`)
      .join(', ');
    const allocated =
      team.allocated_nanos !== 0n ? ` (incl. ${signed(team.allocated_nanos)} shared cost)` : '';
    lines.push(
      `Team ${team.name}: ${formatUsd(team.total_nanos)} in ${statement.period}${allocated}, ${changeWords(team)}${drivers ? `; drivers: ${drivers}` : ''}`,
    );
  }
  const unattributed = statement.teams.find((t) => t.team_id === UNATTRIBUTED);
  if (unattributed && unattributed.total_nanos !== 0n)
    lines.push(
      `Unattributed traffic: ${formatUsd(unattributed.total_nanos)}, needs cleanup (${unattributed.requests} calls without a resolved owner)`,
    );
  else lines.push('Unattributed traffic: none');
  for (const team of teams)
    if (team.budget && team.total_nanos * 100n >= team.budget.budget_nanos * 80n)
      lines.push(
        `Budget: ${team.name} used ${team.budget.used_percent}% of ${formatUsd(team.budget.budget_nanos)}${team.budget.remaining_nanos < 0n ? ', over budget' : ''}`,
      );
  for (const team of statement.teams) {
    for (const o of team.budget_controls.overrides)
      lines.push(
        `Budget override: ${team.name} ${o.override_id} ${formatUsd(o.amount_nanos)} on ${budgetScopeLabel(o)}, ${o.reason_code}, approved by ${o.approver}, expires ${o.expires_at}: ${o.note}`,
      );
    for (const b of team.budget_controls.budgets)
      if (b.above_budget_nanos > 0n)
        lines.push(
          `Above budget: ${team.name} spent ${formatUsd(b.above_budget_nanos)} above its ${b.mode} ${formatUsd(b.limit_nanos)} budget on ${budgetScopeLabel(b)}${b.override_nanos > 0n ? ` (overrides granted ${formatUsd(b.override_nanos)})` : ''}`,
        );
  }
  const adjustments = statement.teams.reduce((sum, t) => sum + t.adjustment_nanos, 0n);
  if (adjustments !== 0n)
    lines.push(
      `Adjustments booked this period (re-pricing, late calls of closed periods): ${signed(adjustments)}`,
    );
  lines.push(
    `Total: ${formatUsd(statement.totals.total_nanos)} (previous period ${formatUsd(statement.totals.previous_total_nanos)})`,
  );
  return lines;
}

/** The statement as a fixed-width table: one line per team with spend in this or the previous period. */
export function statementTable(statement: Statement): string {
  const header = ['team', 'direct', 'allocated', 'total', 'previous', 'change', 'requests', 'budget used'];
  const rows = statement.teams
    .filter((t) => t.total_nanos !== 0n || t.previous_total_nanos !== 0n)
    .map((t) => [
      t.name,
      formatUsd(t.direct_nanos),
      formatUsd(t.allocated_nanos),
      formatUsd(t.total_nanos),
      formatUsd(t.previous_total_nanos),
      t.change_percent === null ? 'new' : `${t.change_percent}%`,
      t.requests.toString(),
      t.budget ? `${t.budget.used_percent}%` : '-',
    ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [header, ...rows]
    .map((r) =>
      r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  '),
    )
    .join('\n');
}
