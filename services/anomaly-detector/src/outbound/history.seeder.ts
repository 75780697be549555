import type { AlertsRepository, HourlyRollupRow } from '@tokentally/adapters-postgres-alerts';
import {
  HOUR_MS,
  WEEK_MS,
  cellKey,
  emptyCell,
  type AnomalyDetector,
  type CellAggregate,
  type Cells,
} from '@tokentally/domain-anomaly';

/**
 * Cells of one hourly rollup row. Rollups count retries but keep them in the same row, so the row's
 * volumes are split between a first-attempt and a retry cell in proportion to their calls.
 */
function cellsOfRow(row: HourlyRollupRow): Cells {
  const cells: Cells = new Map();
  const calls = Number(row.calls);
  const retries = Number(row.retries);
  const parts = [
    { retry: false, requests: calls - retries },
    { retry: true, requests: retries },
  ];
  for (const part of parts) {
    if (part.requests <= 0 || calls <= 0) continue;
    const share = (value: bigint) =>
      part.retry
        ? Math.floor((Number(value) * part.requests) / calls)
        : Number(value) - Math.floor((Number(value) * retries) / calls);
    const dims = {
      feature: row.feature,
      workflow: row.workflow,
      environment: row.environment,
      provider: row.provider,
      model: row.model,
      is_retry: part.retry,
    };
    const cell = emptyCell(dims);
    cell.requests = part.requests;
    cell.input_tokens = share(row.input_tokens);
    cell.output_tokens = share(row.output_tokens);
    cell.input_nanos = share(row.input_nanos);
    cell.cost_nanos = share(row.total_nanos);
    cells.set(cellKey(dims), cell);
  }
  return cells;
}

/**
 * Warm start after a fresh deployment or a lost Redis: the weeks of hourly rollups before the first
 * call this detector sees become its baselines, so it is not blind for weeks. Seeded teams start
 * closed at that hour: a call from before it is in the rollups already and would count twice.
 */
export async function seedFromRollups(
  detector: AnomalyDetector,
  repository: AlertsRepository,
  firstEventAt: number,
): Promise<{ hours: number; teams: number }> {
  const before = Math.floor(firstEventAt / HOUR_MS) * HOUR_MS;
  const from = before - detector.params.weeks * WEEK_MS - HOUR_MS;
  const rows = await repository.hourlyHistory(new Date(from), new Date(before));
  const byTeamHour = new Map<string, Map<number, Cells>>();
  for (const row of rows) {
    let hours = byTeamHour.get(row.team_id);
    if (!hours) byTeamHour.set(row.team_id, (hours = new Map<number, Cells>()));
    const hour = row.bucket.getTime();
    const cells: Cells = hours.get(hour) ?? new Map<string, CellAggregate>();
    for (const [key, cell] of cellsOfRow(row)) cells.set(key, cell);
    hours.set(hour, cells);
  }
  let count = 0;
  for (const [team, hours] of byTeamHour) {
    for (const [hour, cells] of hours) {
      detector.history.addHour(team, hour, cells);
      count++;
    }
    const clock = detector.clock(team);
    clock.closedThrough = Math.max(clock.closedThrough, before);
    clock.since = before;
  }
  return { hours: count, teams: byTeamHour.size };
}
