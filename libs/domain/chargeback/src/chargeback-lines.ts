import type { ChargebackLine } from '@tokentally/contracts';
import { nanosToSafeNumber } from '@tokentally/domain-money';
import { UNATTRIBUTED, type BreakdownLine, type Dimension, type Statement } from './statement';

/**
 * The closed statement as `llm.chargeback.v1` lines for downstream ERP consumers: per team a `total`
 * line (direct + allocated), one line per allocation received or passed on, and one per breakdown value.
 * `line_id` is deterministic, so a re-publication is recognisable downstream.
 */
export function chargebackLines(
  statement: Statement,
  statementHash: string,
  publishedAt: number,
): ChargebackLine[] {
  const lines: ChargebackLine[] = [];
  const safe = (nanos: bigint): number => nanosToSafeNumber(nanos);
  for (const team of statement.teams) {
    const tokens = {
      uncached_input_tokens: safe(team.tokens.uncached_input),
      cache_read_tokens: safe(team.tokens.cache_read),
      cache_write_5m_tokens: safe(team.tokens.cache_write_5m),
      cache_write_1h_tokens: safe(team.tokens.cache_write_1h),
      output_tokens: safe(team.tokens.output),
      reasoning_tokens: safe(team.tokens.reasoning),
    };
    const none = {
      uncached_input_tokens: 0,
      cache_read_tokens: 0,
      cache_write_5m_tokens: 0,
      cache_write_1h_tokens: 0,
      output_tokens: 0,
      reasoning_tokens: 0,
    };
    const line = (
      dimension: ChargebackLine['dimension'],
      key: string | null,
      direct: bigint,
      allocated: bigint,
      previous: bigint | null,
      requests: bigint,
      counts: typeof tokens,
    ): ChargebackLine => ({
      line_id: `${statement.period}:${team.team_id}:${dimension}:${key ?? ''}`,
      period: statement.period,
      team_id: team.team_id,
      cost_centre: team.cost_centre,
      dimension,
      dimension_key: key,
      direct_nanos: safe(direct),
      allocated_nanos: safe(allocated),
      total_nanos: safe(direct + allocated),
      previous_total_nanos: previous === null ? null : safe(previous),
      request_count: safe(requests),
      ...counts,
      statement_hash: statementHash,
      published_at: publishedAt,
    });
    lines.push(
      line(
        team.team_id === UNATTRIBUTED ? 'unattributed' : 'total',
        null,
        team.direct_nanos,
        team.allocated_nanos,
        team.previous_total_nanos,
        team.requests,
        tokens,
      ),
    );
    for (const allocation of team.allocations)
      lines.push(
        line(
          'allocation',
          `${allocation.rule_id}:${allocation.from_team}->${allocation.to_team}`,
          0n,
          allocation.to_team === team.team_id ? allocation.nanos : -allocation.nanos,
          null,
          0n,
          none,
        ),
      );
    if (team.adjustment_nanos !== 0n)
      lines.push(line('adjustment', null, team.adjustment_nanos, 0n, null, 0n, none));
    for (const [dimension, values] of Object.entries(team.breakdown) as [Dimension, BreakdownLine[]][])
      for (const value of values)
        lines.push(line(dimension, value.key, value.nanos, 0n, value.previous_nanos, value.calls, none));
  }
  return lines;
}
