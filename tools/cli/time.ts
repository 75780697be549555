/** A date ("2026-11-01", midnight UTC) or an ISO time, as epoch milliseconds; a clear error otherwise. */
export function parseTime(value: string, option: string): number {
  const time = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(time)) throw new Error(`${option} "${value}" is not a date (2026-11-01) or an ISO time`);
  return time;
}
