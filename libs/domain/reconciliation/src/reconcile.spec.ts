import { STANDARD_PRICE, lineIdOf, type CostLine, type PriceContext, type TokenType } from './cost-line';
import { reconcile } from './reconcile';
import type { CardRates, CellResult, LedgerDay, ReconcileOptions } from './reconciliation.types';

const DAY = '2026-11-16';
const M = 1_000_000n;
const B = 1_000_000_000n;
// long after every settle window: nothing provisional unless a test says so
const FINAL: ReconcileOptions = { now: Date.parse('2027-01-10T00:00:00Z') };

function line(
  tokenType: TokenType | null,
  quantity: bigint,
  amountNanos: bigint,
  extra: Partial<Omit<CostLine, 'price'>> & { price?: Partial<PriceContext> } = {},
): CostLine {
  const { price, ...rest } = extra;
  const base: CostLine = {
    lineId: lineIdOf('focus', tokenType, String(quantity), String(amountNanos), JSON.stringify(price ?? {})),
    source: 'anthropic_cost_report',
    provider: 'anthropic',
    accountId: 'org-acme',
    projectId: null,
    model: 'claude-sonnet-4-6',
    usageDate: DAY,
    tokenType,
    region: null,
    price: { ...STANDARD_PRICE, ...price },
    quantity,
    unit: 'tokens',
    amountNanos,
    hasCost: true,
    currency: 'USD',
    originalAmount: '',
    originalNanos: amountNanos,
    roundingNanos: 5_000n,
    lineType: 'usage',
    correction: false,
  };
  return { ...base, ...rest };
}

function ledger(
  tokens: Partial<LedgerDay['tokens']>,
  nanos: Partial<LedgerDay['nanos']>,
  extra: Partial<LedgerDay> = {},
): LedgerDay {
  return {
    provider: 'anthropic',
    accountId: 'org-acme',
    model: 'claude-sonnet-4-6',
    day: DAY,
    tokens: { input: 0n, cache_read: 0n, cache_write_5m: 0n, cache_write_1h: 0n, output: 0n, ...tokens },
    nanos: { input: 0n, cache: 0n, output: 0n, other: 0n, ...nanos },
    ...extra,
  };
}

const CARD: CardRates = {
  card: 'anthropic-sonnet-4-6@1',
  perMillion: {
    input: 3n * B,
    cache_read: 300_000_000n,
    cache_write_5m: 3_750_000_000n,
    cache_write_1h: 6n * B,
    output: 15n * B,
  },
};
const withCard: ReconcileOptions = { ...FINAL, rates: () => CARD };

const cell = (cells: CellResult[], tokenType: TokenType | null, day = DAY): CellResult => {
  const found = cells.find((c) => c.tokenType === tokenType && c.usageDate === day);
  if (!found) throw new Error(`no ${tokenType} cell on ${day}`);
  return found;
};
const classes = (c: CellResult): Record<string, bigint> => {
  const found: Record<string, bigint> = Object.fromEntries(
    c.explanations.map((e) => [e.class, e.nanos] as const),
  );
  return { ...found, unexplained: c.unexplainedNanos };
};

