import { copyCsvField, copyCsvLineWriter, isoUtc, type Column } from './copy-rows';

describe('isoUtc', () => {
  it('formats exactly as Date#toISOString, across days, years and before 1970', () => {
    let seed = 3;
    for (let i = 0; i < 20_000; i += 1) {
      seed = (seed * 48271) % 2147483647;
      const ms = Math.floor((seed / 2147483647 - 0.2) * 5e12);
      expect(isoUtc(ms)).toBe(new Date(ms).toISOString());
    }
    expect(isoUtc(Date.UTC(2026, 11, 31, 23, 59, 59, 999))).toBe('2026-12-31T23:59:59.999Z');
  });

  it('refuses what is not an instant, like toISOString', () => {
    expect(() => isoUtc(Number.NaN)).toThrow(RangeError);
  });
});

describe('copy CSV', () => {
  it.each<[unknown, string]>([
    ['', '""'],
    [null, ''],
    [undefined, ''],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    [12n, '12'],
    [true, 't'],
    [{ a: 1 }, '"{""a"":1}"'],
  ])('writes %p as %p', (value, expected) => {
    expect(copyCsvField(value)).toBe(expected);
  });

  it('writes one line per row, columns in order, the period passed through', () => {
    const columns: Column<{ id: string; n: number }>[] = [
      ['id', 'text', (r) => r.id],
      ['period', 'text', (_r, period) => period],
      ['n', 'int8', (r) => r.n],
    ];
    expect(copyCsvLineWriter(columns)({ id: 'x', n: 3 }, '2026-11')).toBe('x,2026-11,3\n');
  });
});
