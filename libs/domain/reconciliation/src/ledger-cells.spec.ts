import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importExport } from './importers/formats';
import { joinUsage, ledgerDaysByAccount, type LedgerTeamDay } from './ledger-cells';
import { reconcile } from './reconcile';

const fixture = (name: string): string => readFileSync(join(__dirname, '../fixtures', name), 'utf8');
const zeroTokens = { input: 0n, cache_read: 0n, cache_write_5m: 0n, cache_write_1h: 0n, output: 0n };
const zeroNanos = { input: 0n, cache: 0n, output: 0n, other: 0n };

describe('ledger side and usage join', () => {
  it('Costs lines take their quantities from the matching Usage lines', () => {
    const costs = importExport('openai-costs', fixture('openai-costs.json'), { accountId: 'org-acme' }).lines;
    const usage = importExport('openai-usage', fixture('openai-usage.jsonl'), {
      accountId: 'org-acme',
    }).lines;
    const joined = joinUsage([...costs, ...usage]);
    expect(joined.map((l) => [l.tokenType, l.quantity])).toEqual([
      ['input', 4_900_000n],
      ['output', 3_050_000n],
      ['cache_read', 100_000n],
      ['input', 1_333_333n],
      // the Usage page has this output as batch, the Costs page as standard: no match, no quantity
      ['output', 0n],
    ]);
  });

  it('maps teams to provider accounts and sums teams sharing an account', () => {
    const row = (teamId: string, input: bigint): LedgerTeamDay => ({
      provider: 'openai',
      teamId,
      model: 'gpt-4o',
      day: '2026-11-16',
      tokens: { ...zeroTokens, input },
      nanos: { ...zeroNanos, input: input * 2_500n },
    });
    const days = ledgerDaysByAccount(
      [row('search', 10n), row('support', 5n), row('nobody', 1n)],
      (_p, team) => (team === 'nobody' ? null : 'org-acme'),
    );
    expect(days.map((d) => [d.accountId, d.tokens.input, d.nanos.input])).toEqual([
      ['org-acme', 15n, 37_500n],
      ['unmapped', 1n, 2_500n],
    ]);
  });

  it('an Anthropic cost report with its usage report reconciles per token type against an exact ledger', () => {
    const lines = [
      ...importExport('anthropic-cost-report', fixture('anthropic-cost-report.json'), {
        accountId: 'org-acme',
      }).lines,
      ...importExport('anthropic-usage-report', fixture('anthropic-usage-report.json'), {
        accountId: 'org-acme',
      }).lines,
    ];
    const { cells } = reconcile(
      lines,
      [
        {
          provider: 'anthropic',
          accountId: 'org-acme',
          model: 'claude-sonnet-4-6',
          day: '2026-11-16',
          // ledger priced the long-context call and the batch input at the standard $3/1M
          tokens: {
            input: 5_615_200n,
            cache_read: 411_520n,
            cache_write_5m: 200_000n,
            cache_write_1h: 200_000n,
            output: 3_000_000n,
          },
          nanos: {
            input: 16_845_600_000n,
            cache: 2_073_456_000n,
            output: 45_000_000_000n,
            other: 200_000_000n,
          },
        },
      ],
      { now: Date.parse('2027-01-01T00:00:00Z') },
    );
    const input = cells.find((c) => c.tokenType === 'input')!;
    expect(input.providerNanos).toBe(19_845_600_000n);
    expect(input.deltaNanos).toBe(3_000_000_000n);
    // quantities come from the usage report, which has no batch row: the 500k batch tokens the ledger
    // holds are not at the provider as tokens (-$1.50 at the ledger rate), the batch line's $1.50
    // carries no tokens (service tier +$1.50), the long-context $6 is 1M tokens the ledger priced at $3
    expect(Object.fromEntries(input.explanations.map((e) => [e.class, e.nanos]))).toEqual({
      missing_at_provider: -1_500_000_000n,
      service_tier: 1_500_000_000n,
      long_context: 3_000_000_000n,
    });
    expect(input.explanations.reduce((s, e) => s + e.nanos, 0n) + input.unexplainedNanos).toBe(
      3_000_000_000n,
    );
  });
});
