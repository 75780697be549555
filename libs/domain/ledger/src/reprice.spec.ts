import { ZERO_COST, type CostVector } from './cost-vector';
import type { AdjustmentRow, EffectiveLedgerRow } from './ledger-row';
import type { RepricingLedger } from './ports';
import { reprice, type RepriceQuote, type RowPricer } from './reprice';

const cost = (total: bigint): CostVector => ({ ...ZERO_COST, output_nanos: total, total_nanos: total });

function row(n: number, team: string, effective: bigint): EffectiveLedgerRow {
  return {
    event_id: `e-${n}`,
    occurred_at: new Date(Date.UTC(2026, 0, 1 + n)),
    period: '2026-01',
    trace_id: `t-${n}`,
    team_id: team,
    user_ref: null,
    feature: 'answer',
    workflow: null,
    environment: 'prod',
    provider: 'openai',
    model: n === 3 ? 'gone' : 'gpt-4o',
    ...cost(effective),
    effective: cost(effective),
  } as EffectiveLedgerRow;
}

/** An in-memory ledger: pages of rows, adjustments kept by id (a second run adds nothing). */
class FakeLedger implements RepricingLedger {
  readonly adjustments = new Map<string, AdjustmentRow>();
  constructor(private readonly pages: EffectiveLedgerRow[][]) {}
  async *effectiveRows(): AsyncGenerator<EffectiveLedgerRow[]> {
    for (const page of this.pages) yield page;
  }
  async adjust(adjustments: readonly AdjustmentRow[]): Promise<number> {
    const before = this.adjustments.size;
    for (const a of adjustments) this.adjustments.set(a.adjustmentId, a);
    return this.adjustments.size - before;
  }
}

const quote = (total: bigint): RepriceQuote => ({
  card: { id: 'fixed', version: '2' },
  multiplier: null,
  fx: null,
  cost: cost(total),
});
// the corrected rate prices every call at 90 nanos; model "gone" has no rate any more
const pricer: RowPricer = (r) => (r.model === 'gone' ? { problem: 'no rate' } : quote(90n));
const scope = { from: new Date(0), to: new Date(Date.UTC(2027, 0, 1)) };

describe('reprice', () => {
  const pages = () => [
    [row(1, 'search', 100n), row(2, 'ads', 90n)],
    [row(3, 'search', 100n), row(4, 'search', 100n)],
  ];

  it('books the difference per call as an adjustment, per team and net, leaving equal and unpriceable calls', async () => {
    const ledger = new FakeLedger(pages());
    const report = await reprice(ledger, pricer, { scope, reason: 'fix', dryRun: false });
    expect(report).toEqual({
      scanned: 4,
      changed: 2,
      unchanged: 1,
      unpriceable: 1,
      written: 2,
      impact: [['search', { calls: 2, delta: -20n }]],
      net: -20n,
    });
    const booked = [...ledger.adjustments.values()];
    expect(
      booked.map((a) => [a.eventId, a.delta.total_nanos, a.delta.output_nanos, a.period, a.reason]),
    ).toEqual([
      ['e-1', -10n, -10n, '2026-01', 'fix'],
      ['e-4', -10n, -10n, '2026-01', 'fix'],
    ]);
  });

  it("carries the call's rollup dimensions, so the delta lands in its rollup rows", async () => {
    const envelope = {
      user_ref: 'k1:user',
      tenant_ref: 'k1:tenant',
      owner_source: 'api_key',
      project_id: 'proj_abc',
      prompt_template_version: 'answer-v7',
    };
    const ledger = new FakeLedger([[{ ...row(1, 'search', 100n), ...envelope }]]);
    await reprice(ledger, pricer, { scope, reason: 'fix', dryRun: false });
    expect([...ledger.adjustments.values()][0]).toMatchObject({
      userRef: 'k1:user',
      tenantRef: 'k1:tenant',
      ownerSource: 'api_key',
      projectId: 'proj_abc',
      promptTemplateVersion: 'answer-v7',
    });
  });

  it('is idempotent: the same reprice again writes nothing new', async () => {
    const ledger = new FakeLedger(pages());
    await reprice(ledger, pricer, { scope, reason: 'fix', dryRun: false });
    expect((await reprice(ledger, pricer, { scope, reason: 'fix', dryRun: false })).written).toBe(0);
    expect(ledger.adjustments.size).toBe(2);
  });

  it('a dry run reports the same impact and writes nothing', async () => {
    const ledger = new FakeLedger(pages());
    const progress: number[] = [];
    const report = await reprice(ledger, pricer, {
      scope,
      reason: 'fix',
      dryRun: true,
      onPage: ({ scanned }) => progress.push(scanned),
    });
    expect(report.net).toBe(-20n);
    expect(report.written).toBe(0);
    expect(ledger.adjustments.size).toBe(0);
    expect(progress).toEqual([2, 4]);
  });
});
