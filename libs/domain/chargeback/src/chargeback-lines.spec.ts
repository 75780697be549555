import { chargebackLines } from './chargeback-lines';
import { sampleStatement } from './spec-fixtures';

describe('chargebackLines', () => {
  const statement = sampleStatement();
  const lines = chargebackLines(statement, 'hash', 1);

  it('team totals sum to the statement; allocations move cost without creating any', () => {
    const totals = lines.filter((l) => l.dimension === 'total' || l.dimension === 'unattributed');
    expect(totals.reduce((sum, l) => sum + BigInt(l.total_nanos), 0n)).toBe(statement.totals.total_nanos);
    const allocations = lines.filter((l) => l.dimension === 'allocation');
    expect(allocations.reduce((sum, l) => sum + BigInt(l.allocated_nanos), 0n)).toBe(0n);
  });

  it('has deterministic, unique line ids', () => {
    expect(new Set(lines.map((l) => l.line_id)).size).toBe(lines.length);
    expect(chargebackLines(statement, 'hash', 2).map((l) => l.line_id)).toEqual(lines.map((l) => l.line_id));
    expect(lines.find((l) => l.dimension === 'unattributed')?.line_id).toBe(
      '2026-10:unattributed:unattributed:',
    );
  });
});
