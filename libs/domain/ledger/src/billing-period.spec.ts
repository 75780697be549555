import {
  PERIOD,
  bookAdjustment,
  bookingPeriods,
  isLateBooking,
  periodBounds,
  periodOf,
  previousPeriod,
} from './billing-period';

const NOW = Date.UTC(2026, 2, 10, 12); // 2026-03 is the open period

describe('billing periods', () => {
  it.each<[number, string]>([
    [Date.UTC(2026, 0, 31, 23, 59, 59, 999), '2026-01'],
    [Date.UTC(2026, 1, 1), '2026-02'],
    [Date.UTC(2027, 0, 1), '2027-01'],
    [Date.UTC(1969, 11, 31, 23), '1969-12'],
    [Date.UTC(2026, 0, 15), '2026-01'], // again after another month: the cache follows
  ])('periodOf(%p) = %p, by UTC event time', (ms, period) => {
    expect(periodOf(ms)).toBe(period);
  });

  it('agrees with toISOString over many instants', () => {
    let seed = 7;
    for (let i = 0; i < 5000; i += 1) {
      seed = (seed * 48271) % 2147483647;
      const ms = Math.floor((seed / 2147483647) * 4e12);
      expect(periodOf(ms)).toBe(new Date(ms).toISOString().slice(0, 7));
    }
  });

  it('refuses what is not an instant', () => {
    expect(() => periodOf(Number.NaN)).toThrow(RangeError);
  });

  it.each<[string, string]>([
    ['2026-03', '2026-02'],
    ['2026-01', '2025-12'],
  ])('previousPeriod(%p) = %p', (period, previous) => {
    expect(previousPeriod(period)).toBe(previous);
  });

  it('bounds a period as [first instant, first instant of the next month)', () => {
    expect(periodBounds('2026-12')).toEqual({
      start: new Date('2026-12-01T00:00:00.000Z'),
      end: new Date('2027-01-01T00:00:00.000Z'),
    });
  });

  it.each<[string, boolean]>([
    ['2026-03', true],
    ['2026-13', false],
    ['2026-3', false],
    ['2026-00', false],
  ])('PERIOD accepts %p: %p', (text, ok) => {
    expect(PERIOD.test(text)).toBe(ok);
  });
});

describe('booking in open and closed periods', () => {
  const closed = new Set(['2026-01']);
  const jan = Date.UTC(2026, 0, 20);
  const feb = Date.UTC(2026, 1, 20);

  it('books a call in its own month unless that month is closed, then in the open one', () => {
    expect(bookingPeriods([jan, feb], closed, NOW)).toEqual(['2026-03', '2026-02']);
    expect(bookingPeriods([jan, feb], new Set(), NOW)).toEqual(['2026-01', '2026-02']);
  });

  it('a call booked outside its own month is late (an adjustment of the open month)', () => {
    expect(isLateBooking('2026-03', jan)).toBe(true);
    expect(isLateBooking('2026-01', jan)).toBe(false);
  });

  it('moves an adjustment of a closed period to the open period at the booking time', () => {
    expect(bookAdjustment({ id: 'a', period: '2026-01', bookedAt: jan }, closed, NOW)).toEqual({
      id: 'a',
      period: '2026-03',
      bookedAt: NOW,
    });
    const open = { id: 'b', period: '2026-02', bookedAt: feb };
    expect(bookAdjustment(open, closed, NOW)).toBe(open);
  });
});
