import { buildStatement } from '@tokentally/domain-chargeback';
import { up } from '@tokentally/deploy';
import { ChargebackRepository, LedgerRepository } from '@tokentally/adapters-postgres-ledger';
import { periodBounds, periodOf, previousPeriod } from '@tokentally/domain-ledger';
import { openScratchDatabase } from '../scratch-database';

const LEDGER_ROWS = 10_000_000;
const CHUNK = 500_000;

/**
 * A monthly chargeback report over a ledger of 10M rows (two months, 50 teams, 5,000 users each working
 * in one feature and workflow with one model, 10% staging),
 * in a database of its own (tokentally_bench, reset each run). The ledger and its daily rollups are
 * generated inside Postgres; the report is what the finance API and `tally report` run: the period's
 * and the previous period's rollups grouped by dimension, the org registry, then the statement.
 */
export async function benchReport(): Promise<void> {
  await up();
  const pool = await openScratchDatabase('tokentally_bench', 'bench');
  try {
    const now = Date.now();
    const period = periodOf(now);
    const previous = previousPeriod(period);
    const start = periodBounds(previous).start.getTime();
    const span = now - start;
    await new LedgerRepository(pool).ensurePartitions([previous, period]);
    let started = process.hrtime.bigint();
    for (let offset = 0; offset < LEDGER_ROWS; offset += CHUNK) {
      await pool.query(
        `INSERT INTO tokentally.ledger (event_id, occurred_at, period, trace_id, team_id, user_ref, feature, workflow,
           environment, provider, model, uncached_input_tokens, cache_read_tokens, cache_write_5m_tokens,
           cache_write_1h_tokens, output_tokens, reasoning_tokens, uncached_input_nanos, cache_read_nanos,
           cache_write_5m_nanos, cache_write_1h_nanos, output_nanos, reasoning_nanos, request_fee_nanos, units_nanos,
           total_nanos, rate_card_id, rate_card_version, original_currency, priced_at, is_retry)
         SELECT 'e' || i, t, to_char(t AT TIME ZONE 'UTC', 'YYYY-MM'), 't' || (i / 3), 'team-' || (u % 50), 'user-' || u,
                'feature-' || (u % 50) || '-' || (u % 3), 'workflow-' || (u % 2), CASE WHEN i % 10 = 0 THEN 'staging' ELSE 'prod' END,
                'openai', 'model-' || (u % 8), 2000, 500, 0, 0, 300, 0, 5000000, 625000, 0, 0, 3000000, 0, 0, 0, 8625000,
                'catalog:openai/model', 'bench', 'USD', now(), i % 25 = 0
           FROM (SELECT i, (i * 7919) % 5000 AS u,
                        to_timestamp(${start / 1000} + ((i * 104729) % ${Math.floor(span / 1000)})) AS t
                   FROM generate_series($1::bigint, $2::bigint) AS i) g`,
        [offset, Math.min(offset + CHUNK, LEDGER_ROWS) - 1],
      );
      process.stdout.write(`\r  generating the ledger: ${(offset + CHUNK).toLocaleString('en-US')} rows`);
    }
    process.stdout.write('\n');
    console.log(
      `ledger of ${LEDGER_ROWS.toLocaleString('en-US')} rows generated in ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`,
    );
    started = process.hrtime.bigint();
    await pool.query(
      `INSERT INTO tokentally.rollup_daily (period, bucket, team_id, feature, workflow, model, provider, environment, user_ref,
         calls, retries, input_tokens, cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens, output_tokens,
         reasoning_tokens, input_nanos, cache_nanos, output_nanos, other_nanos, total_nanos, adjustment_nanos)
       SELECT period, date_trunc('day', occurred_at, 'UTC'), team_id, feature, coalesce(workflow, ''), model, provider,
              environment, coalesce(user_ref, ''), count(*), count(*) FILTER (WHERE is_retry), sum(uncached_input_tokens),
              sum(cache_read_tokens), sum(cache_write_5m_tokens), sum(cache_write_1h_tokens), sum(output_tokens),
              sum(reasoning_tokens), sum(uncached_input_nanos), sum(cache_read_nanos + cache_write_5m_nanos + cache_write_1h_nanos),
              sum(output_nanos + reasoning_nanos), sum(request_fee_nanos + units_nanos), sum(total_nanos), 0
         FROM tokentally.ledger GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
    );
    await pool.query(
      `INSERT INTO tokentally.rollup_monthly (period, bucket, team_id, feature, workflow, model, provider, environment,
         user_ref, calls, retries, input_tokens, cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens,
         output_tokens, reasoning_tokens, input_nanos, cache_nanos, output_nanos, other_nanos, total_nanos, adjustment_nanos)
       SELECT period, date_trunc('month', bucket, 'UTC'), team_id, feature, workflow, model, provider, environment, user_ref,
              sum(calls), sum(retries), sum(input_tokens), sum(cache_read_tokens), sum(cache_write_5m_tokens),
              sum(cache_write_1h_tokens), sum(output_tokens), sum(reasoning_tokens), sum(input_nanos), sum(cache_nanos),
              sum(output_nanos), sum(other_nanos), sum(total_nanos), sum(adjustment_nanos)
         FROM tokentally.rollup_daily GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
    );
    await pool.query('ANALYZE tokentally.rollup_daily');
    await pool.query('ANALYZE tokentally.rollup_monthly');
    const { rows } = await pool.query<{ daily: bigint; monthly: bigint }>(
      `SELECT (SELECT count(*) FROM tokentally.rollup_daily WHERE period = $1) AS daily,
              (SELECT count(*) FROM tokentally.rollup_monthly WHERE period = $1) AS monthly`,
      [period],
    );
    console.log(
      `rollups built in ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s (${period}: ${rows[0]?.daily} daily, ${rows[0]?.monthly} monthly rollup rows)`,
    );
    const repository = new ChargebackRepository(pool);
    const timings: number[] = [];
    let teams = 0;
    for (let i = 0; i < 20; i += 1) {
      const t0 = process.hrtime.bigint();
      const statement = buildStatement(await repository.statementInput(period));
      timings.push(Number(process.hrtime.bigint() - t0) / 1e6);
      teams = statement.teams.length;
    }
    timings.sort((a, b) => a - b);
    const at = (q: number): string => (timings[Math.floor(q * (timings.length - 1))] ?? 0).toFixed(1);
    console.log(
      `monthly report (${period} vs ${previous}, ${teams} teams) over the 10M-row ledger: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, min ${at(0)} ms (target < 100 ms)`,
    );
    const t0 = process.hrtime.bigint();
    await pool.query(
      'SELECT team_id, feature, model, sum(total_nanos) FROM tokentally.ledger WHERE period = $1 GROUP BY 1, 2, 3',
      [period],
    );
    console.log(
      `the same totals scanned from raw ledger rows instead: ${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(0)} ms`,
    );
  } finally {
    await pool.end();
  }
}
