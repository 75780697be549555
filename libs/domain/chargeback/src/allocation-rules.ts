import type { AllocationRule } from '@tokentally/contracts';
import { allocateLargestRemainder, parsePercentShare } from '@tokentally/domain-money';

export interface Allocation {
  rule_id: string;
  from_team: string;
  to_team: string;
  nanos: bigint;
}

/** The weights a rule splits its part by, one per target (sorted), from the period's direct costs. */
function weightsOf(rule: AllocationRule, direct: ReadonlyMap<string, bigint>): [string[], bigint[]] {
  switch (rule.method) {
    case 'owner':
      return [[rule.owner], [1n]];
    case 'fixed': {
      const targets = Object.keys(rule.shares).sort();
      // percentages with up to six decimals, read exactly (never a float times 1e6)
      return [targets, targets.map((t) => parsePercentShare(rule.shares[t] ?? 0))];
    }
    case 'proportional': {
      const targets = [...rule.targets].sort();
      const weights = targets.map((t) => {
        const own = direct.get(t) ?? 0n;
        return own > 0n ? own : 0n;
      });
      // nobody used anything: split evenly rather than not at all
      return [targets, weights.every((w) => w === 0n) ? targets.map(() => 1n) : weights];
    }
  }
}

/**
 * Splits each allocation rule's source team cost over its targets: proportionally to the targets'
 * direct cost this period, by fixed shares, or all to one owner. Largest-remainder rounding: the parts
 * sum to the source cost exactly. Returns the transfers; the source passes on what the targets receive.
 * A source team's cost is passed on once: when several rules name the same source (the org parser
 * refuses that, but rules stored before it did may), its cost is first split evenly over those rules,
 * so the source never passes on more than it spent.
 */
export function allocate(
  rules: readonly { id: string; rule: AllocationRule }[],
  direct: ReadonlyMap<string, bigint>,
): Allocation[] {
  const bySource = new Map<string, { id: string; rule: AllocationRule }[]>();
  for (const entry of [...rules].sort((a, b) => a.id.localeCompare(b.id)))
    bySource.set(entry.rule.source_team, [...(bySource.get(entry.rule.source_team) ?? []), entry]);
  const transfers: Allocation[] = [];
  for (const [sourceTeam, sourceRules] of bySource) {
    const source = direct.get(sourceTeam) ?? 0n;
    if (source === 0n) continue;
    const ruleParts = allocateLargestRemainder(
      source,
      sourceRules.map(() => 1n),
    );
    sourceRules.forEach(({ id, rule }, r) => {
      const [targets, weights] = weightsOf(rule, direct);
      if (weights.every((w) => w === 0n)) return;
      const parts = allocateLargestRemainder(ruleParts[r] ?? 0n, weights);
      targets.forEach((to, index) => {
        const nanos = parts[index] ?? 0n;
        if (nanos !== 0n) transfers.push({ rule_id: id, from_team: sourceTeam, to_team: to, nanos });
      });
    });
  }
  return transfers;
}
