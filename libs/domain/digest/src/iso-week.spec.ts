import { isoWeekOf, parseIsoWeek, previousIsoWeek } from './iso-week';

describe('ISO weeks', () => {
  it.each([
    ['2026-W47', '2026-11-16', '2026-11-23'],
    ['2026-W01', '2025-12-29', '2026-01-05'],
    ['2020-W53', '2020-12-28', '2021-01-04'],
    ['2026-W53', '2026-12-28', '2027-01-04'],
    ['2027-W01', '2027-01-04', '2027-01-11'],
  ])('%s runs from Monday %s to %s (UTC)', (id, from, to) => {
    const week = parseIsoWeek(id);
    expect(new Date(week.start).toISOString().slice(0, 10)).toBe(from);
    expect(new Date(week.end).toISOString().slice(0, 10)).toBe(to);
    expect(isoWeekOf(week.start).id).toBe(id);
    expect(isoWeekOf(week.end - 1).id).toBe(id);
  });

  it('knows the previous week across a year boundary', () => {
    expect(previousIsoWeek(parseIsoWeek('2026-W01')).id).toBe('2025-W52');
    expect(previousIsoWeek(parseIsoWeek('2021-W01')).id).toBe('2020-W53');
  });

  it.each(['2026-47', '2026-W5', '2026-W00', '2027-W53', "2026-W47' OR 1=1"])('refuses %s', (text) => {
    expect(() => parseIsoWeek(text)).toThrow(RangeError);
  });
});
