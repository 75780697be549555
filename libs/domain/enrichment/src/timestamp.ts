/**
 * Event times accepted from JSON producers: an RFC 3339 / ISO 8601 date-time WITH an offset (`Z` or
 * `+hh:mm`), or integer epoch milliseconds. Everything else is refused, because `Date.parse` guesses:
 * it books "2026-02-30" as 2 March, "2021" as 1 January, reads "12/01/2026 20:00" in the server's
 * zone and accepts RFC 2822; a call booked in the wrong month is a wrong invoice.
 */
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

export type ParsedTimestamp = { ok: true; millis: number } | { ok: false; problem: string };

const bad = (problem: string): ParsedTimestamp => ({ ok: false, problem });

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate(); // day 0 of the next month = last day of this one
}

export function parseTimestamp(value: unknown): ParsedTimestamp {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) return bad(`${value} is not a whole number of epoch milliseconds`);
    return { ok: true, millis: value };
  }
  if (typeof value !== 'string')
    return bad(`must be an RFC 3339 time or epoch milliseconds, got ${typeof value}`);
  const m = RFC3339.exec(value);
  if (!m)
    return bad(
      `${JSON.stringify(value.slice(0, 64))} is not an RFC 3339 time with an offset (e.g. 2026-11-24T10:00:00Z) nor epoch milliseconds`,
    );
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12) return bad(`${value} has no month ${month}`);
  if (day < 1 || day > daysIn(year, month)) return bad(`${value}: ${year}-${m[2]} has no day ${day}`);
  if (hour > 23 || minute > 59 || second > 59) return bad(`${value} is not a time of day`);
  const offsetHours = m[10] === undefined ? 0 : Number(m[10]);
  const offsetMinutes = m[11] === undefined ? 0 : Number(m[11]);
  if (offsetHours > 23 || offsetMinutes > 59) return bad(`${value} has an impossible offset`);
  // Sub-millisecond digits are dropped: the ledger keeps milliseconds.
  const millis = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const sign = m[9] === '-' ? -1 : 1;
  const offset = m[8] === undefined ? sign * (offsetHours * 60 + offsetMinutes) * 60_000 : 0;
  return {
    ok: true,
    millis: Date.UTC(year, month - 1, day, hour, minute, second, millis) - offset,
  };
}
