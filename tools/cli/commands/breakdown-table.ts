import { formatUsd } from '@tokentally/domain-money';
import {
  sharePercent,
  sortBreakdown,
  type BreakdownDimension,
  type CostByValue,
} from '@tokentally/domain-ledger';

/** A plain-text table: one line per value with calls, cost (USD and exact nano-USD), share, adjustments. */
export function breakdownTable(dimension: BreakdownDimension, rows: readonly CostByValue[]): string {
  const sorted = sortBreakdown(rows);
  const total = sorted.reduce((sum, row) => sum + row.total_nanos, 0n);
  const calls = sorted.reduce((sum, row) => sum + row.calls, 0n);
  const adjustments = sorted.reduce((sum, row) => sum + row.adjustment_nanos, 0n);
  const lines: string[][] = [
    [dimension, 'calls', 'cost', 'nano-USD', 'share', 'adjustments'],
    ...sorted.map((row) => [
      row.value === '' ? '(none)' : row.value,
      row.calls.toString(),
      formatUsd(row.total_nanos),
      row.total_nanos.toString(),
      sharePercent(row.total_nanos, total),
      formatUsd(row.adjustment_nanos),
    ]),
    [
      'total',
      calls.toString(),
      formatUsd(total),
      total.toString(),
      sharePercent(total, total),
      formatUsd(adjustments),
    ],
  ];
  const widths = (lines[0] as string[]).map((_, c) =>
    Math.max(...lines.map((line) => (line[c] ?? '').length)),
  );
  return lines
    .map((line) =>
      line
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
        .join('  '),
    )
    .join('\n');
}