describe('reconcile: every injected fault gets its class and its exact nanos', () => {
  it('events dropped before ingest: missing in the ledger, at the ledger rate', () => {
    const { cells } = reconcile(
      [line('input', 1_100_000n, 3_300_000_000n), line('output', 220_000n, 3_300_000_000n)],
      [ledger({ input: M, output: 200_000n }, { input: 3n * B, output: 3n * B })],
      withCard,
    );
    expect(classes(cell(cells, 'input'))).toEqual({ missing_in_ledger: 300_000_000n, unexplained: 0n });
    expect(classes(cell(cells, 'output'))).toEqual({ missing_in_ledger: 300_000_000n, unexplained: 0n });
    expect(cell(cells, 'input')).toMatchObject({ status: 'over_tolerance', deltaBp: 909 });
  });

  it('usage the provider never billed: missing at the provider', () => {
    const { cells } = reconcile(
      [line('input', M, 3n * B)],
      [
        ledger({ input: M }, { input: 3n * B }),
        ledger({ input: 2n * M }, { input: 2n * B }, { model: 'claude-haiku-4-5' }),
      ],
      withCard,
    );
    const haiku = cells.find((c) => c.model === 'claude-haiku-4-5')!;
    expect(classes(haiku)).toEqual({ missing_at_provider: -2n * B, unexplained: 0n });
    expect(haiku.status).toBe('missing_in_provider');
  });

  it('a stale rate card: price drift, naming the card', () => {
    const { cells } = reconcile(
      [line('output', 200_000n, 3n * B)],
      [ledger({ output: 200_000n }, { output: 2_400_000_000n })],
      { ...FINAL, rates: () => ({ ...CARD, perMillion: { ...CARD.perMillion, output: 12n * B } }) },
    );
    const output = cell(cells, 'output');
    expect(classes(output)).toEqual({ price_drift: 600_000_000n, unexplained: 0n });
    expect(output.explanations[0]!.detail).toBe(
      'provider $15 vs ledger $12 per 1M tokens; ledger card anthropic-sonnet-4-6@1 at $12/1M',
    );
  });

  it('cache writes priced as input: cache semantics on both token types', () => {
    const { cells } = reconcile(
      [line('input', M, 3n * B), line('cache_write_5m', 100_000n, 375_000_000n)],
      [ledger({ input: 1_100_000n }, { input: 3_300_000_000n })],
      withCard,
    );
    expect(classes(cell(cells, 'input'))).toEqual({ cache_semantics: -300_000_000n, unexplained: 0n });
    expect(classes(cell(cells, 'cache_write_5m'))).toEqual({
      cache_semantics: 375_000_000n,
      unexplained: 0n,
    });
  });

  it('cache reads counted inside input (OpenAI semantics): cache semantics', () => {
    const { cells } = reconcile(
      [line('input', M, 2_500_000_000n), line('cache_read', 100_000n, 125_000_000n)],
      [ledger({ input: 1_100_000n }, { input: 2_750_000_000n })],
      FINAL,
    );
    expect(classes(cell(cells, 'input'))).toEqual({ cache_semantics: -250_000_000n, unexplained: 0n });
    expect(classes(cell(cells, 'cache_read'))).toEqual({ cache_semantics: 125_000_000n, unexplained: 0n });
  });

  it('cache writes the ledger never saw while the calls agree: cache semantics, not missing', () => {
    const { cells } = reconcile(
      [
        line('input', M, 3n * B),
        line('output', 100_000n, 1_500_000_000n),
        line('cache_write_1h', 50_000n, 300_000_000n),
      ],
      [ledger({ input: M, output: 100_000n }, { input: 3n * B, output: 1_500_000_000n })],
      withCard,
    );
    expect(classes(cell(cells, 'cache_write_1h'))).toEqual({
      cache_semantics: 300_000_000n,
      unexplained: 0n,
    });
  });

  it('batch calls at standard price: service tier', () => {
    const { cells } = reconcile(
      [line('input', M, 1_500_000_000n, { price: { serviceTier: 'batch' } })],
      [ledger({ input: M }, { input: 3n * B })],
      withCard,
    );
    const input = cell(cells, 'input');
    expect(classes(input)).toEqual({ service_tier: -1_500_000_000n, unexplained: 0n });
    expect(input.explanations[0]!.detail).toBe('batch tier: provider $1.5 vs ledger $3 per 1M');
  });

  it('a long-context call priced at the standard rate: long-context tier', () => {
    const { cells } = reconcile(
      [line('input', M, 3n * B), line('input', 300_000n, 1_800_000_000n, { price: { longContext: true } })],
      [ledger({ input: 1_300_000n }, { input: 3_900_000_000n })],
      withCard,
    );
    expect(classes(cell(cells, 'input'))).toEqual({ long_context: 900_000_000n, unexplained: 0n });
  });

  it('cross-region inference at a premium: region', () => {
    const { cells } = reconcile(
      [line('input', M, 3_300_000_000n, { provider: 'bedrock', price: { inferenceScope: 'cross_region' } })],
      [ledger({ input: M }, { input: 3n * B }, { provider: 'bedrock' })],
      withCard,
    );
    expect(classes(cell(cells, 'input'))).toEqual({ region: 300_000_000n, unexplained: 0n });
  });

  it('an export converted at another FX rate than tokentally: FX', () => {
    const eur = line('input', 4n * M, 10n * B, {
      provider: 'azure_openai',
      currency: 'EUR',
      originalNanos: 9_100_000_000n,
      roundingNanos: 5_000_001n,
    });
    const { cells } = reconcile(
      [eur],
      [ledger({ input: 4n * M }, { input: 9_828_000_000n }, { provider: 'azure_openai' })],
      {
        ...withCard,
        fxReference: (currency) => (currency === 'EUR' ? '1.08' : null),
      },
    );
    expect(classes(cell(cells, 'input'))).toEqual({ fx: 172_000_000n, unexplained: 0n });
  });

  it('amounts exported to the cent: rounding', () => {
    const { cells } = reconcile(
      [line('output', 3_333n, 50_000_000n, { roundingNanos: 5_000_000n })],
      [ledger({ output: 3_333n }, { output: 49_995_000n })],
      withCard,
    );
    const output = cell(cells, 'output');
    expect(classes(output)).toEqual({ rounding: 5_000n, unexplained: 0n });
    expect(output.status).toBe('within_tolerance');
  });

  it('a credit line: credits, tax and adjustments, in a cell of its own', () => {
    const { cells } = reconcile(
      [
        line('input', M, 3n * B),
        line(null, 0n, -1_500_000_000n, { lineType: 'credit', originalAmount: '-1.5' }),
      ],
      [ledger({ input: M }, { input: 3n * B })],
      withCard,
    );
    expect(classes(cell(cells, null))).toEqual({ credits_tax_adjustments: -1_500_000_000n, unexplained: 0n });
    expect(cell(cells, null).status).toBe('over_tolerance');
    expect(cell(cells, 'input').status).toBe('matched');
  });

  it('a call at 23:59:59.9 UTC counted on the next day by the provider: day boundary on both days', () => {
    const next = '2026-11-17';
    const { cells } = reconcile(
      [line('input', M, 3n * B), line('input', 1_010_000n, 3_030_000_000n, { usageDate: next })],
      [
        ledger({ input: 1_010_000n }, { input: 3_030_000_000n }),
        ledger({ input: M }, { input: 3n * B }, { day: next }),
      ],
      withCard,
    );
    expect(classes(cell(cells, 'input'))).toEqual({ day_boundary: -30_000_000n, unexplained: 0n });
    expect(classes(cell(cells, 'input', next))).toEqual({ day_boundary: 30_000_000n, unexplained: 0n });
  });

  it('unrelated faults on neighbouring days are not a day boundary', () => {
    const next = '2026-11-17';
    const { cells } = reconcile(
      [
        line('input', 1_200_000n, 3_600_000_000n),
        line('input', 900_000n, 2_700_000_000n, { usageDate: next }),
      ],
      [ledger({ input: M }, { input: 3n * B }), ledger({ input: M }, { input: 3n * B }, { day: next })],
      withCard,
    );
    expect(classes(cell(cells, 'input'))).toEqual({ missing_in_ledger: 600_000_000n, unexplained: 0n });
    expect(classes(cell(cells, 'input', next))).toEqual({
      missing_at_provider: -300_000_000n,
      unexplained: 0n,
    });
  });

  it('money without quantities and nothing in the ledger: missing in the ledger', () => {
    const { cells } = reconcile(
      [line('output', 0n, 3_500_000_000n, { provider: 'openai', model: 'gpt-4o' })],
      [],
      FINAL,
    );
    expect(classes(cell(cells, 'output'))).toEqual({ missing_in_ledger: 3_500_000_000n, unexplained: 0n });
  });

  it('money without quantities (Costs imported without Usage) stays unexplained', () => {
    const { cells } = reconcile(
      [line('input', 0n, 3_500_000_000n, { provider: 'openai', model: 'gpt-4o' })],
      [ledger({ input: M }, { input: 3n * B }, { provider: 'openai', model: 'gpt-4o' })],
      FINAL,
    );
    expect(classes(cell(cells, 'input'))).toEqual({ unexplained: 500_000_000n });
  });
});

