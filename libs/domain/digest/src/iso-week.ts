/** An ISO 8601 week (Monday 00:00 UTC to the next Monday), the digest's unit of time. */
export interface IsoWeek {
  /** e.g. `2026-W47` */
  id: string;
  /** Monday 00:00 UTC, epoch ms (inclusive). */
  start: number;
  /** The next Monday 00:00 UTC, epoch ms (exclusive). */
  end: number;
}

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const ISO_WEEK = /^(\d{4})-W(\d{2})$/;

/** Monday 00:00 UTC of ISO week 1 of `year` (the week that holds 4 January). */
function firstMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  return jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS;
}

/** The ISO week an instant falls in (its year is the year of that week's Thursday). */
export function isoWeekOf(at: number): IsoWeek {
  const midnight = Math.floor(at / DAY_MS) * DAY_MS;
  const monday = midnight - ((new Date(midnight).getUTCDay() + 6) % 7) * DAY_MS;
  const year = new Date(monday + 3 * DAY_MS).getUTCFullYear();
  const week = Math.round((monday - firstMonday(year)) / WEEK_MS) + 1;
  return { id: `${year}-W${String(week).padStart(2, '0')}`, start: monday, end: monday + WEEK_MS };
}

/** Parses `2026-W47`; a clear error for a malformed id or a week the year does not have (W53). */
export function parseIsoWeek(text: string): IsoWeek {
  const match = ISO_WEEK.exec(text.trim());
  if (!match) throw new RangeError(`week "${text}" must be an ISO week, e.g. 2026-W47`);
  const year = Number(match[1]);
  const week = Number(match[2]);
  const start = firstMonday(year) + (week - 1) * WEEK_MS;
  if (week < 1 || isoWeekOf(start).id !== `${match[1]}-W${match[2]}`)
    throw new RangeError(`${year} has no ISO week ${week}`);
  return { id: `${match[1]}-W${match[2]}`, start, end: start + WEEK_MS };
}

export function previousIsoWeek(week: IsoWeek): IsoWeek {
  return isoWeekOf(week.start - DAY_MS);
}
