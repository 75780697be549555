/** A plain-text table: the first row is the header; `right` columns (numbers, money) align right. */
export function textTable(rows: readonly (readonly string[])[], right: readonly number[] = []): string {
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  return rows
    .map((row) =>
      row
        .map((cell, c) => (right.includes(c) ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** 1234 basis points -> "12.34%", exactly. */
export function basisPoints(bp: bigint | number): string {
  const n = BigInt(bp);
  const negative = n < 0n;
  const m = negative ? -n : n;
  return `${negative ? '-' : ''}${m / 100n}.${(m % 100n).toString().padStart(2, '0')}%`;
}