describe('reconcile: cells, tolerance, provisional days, months', () => {
  it('matches models across spellings and leaves uncovered ledger days alone', () => {
    const { cells } = reconcile(
      [line('input', M, 3n * B, { provider: 'bedrock', model: 'Claude4.6Sonnet' })],
      [
        ledger({ input: M }, { input: 3n * B }, { provider: 'bedrock' }),
        ledger({ input: M }, { input: 3n * B }, { provider: 'bedrock', day: '2026-11-20' }),
      ],
      FINAL,
    );
    expect(cells.map((c) => [c.model, c.usageDate, c.status])).toEqual([
      ['claude-sonnet-4-6', DAY, 'matched'],
    ]);
  });

  it('tolerance: 100 bp per cell and 10 bp per month by default, configurable', () => {
    const lines = [
      line('input', M, 3_020_000_000n, { roundingNanos: 0n, price: { serviceTier: 'priority' } }),
    ];
    const day = [ledger({ input: M }, { input: 3n * B })];
    const strict = reconcile(lines, day, FINAL);
    expect(strict.cells[0]).toMatchObject({ deltaBp: 66, status: 'within_tolerance', toleranceBp: 100 });
    expect(strict.months[0]).toMatchObject({
      month: '2026-11',
      deltaBp: 66,
      withinTolerance: false,
      toleranceBp: 10,
    });
    const loose = reconcile(lines, day, { ...FINAL, cellToleranceBp: 50, monthToleranceBp: 100 });
    expect(loose.cells[0]!.status).toBe('over_tolerance');
    expect(loose.months[0]!.withinTolerance).toBe(true);
    expect(loose.months[0]!.byClass).toEqual({ service_tier: 20_000_000n });
  });

  it('days are provisional until the provider settles them (CUR: the month)', () => {
    const now = Date.parse('2026-11-17T12:00:00Z');
    const lines = [
      line('input', M, 3n * B),
      line('input', M, 3n * B, { provider: 'bedrock', usageDate: '2026-11-02' }),
    ];
    const provisional = reconcile(lines, [], { now }).cells.map((c) => [c.provider, c.provisional]);
    expect(provisional).toEqual([
      ['anthropic', true],
      ['bedrock', true],
    ]);
    const later = reconcile(lines, [], { now: Date.parse('2026-11-18T00:00:01Z') }).cells.map(
      (c) => c.provisional,
    );
    expect(later).toEqual([false, true]);
  });

  it('explanations and unexplained always add up to the delta exactly', () => {
    const { cells } = reconcile(
      [
        line('input', 1_234_567n, 3_703_701_234n),
        line('input', 98_765n, 555_555_555n, { price: { longContext: true } }),
        line('output', 77_777n, 1_166_655_000n),
        line('cache_read', 10n, 3n),
      ],
      [
        ledger(
          { input: 1_333_333n, output: 77_000n, cache_read: 11n },
          { input: 3_999_999_999n, output: 1_155_000_001n, cache: 7n },
        ),
      ],
      withCard,
    );
    for (const c of cells)
      expect(c.explanations.reduce((s, e) => s + e.nanos, 0n) + c.unexplainedNanos).toBe(c.deltaNanos);
  });

  it('splits the rollup cache cost over reads and writes by the card, exactly', () => {
    const { cells } = reconcile(
      [line('cache_read', M, 300_000_000n), line('cache_write_5m', M, 3_750_000_000n)],
      [ledger({ cache_read: M, cache_write_5m: M }, { cache: 4_050_000_000n })],
      withCard,
    );
    expect(cells.map((c) => [c.tokenType, c.ledgerNanos, c.status])).toEqual([
      ['cache_read', 300_000_000n, 'matched'],
      ['cache_write_5m', 3_750_000_000n, 'matched'],
    ]);
  });
});
