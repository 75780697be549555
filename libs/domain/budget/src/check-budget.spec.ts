import { PriceCatalog, rateBookFrom } from '@tokentally/domain-pricing';
import { parseDecimalToNanos } from '@tokentally/domain-money';
import { InMemoryBudgetStore } from './in-memory-budget-store';
import {
  budgetScopeKey,
  checkBudget,
  commitBookedCalls,
  refreshFromLedger,
  type BudgetCheckDeps,
  type BudgetCheckRequest,
  type BudgetPolicy,
  type BudgetRule,
} from './index';

const usd = (text: string): bigint => parseDecimalToNanos(text);
const NOW = Date.UTC(2026, 10, 20, 12);
const book = rateBookFrom(
  [
    {
      id: 'mini',
      version: 3,
      kind: 'prices',
      definition: {
        provider: 'openai',
        model: 'gpt-4o-mini',
        effectiveFrom: 0,
        currency: 'USD',
        prices: { uncachedInput: '1', output: '2' },
      },
    },
  ] as never,
  [],
  new PriceCatalog(),
);
const teamRule: BudgetRule = {
  teamId: 'support',
  feature: null,
  environment: null,
  monthlyLimitNanos: usd('1'),
  mode: 'hard',
  softUntil: null,
  warnAtBp: 8000,
};
const policyWith = (rules: BudgetRule[], extra: Partial<BudgetPolicy> = {}): BudgetPolicy => ({
  rules,
  caps: [],
  overrides: [],
  teamOfApiKey: (id) => (id === 'key-support' ? 'support' : undefined),
  teamOfServiceAccount: () => undefined,
  ...extra,
});
// 100k input at $1/M + 100k output at $2/M = $0.30 worst case
const request: BudgetCheckRequest = {
  eventId: 'evt-1',
  apiKeyId: 'key-support',
  feature: 'ticket-summary',
  environment: 'prod',
  provider: 'openai',
  model: 'gpt-4o-mini',
  region: null,
  serviceTier: null,
  inputTokens: 100_000,
  maxOutputTokens: 100_000,
};

function setup(policy: BudgetPolicy) {
  const store = new InMemoryBudgetStore();
  const ledger = { monthToDate: async () => new Map<string, bigint>() };
  const deps: BudgetCheckDeps = {
    policy,
    store,
    book,
    now: NOW,
    reservationTtlMs: 600_000,
    failClosed: true,
    newReservationId: () => 'generated',
    seed: (period) => refreshFromLedger(period, policy, store, ledger).then(() => undefined),
  };
  return { store, deps };
}

describe('checkBudget', () => {
  it('resolves the owner through the api key, seeds the month, reserves the worst case', async () => {
    const { store, deps } = setup(policyWith([teamRule]));
    const answer = await checkBudget(request, deps);
    expect(answer).toMatchObject({
      decision: 'allow',
      reasonCode: 'WITHIN_BUDGET',
      teamId: 'support',
      reservationId: 'evt-1',
      estimateNanos: usd('0.3'),
      remainingNanos: usd('0.7'),
    });
    expect(store.reserved.get(`2026-11|${budgetScopeKey(teamRule)}`)).toBe(usd('0.3'));
  });

  it('never lets reservations pass a hard budget, and a priced call replaces its reservation', async () => {
    const { store, deps } = setup(policyWith([teamRule]));
    const outcomes = [];
    for (let i = 0; i < 5; i++)
      outcomes.push((await checkBudget({ ...request, eventId: `e${i}` }, deps)).decision);
    expect(outcomes).toEqual(['allow', 'allow', 'warn', 'deny', 'deny']);
    const calls = ['e0', 'e1', 'e2'].map((eventId) => ({
      eventId,
      occurredAt: NOW,
      teamId: 'support',
      feature: 'ticket-summary',
      environment: 'prod',
      totalNanos: usd('0.1'),
    }));
    expect(await commitBookedCalls(calls, deps.policy, store)).toBe(3);
    expect(await commitBookedCalls(calls, deps.policy, store)).toBe(0);
    // $0.30 actually spent of $1: two more worst cases of $0.30 fit (the second past 80%), a third does not
    const after = [];
    for (let i = 5; i < 8; i++)
      after.push((await checkBudget({ ...request, eventId: `e${i}` }, deps)).decision);
    expect(after).toEqual(['allow', 'warn', 'deny']);
  });

  it('an unknown model is denied under a hard rule and passes with an alert under a soft one', async () => {
    const unknown = { ...request, model: 'gpt-9-imaginary' };
    expect((await checkBudget(unknown, setup(policyWith([teamRule])).deps)).reasonCode).toBe('UNKNOWN_RATE');
    const soft = await checkBudget(unknown, setup(policyWith([{ ...teamRule, mode: 'soft' }])).deps);
    expect(soft).toMatchObject({ decision: 'allow', alert: true, reasonCode: 'UNKNOWN_RATE' });
  });

  it('no owner is denied; no budget is allowed without a reservation', async () => {
    const { deps } = setup(policyWith([teamRule]));
    expect((await checkBudget({ ...request, apiKeyId: 'stranger' }, deps)).reasonCode).toBe('MISSING_OWNER');
    const none = await checkBudget({ ...request, apiKeyId: undefined, teamId: 'search' }, deps);
    expect(none).toMatchObject({ decision: 'allow', reasonCode: 'NO_BUDGET', reservationId: null });
  });

  it('a request cap denies with a retry time', async () => {
    const { deps } = setup(policyWith([], { caps: [{ kind: 'api_key', id: 'key-support', perMinute: 2 }] }));
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push(await checkBudget({ ...request, eventId: `c${i}` }, deps));
    expect(outcomes.map((a) => a.decision)).toEqual(['allow', 'allow', 'deny']);
    expect(outcomes[2]).toMatchObject({ reasonCode: 'RATE_LIMITED', retryAfterMs: 60_000 });
  });

  it('an unreachable store fails closed for hard budgets and open (with an alert) for soft ones', async () => {
    const hard = setup(policyWith([teamRule]));
    hard.store.unreachable = true;
    expect(await checkBudget(request, hard.deps)).toMatchObject({
      decision: 'deny',
      reasonCode: 'STORE_UNAVAILABLE',
    });
    const soft = setup(policyWith([{ ...teamRule, mode: 'soft' }]));
    soft.store.unreachable = true;
    expect(await checkBudget(request, soft.deps)).toMatchObject({ decision: 'allow', alert: true });
  });

  it('a retried check with the same event id reserves once', async () => {
    const { store, deps } = setup(policyWith([teamRule]));
    await checkBudget(request, deps);
    expect((await checkBudget(request, deps)).reasonCode).toBe('ALREADY_RESERVED');
    expect(store.reserved.get(`2026-11|${budgetScopeKey(teamRule)}`)).toBe(usd('0.3'));
  });
});
