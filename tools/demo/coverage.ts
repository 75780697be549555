import type { Pool } from 'pg';
import { formatUsd } from '@tokentally/domain-money';

/** The unattributed share of the period's spend (team `unattributed`), from the monthly rollups, vs the 2% target. */
const TARGET_BP = 200n;

export async function printCoverage(pool: Pool, period: string): Promise<void> {
  const { rows } = await pool.query<{ total: bigint | null; unowned: bigint | null }>(
    `SELECT sum(total_nanos)::bigint AS total,
            sum(total_nanos) FILTER (WHERE team_id = 'unattributed')::bigint AS unowned
       FROM tokentally.rollup_monthly WHERE period = $1`,
    [period],
  );
  const total = BigInt(rows[0]?.total ?? 0n);
  const unowned = BigInt(rows[0]?.unowned ?? 0n);
  // basis points, half up, in integers
  const bp = total === 0n ? 0n : (unowned * 20_000n + total) / (2n * total);
  console.log(`\n== Coverage (${period})\n`);
  console.log(
    `  unattributed: ${formatUsd(unowned)} of ${formatUsd(total)} = ${(Number(bp) / 100).toFixed(2)}% (target below ${Number(TARGET_BP) / 100}%): ${bp < TARGET_BP ? 'on target' : 'ABOVE TARGET, callers without team_id, api key or service account'}`,
  );
}
