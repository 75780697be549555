import { up } from '@tokentally/deploy';
import { nanosToDecimal, parseDecimalToNanos } from '@tokentally/domain-money';
import { importAndReconcile, runReconciliation } from '@tokentally/domain-reconciliation';
import { OrgRepository } from '@tokentally/adapters-postgres-ledger';
import { reconciliationStores } from '@tokentally/adapters-postgres-reconciliation';
import { openScratchDatabase } from '../scratch-database';

const DAYS = 30;
const TEAMS = 56;
const MODELS = 20;
const FEATURES = 10;
const MONTH = '2026-10';

/**
 * A month of 10M ledger calls held in the daily rollup (30 days x 56 teams x 20 models x 10 features,
 * 29-31 calls per row: the rollup rows are inserted directly, as the pricer would have left them)
 * against 100,800 provider lines (one FOCUS file: input, cache read and output per account, model and
 * day, every 97th line 2% higher: events the ledger never saw). Timed: parse + store the file +
 * reconcile the month + store every cell; then a re-run of the month from what is stored.
 * Database: BENCH_RECON_DATABASE (default tokentally_bench), emptied first.
 */
export async function benchReconcile(): Promise<void> {
  await up();
  const pool = await openScratchDatabase(process.env['BENCH_RECON_DATABASE'] ?? 'tokentally_bench', 'bench');
  try {
    let started = process.hrtime.bigint();
    await pool.query(
      `INSERT INTO tokentally.rollup_daily (period, bucket, team_id, feature, workflow, model, provider, environment, user_ref,
         calls, retries, input_tokens, cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens, output_tokens,
         reasoning_tokens, input_nanos, cache_nanos, output_nanos, other_nanos, total_nanos, adjustment_nanos)
       SELECT $1, $2::timestamptz + d * interval '1 day', 'team-' || t, 'feature-' || f, '', 'model-' || m, 'openai', 'prod', '',
              c, 0, c * 2000, c * 500, 0, 0, c * 300, 0, c * 5000000, c * 625000, c * 3000000, 0, c * 8625000, 0
         FROM generate_series(0, ${DAYS - 1}) d, generate_series(0, ${TEAMS - 1}) t, generate_series(0, ${MODELS - 1}) m,
              generate_series(0, ${FEATURES - 1}) f, LATERAL (SELECT 29 + (d + t + m + f) % 3 AS c) calls`,
      [MONTH, `${MONTH}-01T00:00:00Z`],
    );
    await pool.query('ANALYZE tokentally.rollup_daily');
    const { rows } = await pool.query<{ rows: string; calls: string }>(
      'SELECT count(*) AS rows, sum(calls) AS calls FROM tokentally.rollup_daily',
    );
    console.log(
      `daily rollup: ${Number(rows[0]?.rows).toLocaleString('en-US')} rows for ${Number(rows[0]?.calls).toLocaleString('en-US')} ledger calls, built in ${seconds(started)} s`,
    );
    const teams = Array.from({ length: TEAMS }, (_, t) => `team-${t}`);
    await new OrgRepository(pool).apply({
      teams: teams.map((id) => ({
        id,
        name: id,
        cost_centre: null,
        owner: null,
        monthly_budget_nanos: null,
      })),
      api_keys: [],
      service_accounts: [],
      allocation_rules: [],
      provider_accounts: teams.map((team) => ({
        provider: 'openai',
        account: `acct-${team}`,
        project: null,
        team,
        api_keys: [],
      })),
    });

    started = process.hrtime.bigint();
    const { rows: truth } = await pool.query<{ line: string }>(
      `SELECT concat_ws(',', to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD"T00:00:00Z"'),
                to_char((bucket + interval '1 day') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T00:00:00Z"'),
                'acct-' || team_id, model, kind, q, trunc(n / 1e9, 9)) AS line
         FROM (SELECT bucket, team_id, model, k.kind,
                      CASE k.kind WHEN 'input' THEN sum(input_tokens) WHEN 'cache_read' THEN sum(cache_read_tokens) ELSE sum(output_tokens) END AS q,
                      CASE k.kind WHEN 'input' THEN sum(input_nanos) WHEN 'cache_read' THEN sum(cache_nanos) ELSE sum(output_nanos) END AS n
                 FROM tokentally.rollup_daily, (VALUES ('input'), ('cache_read'), ('output')) k(kind)
                GROUP BY bucket, team_id, model, k.kind) g
        ORDER BY 1`,
    );
    const header =
      'BilledCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,ProviderName,BillingAccountId,x_Model,x_TokenType,ConsumedQuantity,ConsumedUnit';
    const csv = [header];
    truth.forEach(({ line }, i) => {
      const [start, end, account, model, kind, q, usd] = line.split(',');
      // every 97th line: 2% more tokens and money than the ledger holds
      const bump = i % 97 === 0;
      const quantity = bump ? (BigInt(q!) * 102n) / 100n : BigInt(q!);
      const amount = bump ? nanosToDecimal((parseDecimalToNanos(usd!) * 102n) / 100n) : usd;
      csv.push(`${amount},USD,${start},${end},Usage,OpenAI,${account},${model},${kind},${quantity},Tokens`);
    });
    const content = csv.join('\n');
    console.log(
      `FOCUS file of ${truth.length.toLocaleString('en-US')} provider lines written in ${seconds(started)} s`,
    );

    const stores = reconciliationStores(pool);
    const now = Date.parse('2026-12-15T00:00:00Z');
    started = process.hrtime.bigint();
    const summary = await importAndReconcile(stores, 'focus', content, { fileName: 'bench.csv' }, { now });
    const importSeconds = seconds(started);
    const cells = summary.run?.cells ?? [];
    const open = cells.filter((c) => c.status !== 'matched' && c.status !== 'within_tolerance').length;
    const missing = cells.reduce(
      (sum, c) => sum + (c.explanations.find((e) => e.class === 'missing_in_ledger')?.nanos ?? 0n),
      0n,
    );
    console.log(
      `import + reconcile ${summary.lines.toLocaleString('en-US')} provider lines against the month of 10M ledger calls: ${importSeconds} s (target < 30 s); ${cells.length.toLocaleString('en-US')} cells, ${open} beyond tolerance, missing in ledger ${missing} nanos`,
    );
    started = process.hrtime.bigint();
    const run = await runReconciliation(stores, { from: `${MONTH}-01`, to: `${MONTH}-31` }, { now });
    console.log(
      `re-run of the month from stored lines and rollups: ${seconds(started)} s, ${run.cells.length.toLocaleString('en-US')} cells`,
    );
    started = process.hrtime.bigint();
    const again = await importAndReconcile(stores, 'focus', content, { fileName: 'bench.csv' }, { now });
    console.log(
      `the same file again: ${again.inserted} new, ${again.unchanged.toLocaleString('en-US')} unchanged, ${seconds(started)} s`,
    );
  } finally {
    await pool.end();
  }
}

const seconds = (started: bigint): string => (Number(process.hrtime.bigint() - started) / 1e9).toFixed(1);
