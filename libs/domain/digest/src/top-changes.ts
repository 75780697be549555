import { divideHalfEven, formatUsd } from '@tokentally/domain-money';
import type { DigestAlert, SpendCell } from './digest.ports';

export type ChangeDimension = 'feature' | 'model' | 'workflow';

/** One entity whose spend moved most, the move split exactly into more calls and cost per call. */
export interface TopChange {
  dimension: ChangeDimension;
  key: string;
  spend_nanos: bigint;
  previous_nanos: bigint;
  change_nanos: bigint;
  /** (calls - previous calls) x previous cost per call, half-even; `change - this` is the rest. */
  volume_nanos: bigint;
  cost_per_call_nanos: bigint;
  /** The week-over-week sentence: new, stopped, or the split into number of calls and cost per call. */
  explanation: string;
  /** The alerts of the week that carry this entity (its scope, or its largest driver), with their sentence. */
  alerts: { alert_id: string; kind: string; explanation: string }[];
}

const abs = (n: bigint): bigint => (n < 0n ? -n : n);
const signed = (n: bigint): string => (n < 0n ? formatUsd(n) : `+${formatUsd(n)}`);

function byKey(cells: readonly SpendCell[], dimension: ChangeDimension) {
  const out = new Map<string, { nanos: bigint; calls: bigint }>();
  for (const c of cells) {
    const a = out.get(c[dimension]) ?? { nanos: 0n, calls: 0n };
    out.set(c[dimension], { nanos: a.nanos + c.total_nanos, calls: a.calls + c.calls });
  }
  return out;
}

/** An alert explains a change when its scope is that entity, or its largest driver is carried by it. */
function carries(alert: DigestAlert, dimension: ChangeDimension, key: string): boolean {
  if (alert[dimension] === key) return true;
  const top = [...alert.drivers].sort((a, b) => (abs(b.delta_nanos) > abs(a.delta_nanos) ? 1 : -1))[0];
  return top !== undefined && top.dimension === dimension && top.key === key;
}

/** The largest moves of a team's spend by feature, model and workflow, each split exactly in two. */
export function topChanges(
  current: readonly SpendCell[],
  prior: readonly SpendCell[],
  alerts: readonly DigestAlert[],
  limit: number,
): TopChange[] {
  const changes: TopChange[] = [];
  for (const dimension of ['feature', 'model', 'workflow'] as const) {
    const now = byKey(current, dimension);
    const before = byKey(prior, dimension);
    for (const key of new Set([...now.keys(), ...before.keys()])) {
      if (key === '') continue;
      const a = now.get(key) ?? { nanos: 0n, calls: 0n };
      const b = before.get(key) ?? { nanos: 0n, calls: 0n };
      const change = a.nanos - b.nanos;
      if (change === 0n) continue;
      const volume = b.calls === 0n ? change : divideHalfEven((a.calls - b.calls) * b.nanos, b.calls);
      const carriers = alerts.filter((al) => carries(al, dimension, key));
      const explanation =
        b.nanos === 0n
          ? `${dimension} ${key} is new this week: ${formatUsd(a.nanos)} over ${a.calls} calls`
          : a.nanos === 0n
            ? `${dimension} ${key} stopped: ${formatUsd(b.nanos)} the week before, nothing this week`
            : `${dimension} ${key} ${signed(change)} vs the previous week: ${signed(volume)} from the number of calls (${b.calls} -> ${a.calls}), ${signed(change - volume)} from cost per call`;
      changes.push({
        dimension,
        key,
        spend_nanos: a.nanos,
        previous_nanos: b.nanos,
        change_nanos: change,
        volume_nanos: volume,
        cost_per_call_nanos: change - volume,
        explanation,
        alerts: carriers.map((al) => ({ alert_id: al.alert_id, kind: al.kind, explanation: al.explanation })),
      });
    }
  }
  return changes
    .sort((x, y) =>
      abs(x.change_nanos) !== abs(y.change_nanos)
        ? abs(y.change_nanos) > abs(x.change_nanos)
          ? 1
          : -1
        : `${x.dimension}${x.key}`.localeCompare(`${y.dimension}${y.key}`),
    )
    .slice(0, limit);
}
