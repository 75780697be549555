import type { Pool } from 'pg';
import {
  cellKey,
  decompose,
  driverPhrase,
  emptyCell,
  usd,
  type Cells,
  type Decomposition,
} from '@tokentally/domain-anomaly';

/**
 * "Why": the day a team's jump began and what drove it. The live anomaly detector's alert is preferred;
 * when it raised none for that day (a two-month backfill arrives out of event-time order: SDK calls
 * first, HTTP ones after, so many count as late), the same decomposition the detector uses is run over
 * the ledger's daily rollups: that day against the usual same weekday (the mean of up to four before).
 */
const DAY = 86_400_000;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
/** The detector's own spike ratio (ANOMALY_SPIKE_RATIO's default): 1.5 x the usual day. */
const SPIKE_NUM = 3n;
const SPIKE_DEN = 2n;

interface DayRow {
  day: Date;
  feature: string;
  workflow: string;
  model: string;
  provider: string;
  environment: string;
  template: string;
  calls: bigint;
  retries: bigint;
  input_tokens: bigint;
  output_tokens: bigint;
  input_nanos: bigint;
  total_nanos: bigint;
}

export interface JumpDay {
  team: string;
  teamName: string;
  day: string;
}

/** The rollup rows as the detector's cells (retries split off in proportion, as its seeder does). */
function addRow(cells: Cells, row: DayRow, weight: number): void {
  const calls = Number(row.calls);
  const retries = Number(row.retries);
  for (const part of [
    { retry: false, requests: calls - retries },
    { retry: true, requests: retries },
  ]) {
    if (part.requests <= 0) continue;
    const share = (value: bigint) => {
      const retryPart = Math.floor((Number(value) * retries) / calls);
      return (part.retry ? retryPart : Number(value) - retryPart) * weight;
    };
    const dims = { ...row, is_retry: part.retry };
    const key = cellKey(dims);
    const cell = cells.get(key) ?? emptyCell(dims);
    cell.requests += part.requests * weight;
    cell.input_tokens += share(row.input_tokens);
    cell.output_tokens += share(row.output_tokens);
    cell.input_nanos += share(row.input_nanos);
    cell.cost_nanos += share(row.total_nanos);
    if (row.template && !cell.templates.includes(row.template)) cell.templates.push(row.template);
    cells.set(key, cell);
  }
}

async function dayRows(pool: Pool, team: string, from: number, to: number): Promise<DayRow[]> {
  const { rows } = await pool.query<DayRow>(
    `SELECT bucket AS day, feature, workflow, model, provider, environment, prompt_template_version AS template,
            sum(calls)::bigint AS calls, sum(retries)::bigint AS retries,
            sum(input_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens)::bigint AS input_tokens,
            sum(output_tokens)::bigint AS output_tokens, sum(input_nanos + cache_nanos)::bigint AS input_nanos,
            sum(total_nanos)::bigint AS total_nanos
       FROM tokentally.rollup_daily WHERE team_id = $1 AND bucket >= $2 AND bucket < $3
      GROUP BY 1, 2, 3, 4, 5, 6, 7`,
    [team, new Date(from), new Date(to)],
  );
  return rows;
}

/** The team whose spend grew most from the previous month to `period`, and the first day it jumped. */
export async function findJumpDay(
  pool: Pool,
  period: string,
  previous: string,
): Promise<JumpDay | undefined> {
  const { rows: growth } = await pool.query<{ team_id: string; name: string }>(
    `SELECT r.team_id, coalesce(t.name, r.team_id) AS name
       FROM tokentally.rollup_monthly r LEFT JOIN tokentally.teams t ON t.team_id = r.team_id
      WHERE r.period IN ($1, $2) AND r.team_id <> 'unattributed'
      GROUP BY 1, 2 ORDER BY sum(CASE WHEN r.period = $1 THEN r.total_nanos ELSE -r.total_nanos END) DESC LIMIT 1`,
    [period, previous],
  );
  const team = growth[0];
  if (!team) return undefined;
  const start = Date.parse(`${period}-01T00:00:00Z`);
  const { rows: days } = await pool.query<{ day: Date; nanos: bigint }>(
    `SELECT bucket AS day, sum(total_nanos)::bigint AS nanos FROM tokentally.rollup_daily
      WHERE team_id = $1 AND bucket >= $2 AND bucket < $3 GROUP BY 1`,
    [team.team_id, new Date(start - 28 * DAY), new Date(Date.parse(`${nextMonth(period)}-01T00:00:00Z`))],
  );
  const spend = new Map(days.map((d) => [d.day.getTime(), d.nanos]));
  for (let at = start; spend.has(at); at += DAY) {
    const usual = [1, 2, 3, 4].map((w) => spend.get(at - w * 7 * DAY)).filter((n) => n !== undefined);
    if (usual.length === 0) continue;
    const sum = usual.reduce((a, b) => a + b, 0n);
    // observed >= 1.5 x mean(usual), in integers
    if ((spend.get(at) ?? 0n) * BigInt(usual.length) * SPIKE_DEN >= sum * SPIKE_NUM)
      return { team: team.team_id, teamName: team.name, day: new Date(at).toISOString().slice(0, 10) };
  }
  return undefined;
}

function nextMonth(period: string): string {
  const [y, m] = period.split('-').map(Number);
  return new Date(Date.UTC(y!, m, 1)).toISOString().slice(0, 7);
}

