import { breakdownTable } from './breakdown-table';

const row = (value: string, total: bigint, calls = 1n, adjustment = 0n) => ({
  value,
  calls,
  total_nanos: total,
  adjustment_nanos: adjustment,
});

describe('breakdownTable', () => {
  it('prints one line per value, the missing value as (none), and a total that is the exact sum', () => {
    const table = breakdownTable('template_version', [
      row('v2', 2_500_000_000n, 3n, -50_000_000n),
      row('', 1_000_000_001n),
      row('v1', 7_500_000_000n, 2n),
    ]);
    const lines = table.split('\n').map((line) => line.split(/\s{2,}/));
    expect(lines[0]).toEqual(['template_version', 'calls', 'cost', 'nano-USD', 'share', 'adjustments']);
    expect(lines.slice(1).map((cells) => [cells[0], cells[3], cells[4]])).toEqual([
      ['v1', '7500000000', '68.18%'],
      ['v2', '2500000000', '22.73%'],
      ['(none)', '1000000001', '9.09%'],
      ['total', '11000000001', '100.00%'],
    ]);
    expect(lines[4]?.[1]).toBe('6');
    expect(lines[2]?.[5]).toBe('-$0.05');
  });
});
