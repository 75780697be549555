import { PriceCatalog, rateBookFrom } from '@tokentally/domain-pricing';
import { parseDecimalToNanos } from '@tokentally/domain-money';
import {
  admitInWindow,
  budgetPeriodOf,
  budgetScopeKey,
  decideBudget,
  effectiveMode,
  overrideProblems,
  parseBudgetDeclaration,
  rulesFor,
  worstCaseCost,
  type BudgetOverride,
  type BudgetRule,
  type ScopeCounters,
} from './index';

const usd = (text: string): bigint => parseDecimalToNanos(text);
const DAY = 86_400_000;
const AT = Date.UTC(2026, 10, 20, 12);

const rule = (extra: Partial<BudgetRule> = {}): BudgetRule => ({
  teamId: 'support',
  feature: null,
  environment: null,
  monthlyLimitNanos: usd('100'),
  mode: 'hard',
  softUntil: null,
  warnAtBp: 8000,
  ...extra,
});
const counters = (entries: [BudgetRule, string, string][]): Map<string, ScopeCounters> =>
  new Map(
    entries.map(([r, spent, reserved]) => [
      budgetScopeKey(r),
      { spentNanos: usd(spent), reservedNanos: usd(reserved) },
    ]),
  );
const override = (extra: Partial<BudgetOverride> = {}): BudgetOverride => ({
  id: 'ovr-1',
  teamId: 'support',
  feature: null,
  environment: null,
  amountNanos: usd('50'),
  reasonCode: 'INCIDENT_RESPONSE',
  approver: 'cfo@example.com',
  note: 'outage backlog',
  createdAt: AT - DAY,
  expiresAt: AT + DAY,
  ...extra,
});

describe('decideBudget', () => {
  const team = rule();
  it.each([
    ['well within', '10', '0', '1', 'allow', '89'],
    ['past the 80% line', '79', '0', '2', 'warn', '19'],
    ['exactly at the limit', '99', '0', '1', 'warn', '0'],
    ['one nano over with reservations counted', '60', '39.999999999', '0.000000002', 'deny', '-0.000000001'],
  ])('%s', (_name, spent, reserved, estimate, outcome, remaining) => {
    const decision = decideBudget([team], counters([[team, spent, reserved]]), [], usd(estimate), AT);
    expect(decision.outcome).toBe(outcome);
    expect(decision.remainingNanos).toBe(usd(remaining));
  });

  it('a soft rule and a hard rule in its tuning period warn instead of denying', () => {
    for (const r of [rule({ mode: 'soft' }), rule({ softUntil: AT + 1 })]) {
      const decision = decideBudget([r], counters([[r, '100', '0']]), [], usd('5'), AT);
      expect(decision.outcome).toBe('warn');
      expect(decision.reason).toMatch(/exceeded by \$5/);
    }
    expect(effectiveMode(rule({ softUntil: AT }), AT)).toBe('hard');
  });

  it('the strictest rule wins: a feature budget denies while the team has room', () => {
    const feature = rule({ feature: 'ticket-summary', monthlyLimitNanos: usd('20') });
    const decision = decideBudget(
      [team, feature],
      counters([
        [team, '30', '0'],
        [feature, '19', '0'],
      ]),
      [],
      usd('2'),
      AT,
    );
    expect(decision.outcome).toBe('deny');
    expect(decision.reason).toContain('support / ticket-summary');
    expect(decision.remainingNanos).toBe(usd('-1'));
  });

  it('an active override widens the limit and says so; an expired one does not', () => {
    const c = counters([[team, '100', '0']]);
    const passing = decideBudget([team], c, [override()], usd('10'), AT);
    expect(passing).toMatchObject({ outcome: 'allow', viaOverride: true, remainingNanos: usd('40') });
    expect(passing.reason).toContain('ovr-1');
    const expired = decideBudget([team], c, [override({ expiresAt: AT })], usd('10'), AT);
    expect(expired).toMatchObject({ outcome: 'deny', viaOverride: false });
    const otherScope = decideBudget([team], c, [override({ feature: 'x' })], usd('10'), AT);
    expect(otherScope.outcome).toBe('deny');
  });

  it('no rule: allowed, no remaining figure', () => {
    expect(decideBudget([], new Map(), [], usd('1'), AT)).toMatchObject({
      outcome: 'allow',
      remainingNanos: null,
    });
  });
});

