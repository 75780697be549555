import { UNATTRIBUTED, type Statement, type TeamStatement } from './statement';
import { auditSummary } from './summary';

/**
 * The statement as one team may see it: only its own row, and totals recomputed from that row, so no
 * org-wide figure (totals, other teams' spend, the Unattributed row) leaks to a team token. Allocation
 * lines stay: a team sees what it received or passed on, which is its own money.
 */
export function scopeStatement(statement: Statement, teamId: string): Statement {
  const teams = statement.teams.filter((t) => t.team_id === teamId);
  const sum = (pick: (t: TeamStatement) => bigint): bigint => teams.reduce((s, t) => s + pick(t), 0n);
  return {
    period: statement.period,
    previous_period: statement.previous_period,
    teams,
    totals: {
      direct_nanos: sum((t) => t.direct_nanos),
      allocated_nanos: sum((t) => t.allocated_nanos),
      total_nanos: sum((t) => t.total_nanos),
      previous_total_nanos: sum((t) => t.previous_total_nanos),
    },
  };
}

/**
 * The audit summary of a scoped statement: the org-level lines ("Unattributed traffic", which would
 * read "none" for a team and so say something about the org) are left out unless the team is
 * Unattributed itself.
 */
export function teamSummary(statement: Statement, teamId: string): string[] {
  const lines = auditSummary(scopeStatement(statement, teamId));
  return teamId === UNATTRIBUTED ? lines : lines.filter((line) => !line.startsWith('Unattributed traffic'));
}
