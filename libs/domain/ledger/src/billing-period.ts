/**
 * Billing periods: a charge belongs to the UTC month of its call (event time, never the wall clock). A
 * closed month's statement never changes, so anything that arrives for it later (a late call, a
 * re-pricing delta) is booked in the open period instead: the month the booking happens in.
 */

/** 'YYYY-MM', a billing period as every input (CLI, finance API) spells it. */
export const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

const pad2 = (value: number): string => (value < 10 ? `0${value}` : String(value));

// The month of the last instant asked for: the ledger asks once per row and rows share a month.
let monthStart = NaN;
let monthEnd = NaN;
let monthLabel = '';

/** 'YYYY-MM' of a UTC instant: the billing period a call belongs to. */
export function periodOf(epochMillis: number): string {
  if (epochMillis >= monthStart && epochMillis < monthEnd) return monthLabel;
  const date = new Date(epochMillis);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  if (Number.isNaN(year)) throw new RangeError(`not an instant: ${epochMillis}`);
  const label = `${String(year).padStart(4, '0')}-${pad2(month + 1)}`;
  if (year >= 0 && year <= 9999) {
    monthStart = Date.UTC(year, month, 1);
    monthEnd = Date.UTC(year, month + 1, 1);
    monthLabel = label;
  }
  return label;
}

/** The instants a 'YYYY-MM' period covers: [start, end), UTC. */
export function periodBounds(period: string): { start: Date; end: Date } {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return { start: new Date(Date.UTC(year, month - 1, 1)), end: new Date(Date.UTC(year, month, 1)) };
}

/** 'YYYY-MM' -> the month before. */
export function previousPeriod(period: string): string {
  return periodOf(periodBounds(period).start.getTime() - 1);
}

/**
 * The period a charge books in: its own, or the open period (the month of `now`) when its own is
 * closed. `closed` is read by the caller under the lock that orders bookings against a period close.
 */
export function bookingPeriod(own: string, closed: ReadonlySet<string>, now: number): string {
  return closed.has(own) ? periodOf(now) : own;
}

/** The booking periods of calls at these instants (see `bookingPeriod`). */
export function bookingPeriods(
  occurredAt: readonly number[],
  closed: ReadonlySet<string>,
  now: number,
): string[] {
  const own = occurredAt.map(periodOf);
  if (closed.size === 0) return own;
  return own.map((period) => bookingPeriod(period, closed, now));
}

/** A call booked in another period than its own month (its month was closed) is a late call: an adjustment. */
export const isLateBooking = (period: string, occurredAt: number): boolean => period !== periodOf(occurredAt);

/**
 * Where an adjustment books: in its period at the time given, or, when that period is closed, in the
 * open period at `now` (it then shows as an adjustment of the open month's statement).
 */
export function bookAdjustment<T extends { period: string; bookedAt: number }>(
  adjustment: T,
  closed: ReadonlySet<string>,
  now: number,
): T {
  return closed.has(adjustment.period) ? { ...adjustment, period: periodOf(now), bookedAt: now } : adjustment;
}