describe('rulesFor and periods', () => {
  it('matches the team rule and the rules of this feature and environment only', () => {
    const rules = [
      rule(),
      rule({ feature: 'a' }),
      rule({ feature: 'b' }),
      rule({ environment: 'prod' }),
      rule({ teamId: 'search' }),
    ];
    const matched = rulesFor(rules, { teamId: 'support', feature: 'a', environment: 'dev' });
    expect(matched.map(budgetScopeKey)).toEqual([
      budgetScopeKey(rule()),
      budgetScopeKey(rule({ feature: 'a' })),
    ]);
  });
  it('follows the call time in UTC', () => {
    expect(budgetPeriodOf(Date.UTC(2026, 10, 30, 23, 59, 59, 999))).toBe('2026-11');
    expect(budgetPeriodOf(Date.UTC(2026, 11, 1))).toBe('2026-12');
  });
});

describe('overrideProblems', () => {
  it('names every bad field at once', () => {
    const problems = overrideProblems(
      { teamId: '', amountNanos: 0n, reasonCode: 'BECAUSE', approver: 'bob', note: '', expiresAt: AT - 1 },
      AT,
    );
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'team',
      'amount',
      'reason_code',
      'approver',
      'note',
      'expires',
    ]);
  });
  it('accepts a complete one', () => {
    const input = {
      teamId: 'support',
      amountNanos: 1n,
      reasonCode: 'PRODUCT_LAUNCH',
      approver: 'a@b.io',
      note: 'launch week',
      expiresAt: AT + 1,
    };
    expect(overrideProblems(input, AT)).toEqual([]);
  });
});

describe('worstCaseCost', () => {
  const book = rateBookFrom(
    [
      {
        id: 'sonnet',
        version: 1,
        kind: 'prices',
        definition: {
          provider: 'anthropic',
          model: 'claude-sonnet-4-5*',
          effectiveFrom: 0,
          currency: 'USD',
          prices: {
            uncachedInput: '3',
            cacheRead: '0.3',
            cacheWrite5m: '3.75',
            cacheWrite1h: '6',
            output: '15',
          },
          tiers: [
            {
              name: 'long',
              inputTokensAbove: 200_000,
              prices: {
                uncachedInput: '6',
                cacheRead: '0.6',
                cacheWrite5m: '7.5',
                cacheWrite1h: '12',
                output: '22.5',
              },
            },
          ],
        },
      },
    ] as never,
    [],
    new PriceCatalog(),
  );
  const intent = {
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    region: null,
    serviceTier: null,
    at: AT,
  };

  it('prices the prompt as the dearest input bucket and the whole output cap', () => {
    // 1,000 input as 1h cache writes at $6/M + 500 output at $15/M = 0.006 + 0.0075
    const estimate = worstCaseCost({ ...intent, inputTokens: 1000, maxOutputTokens: 500 }, book);
    expect(estimate).toEqual({ ok: true, nanos: usd('0.0135'), rateCardId: 'sonnet', rateCardVersion: 'v1' });
  });
  it('takes the long-context cliff when the prompt crosses it', () => {
    const estimate = worstCaseCost({ ...intent, inputTokens: 200_001, maxOutputTokens: 0 }, book);
    expect(estimate).toMatchObject({ ok: true, nanos: usd('2.400012') });
  });
  it('assumes all of the output is reasoning when reasoning is priced apart and dearer', () => {
    const reasoningBook = rateBookFrom(
      [
        {
          id: 'thinker',
          version: 1,
          kind: 'prices',
          definition: {
            provider: 'openai',
            model: 'thinker-1',
            effectiveFrom: 0,
            currency: 'USD',
            prices: { uncachedInput: '1', output: '4', reasoning: '10' },
          },
        },
      ] as never,
      [],
      new PriceCatalog(),
    );
    const thinker = { ...intent, provider: 'openai', model: 'thinker-1' };
    // 1,000 input at $1/M + 500 output, all reasoning, at $10/M = 0.001 + 0.005
    expect(
      worstCaseCost({ ...thinker, inputTokens: 1000, maxOutputTokens: 500 }, reasoningBook),
    ).toMatchObject({
      ok: true,
      nanos: usd('0.006'),
    });
  });
  it('never a free pass: an unknown model or a negative count is refused with a reason', () => {
    expect(
      worstCaseCost({ ...intent, model: 'mystery-1', inputTokens: 1, maxOutputTokens: 1 }, book),
    ).toMatchObject({ ok: false, reason: 'UNKNOWN_RATE' });
    expect(worstCaseCost({ ...intent, inputTokens: -1, maxOutputTokens: 1 }, book)).toEqual({
      ok: false,
      reason: 'INVALID_VALUE',
      message: 'input_tokens: must be a non-negative integer',
    });
  });
});

