import type { BudgetRule } from '@tokentally/contracts';
import type { BudgetOverride } from '@tokentally/domain-budget';
import { parseCsv } from './csv';
import { buildStatement } from './statement';
import { statementCsv } from './statement-csv';
import { statementFromJson, toJsonValue } from './statement-json';
import { auditSummary } from './summary';
import { usageRow, USD } from './spec-fixtures';

const rule = (extra: Partial<BudgetRule> = {}): BudgetRule => ({
  teamId: 'search',
  feature: null,
  environment: null,
  monthlyLimitNanos: 100n * USD,
  mode: 'hard',
  softUntil: null,
  warnAtBp: 8000,
  ...extra,
});
const override = (id: string, from: string, to: string, extra: Partial<BudgetOverride> = {}) => ({
  id,
  teamId: 'search',
  feature: null,
  environment: null,
  amountNanos: 50n * USD,
  reasonCode: 'INCIDENT_RESPONSE' as const,
  approver: 'cfo@example.com',
  note: 'backlog after the outage',
  createdAt: Date.parse(from),
  expiresAt: Date.parse(to),
  ...extra,
});

const statement = () =>
  buildStatement({
    period: '2026-10',
    previousPeriod: '2026-09',
    rows: [
      usageRow('search', 120n, { total_nanos: 120n * USD + 7n }),
      usageRow('search', 30n, { feature: 'drafts', environment: 'staging' }),
      usageRow('support', 10n),
    ],
    previousRows: [],
    teams: [],
    rules: [],
    budgetControls: {
      rules: [
        rule(),
        rule({ feature: 'drafts', monthlyLimitNanos: 40n * USD, mode: 'soft' }),
        rule({ teamId: 'support', monthlyLimitNanos: 5n * USD }),
      ],
      overrides: [
        override('ovr-in', '2026-10-10T00:00:00Z', '2026-11-01T00:00:00Z'),
        override('ovr-spans', '2026-09-20T00:00:00Z', '2026-10-02T00:00:00Z', {
          feature: 'drafts',
          amountNanos: 1n,
          reasonCode: 'PLANNED_BACKFILL',
        }),
        override('ovr-before', '2026-09-01T00:00:00Z', '2026-10-01T00:00:00Z'),
        override('ovr-after', '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z'),
        override('ovr-other-team', '2026-10-05T00:00:00Z', '2026-10-06T00:00:00Z', { teamId: 'support' }),
      ],
    },
  });

describe('budget controls on the statement', () => {
  it('lists each override in effect in the period, and the spend above each plain budget, exactly', () => {
    const search = statement().teams.find((t) => t.team_id === 'search');
    expect(search?.budget_controls.overrides.map((o) => o.override_id)).toEqual(['ovr-spans', 'ovr-in']);
    expect(search?.budget_controls.overrides[1]).toEqual({
      override_id: 'ovr-in',
      feature: null,
      environment: null,
      amount_nanos: 50n * USD,
      reason_code: 'INCIDENT_RESPONSE',
      approver: 'cfo@example.com',
      note: 'backlog after the outage',
      created_at: '2026-10-10T00:00:00.000Z',
      expires_at: '2026-11-01T00:00:00.000Z',
    });
    expect(search?.budget_controls.budgets).toEqual([
      {
        feature: null,
        environment: null,
        mode: 'hard',
        limit_nanos: 100n * USD,
        override_nanos: 50n * USD,
        spent_nanos: 150n * USD + 7n,
        above_budget_nanos: 50n * USD + 7n,
      },
      {
        feature: 'drafts',
        environment: null,
        mode: 'soft',
        limit_nanos: 40n * USD,
        override_nanos: 1n,
        spent_nanos: 30n * USD,
        above_budget_nanos: 0n,
      },
    ]);
    const support = statement().teams.find((t) => t.team_id === 'support');
    expect(support?.budget_controls.overrides.map((o) => o.override_id)).toEqual(['ovr-other-team']);
    expect(support?.budget_controls.budgets[0]?.above_budget_nanos).toBe(5n * USD);
  });

  it('survives the stored JSON form of a closed statement', () => {
    const built = statement();
    expect(statementFromJson(JSON.stringify(toJsonValue(built)))).toEqual(built);
  });

  it('puts budget and override rows in the CSV with reason code, approver, expiry and note', () => {
    const { rows } = parseCsv(statementCsv(statement()));
    expect(
      rows.find((r) => r.team_id === 'search' && r.dimension === 'budget' && r.key === 'all'),
    ).toMatchObject({
      scope: 'all',
      budget_mode: 'hard',
      total_nanos: '150000000007',
      limit_usd: '100',
      override_usd: '50',
      above_budget_usd: '50.000000007',
      above_budget_nanos: '50000000007',
    });
    expect(rows.find((r) => r.dimension === 'override' && r.key === 'ovr-spans')).toMatchObject({
      team_id: 'search',
      scope: 'feature=drafts',
      override_usd: '0.000000001',
      reason_code: 'PLANNED_BACKFILL',
      approver: 'cfo@example.com',
      expires_at: '2026-10-02T00:00:00.000Z',
      note: 'backlog after the outage',
    });
    expect(rows.filter((r) => r.dimension === 'override')).toHaveLength(3);
  });

  it('says it in the audit summary', () => {
    const lines = auditSummary(statement());
    expect(lines).toContain(
      'Budget override: search ovr-in $50.00 on all, INCIDENT_RESPONSE, approved by cfo@example.com, expires 2026-11-01T00:00:00.000Z: backlog after the outage',
    );
    expect(lines).toContain(
      'Above budget: search spent $50.00 above its hard $100.00 budget on all (overrides granted $50.00)',
    );
  });
});
