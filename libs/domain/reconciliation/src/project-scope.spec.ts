import { STANDARD_PRICE, type CostLine } from './cost-line';
import { ledgerDaysByAccount, type LedgerTeamDay } from './ledger-cells';
import { scopeByProject } from './project-scope';
import { reconcile } from './reconcile';
import { accountLookups } from './reconcile-run';

const DAY = '2026-11-16';
const FINAL = { now: Date.parse('2027-01-10T00:00:00Z') };
const zeroTokens = { input: 0n, cache_read: 0n, cache_write_5m: 0n, cache_write_1h: 0n, output: 0n };
const zeroNanos = { input: 0n, cache: 0n, output: 0n, other: 0n };

const line = (
  projectId: string | null,
  quantity: bigint,
  amountNanos: bigint,
  over: Partial<CostLine> = {},
): CostLine => ({
  lineId: `l-${projectId}-${quantity}-${over.lineType ?? 'usage'}`,
  source: 'openai_costs',
  provider: 'openai',
  accountId: 'org-acme',
  projectId,
  model: 'gpt-4o',
  usageDate: DAY,
  tokenType: 'input',
  region: null,
  price: STANDARD_PRICE,
  quantity,
  unit: 'tokens',
  amountNanos,
  hasCost: true,
  currency: 'USD',
  originalAmount: '',
  originalNanos: amountNanos,
  roundingNanos: 5_000_000n,
  lineType: 'usage',
  correction: false,
  ...over,
});
const row = (teamId: string, projectId: string, input: bigint): LedgerTeamDay => ({
  provider: 'openai',
  teamId,
  projectId,
  model: 'gpt-4o',
  day: DAY,
  tokens: { ...zeroTokens, input },
  nanos: { ...zeroNanos, input: input * 2_500n },
});

// two projects of one org, owned by two teams; search's calls on proj_b are its own mistake to see
const lookups = accountLookups([
  { provider: 'openai', accountId: 'org-acme', projectId: 'proj_a', teamId: 'search' },
  { provider: 'openai', accountId: 'org-acme', projectId: 'proj_b', teamId: 'support' },
]);

describe('scopeByProject', () => {
  it('reconciles project by project where the export and every ledger row name the project', () => {
    const ledger = ledgerDaysByAccount(
      [
        row('search', 'proj_a', 1_000_000n),
        row('search', 'proj_b', 400_000n),
        row('support', 'proj_b', 600_000n),
      ],
      lookups.accountOf,
    );
    const scoped = scopeByProject(
      [line('proj_a', 1_000_000n, 2_500_000_000n), line('proj_b', 1_200_000n, 3_000_000_000n)],
      ledger,
    );
    const cells = reconcile(scoped.lines, scoped.ledger, FINAL).cells;
    expect(
      cells.map((c) => [c.accountId, c.ledgerQuantity, c.providerQuantity, c.deltaNanos]).sort(),
    ).toEqual([
      ['org-acme/proj_a', 1_000_000n, 1_000_000n, 0n],
      ['org-acme/proj_b', 1_000_000n, 1_200_000n, 500_000_000n],
    ]);
    expect(cells.find((c) => c.accountId === 'org-acme/proj_b')?.explanations.map((e) => e.class)).toEqual([
      'missing_in_ledger',
    ]);
    expect(lookups.teamOf('openai', 'org-acme/proj_b')).toBe('support');
    expect(lookups.teamOf('openai', 'org-acme/proj_x')).toBe('search');
  });

  it('stays at account level when some ledger rows name no project', () => {
    const ledger = ledgerDaysByAccount(
      [row('search', 'proj_a', 1_000_000n), row('search', '', 1_200_000n)],
      lookups.accountOf,
    );
    const scoped = scopeByProject(
      [line('proj_a', 1_000_000n, 2_500_000_000n), line('proj_b', 1_200_000n, 3_000_000_000n)],
      ledger,
    );
    const cells = reconcile(scoped.lines, scoped.ledger, FINAL).cells;
    expect(cells.map((c) => [c.accountId, c.ledgerQuantity, c.providerQuantity, c.deltaNanos])).toEqual([
      ['org-acme', 2_200_000n, 2_200_000n, 0n],
    ]);
  });

  it('keeps a credit without a project at account level beside project cells', () => {
    const scoped = scopeByProject(
      [
        line('proj_a', 1_000_000n, 2_500_000_000n),
        line(null, 0n, -1_000_000_000n, { lineType: 'credit', tokenType: null }),
      ],
      ledgerDaysByAccount([row('search', 'proj_a', 1_000_000n)], lookups.accountOf),
    );
    expect(scoped.lines.map((l) => l.accountId)).toEqual(['org-acme/proj_a', 'org-acme']);
    expect(scoped.ledger.map((d) => d.accountId)).toEqual(['org-acme/proj_a']);
  });

  it('maps a declared project to its account even when the team has none', () => {
    expect(lookups.accountOf('openai', 'nobody', 'proj_b')).toBe('org-acme');
    expect(lookups.accountOf('openai', 'nobody', 'proj_zzz')).toBeNull();
    expect(lookups.accountOf('openai', 'search', '')).toBe('org-acme');
  });
});