/** The jump day's decomposition against the usual same weekday, from the ledger's daily rollups. */
export async function explainDay(pool: Pool, jump: JumpDay): Promise<Decomposition> {
  const at = Date.parse(`${jump.day}T00:00:00Z`);
  const observed: Cells = new Map();
  for (const row of await dayRows(pool, jump.team, at, at + DAY)) addRow(observed, row, 1);
  const rows = await dayRows(pool, jump.team, at - 28 * DAY, at);
  const weeks = new Set(
    rows.filter((r) => (at - r.day.getTime()) % (7 * DAY) === 0).map((r) => r.day.getTime()),
  );
  const baseline: Cells = new Map();
  let baselineSum = 0n;
  for (const row of rows) {
    if (!weeks.has(row.day.getTime())) continue;
    addRow(baseline, row, 1 / weeks.size);
    baselineSum += row.total_nanos;
  }
  const weekCount = BigInt(Math.max(weeks.size, 1));
  // the integer usual day: the mean of the weeks, rounded half up
  const baselineNanos = Number((baselineSum * 2n + weekCount) / (2n * weekCount));
  return decompose(observed, baseline, baselineNanos);
}

interface LiveAlert {
  alert_id: string;
  kind: string;
  explanation: string;
  window_start: Date;
  window_end: Date;
  observed_nanos: bigint;
  baseline_nanos: bigint;
  drivers: {
    dimension: string;
    key: string;
    delta_nanos: string | number;
    cause?: string;
    template_version?: string | null;
  }[];
}

/** The live detector's first spike alert for the team on that day (latest revision), if any. */
async function liveAlert(pool: Pool, jump: JumpDay): Promise<{ alert?: LiveAlert; total: number }> {
  const at = new Date(`${jump.day}T00:00:00Z`);
  const { rows } = await pool.query<LiveAlert>(
    `SELECT DISTINCT ON (alert_id) alert_id, kind, explanation, window_start, window_end, observed_nanos, baseline_nanos, drivers
       FROM tokentally.alerts
      WHERE team_id = $1 AND kind NOT IN ('budget_crossing', 'spend_drop', 'reconciliation_difference')
        AND window_start >= $2 AND window_start < $3
      ORDER BY alert_id, revision DESC`,
    [jump.team, at, new Date(at.getTime() + DAY)],
  );
  const { rows: all } = await pool.query<{ n: string }>(
    `SELECT count(DISTINCT alert_id) AS n FROM tokentally.alerts WHERE kind NOT IN ('budget_crossing', 'reconciliation_difference')`,
  );
  const exact = rows
    .filter(
      (a) =>
        a.drivers.reduce((s, d) => s + BigInt(d.delta_nanos), 0n) ===
        BigInt(a.observed_nanos) - BigInt(a.baseline_nanos),
    )
    .sort((a, b) => a.window_start.getTime() - b.window_start.getTime());
  return { alert: exact[0], total: Number(all[0]?.n ?? 0) };
}

export async function printWhy(pool: Pool, period: string, previous: string): Promise<void> {
  console.log(`\n== Why: the day the jump began\n`);
  const jump = await findJumpDay(pool, period, previous);
  if (!jump) {
    console.log(`  no team's daily spend reached 1.5x its usual weekday in ${period}`);
    return;
  }
  const live = await liveAlert(pool, jump);
  const weekday = WEEKDAYS[new Date(`${jump.day}T00:00:00Z`).getUTCDay()];
  if (live.alert) {
    const a = live.alert;
    const hhmm = (at: Date) => at.toISOString().slice(11, 16);
    console.log(
      `  the live anomaly detector fired on ${jump.day}, ${hhmm(a.window_start)}-${hhmm(a.window_end)} UTC (alert ${a.alert_id}, ${a.kind}):`,
    );
    console.log(`    ${a.explanation}`);
    console.log(`    drivers (nano-USD, exact):`);
    for (const d of a.drivers)
      console.log(
        `      ${(d.cause ?? '').padEnd(12)} ${String(d.delta_nanos).padStart(16)}  ${d.dimension} ${d.key}${d.template_version ? ` (template ${d.template_version})` : ''}`,
      );
    console.log(
      `    drivers sum to ${a.drivers.reduce((sum, x) => sum + BigInt(x.delta_nanos), 0n)} nanos = observed ${a.observed_nanos} - baseline ${a.baseline_nanos}: exactly`,
    );
  } else {
    console.log(
      `  the live detector raised no spike alert for ${jump.teamName} on ${jump.day} (${live.total} anomaly alerts in all: a two-month backfill reaches it out of event-time order, SDK calls first, HTTP after);`,
    );
    console.log(
      `  computed instead with the detector's decomposition (libs/domain/anomaly) over the ledger's daily rollups: the alert that would have fired.`,
    );
  }
  console.log(
    `  the whole day, from the ledger's daily rollups with the same decomposition (vs the mean of the same weekday in the 4 weeks before):`,
  );
  const d = await explainDay(pool, jump);
  const primary = d.primary;
  const share = primary ? Math.round(Math.abs(primary.share_bp) / 100) : 0;
  console.log(
    `  ${jump.teamName} ${d.delta_nanos >= 0 ? '+' : '-'}${usd(d.delta_nanos)} on ${jump.day} (day ${Number(jump.day.slice(8))}) vs a usual ${weekday} (${usd(d.baseline_nanos)})${primary ? `: ${share}% from ${driverPhrase(primary)}` : ''}`,
  );
  console.log(`  drivers (nano-USD, exact):`);
  for (const driver of d.drivers)
    console.log(
      `    ${driver.factor.padEnd(12)} ${String(driver.nanos).padStart(16)}  ${driverPhrase(driver)}`,
    );
  const sum = d.drivers.reduce((a, x) => a + BigInt(x.nanos), 0n);
  console.log(
    `  drivers sum to ${sum} nanos = observed ${d.observed_nanos} - usual ${d.baseline_nanos}: ${sum === BigInt(d.observed_nanos) - BigInt(d.baseline_nanos) ? 'exactly' : 'NOT EXACTLY'}`,
  );
}