describe('admitInWindow', () => {
  it('never admits more than the cap in any 60 s window', () => {
    let log: number[] = [];
    const admittedAt: number[] = [];
    for (let t = 0; t < 300_000; t += 700) {
      const result = admitInWindow(log, t, 10);
      log = result.log;
      if (result.admitted) admittedAt.push(t);
    }
    for (const start of admittedAt)
      expect(admittedAt.filter((t) => t >= start && t < start + 60_000).length).toBeLessThanOrEqual(10);
    expect(admittedAt.length).toBe(50);
  });
  it('says when to retry', () => {
    expect(admitInWindow([1000, 2000], 30_000, 2)).toMatchObject({ admitted: false, retryAfterMs: 31_000 });
  });
});

describe('parseBudgetDeclaration', () => {
  it('reads budgets and caps with defaults', () => {
    const parsed = parseBudgetDeclaration({
      budgets: [
        { team: 'support', monthly_usd: '1500.50', mode: 'hard', soft_until: '2026-12-15' },
        { team: 'support', feature: 'ticket-summary', environment: 'prod', monthly_usd: 200 },
      ],
      request_caps: [{ service_account: 'nightly-etl', per_minute: 600 }],
    });
    expect(parsed).toEqual({
      ok: true,
      value: {
        rules: [
          rule({ monthlyLimitNanos: usd('1500.5'), softUntil: Date.UTC(2026, 11, 15) }),
          rule({
            feature: 'ticket-summary',
            environment: 'prod',
            monthlyLimitNanos: usd('200'),
            mode: 'soft',
          }),
        ],
        caps: [{ kind: 'service_account', id: 'nightly-etl', perMinute: 600 }],
      },
    });
  });
  it('names every problem by its path', () => {
    const parsed = parseBudgetDeclaration({
      budgets: [
        { team: 'a', monthly_usd: '-1' },
        { team: 'a', monthly_usd: '10', mode: 'strict', colour: 'red' },
        { team: 'b', monthly_usd: '1', soft_until: '15/12/2026' },
      ],
      request_caps: [{ service_account: 'x', api_key: 'y', per_minute: 0 }],
    });
    expect(parsed.ok).toBe(false);
    const problems = parsed.ok ? [] : parsed.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^budgets\[0\]\.monthly_usd: /),
        expect.stringMatching(/^budgets\[1\]\.mode: /),
        expect.stringMatching(/^budgets\[1\]: .*colour/),
        'budgets[2].soft_until: must be a date (YYYY-MM-DD) or an RFC 3339 time',
        expect.stringMatching(/^request_caps\[0\]\.per_minute: /),
      ]),
    );
  });
  it('refuses two rules for one scope and limits past 2^53 nanos', () => {
    const twice = parseBudgetDeclaration({
      budgets: [
        { team: 'a', monthly_usd: 1 },
        { team: 'a', monthly_usd: 2 },
      ],
    });
    expect(twice).toEqual({
      ok: false,
      problems: ['budgets[1]: same team, feature and environment as budgets[0]'],
    });
    const huge = parseBudgetDeclaration({ budgets: [{ team: 'a', monthly_usd: '10000000' }] });
    expect(huge.ok).toBe(false);
  });
});
