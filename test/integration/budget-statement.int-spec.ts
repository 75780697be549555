import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PricedCallEvent } from '@tokentally/contracts';
import { BudgetRepository } from '@tokentally/adapters-postgres-budget';
import { LedgerRepository } from '@tokentally/adapters-postgres-ledger';
import { budgetScopeKey } from '@tokentally/domain-budget';
import { parseCsv } from '@tokentally/domain-chargeback';
import { COST_COLUMNS, type CostColumn } from '@tokentally/domain-ledger';
import { PriceCatalog, priceEnrichedCall, rateBookFrom } from '@tokentally/domain-pricing';
import { createPool, migrate } from '@tokentally/platform-db';
import { buildEnrichedCallEvent, stackEnv } from '@tokentally/testing';
import { ServiceProcess } from './service-process';
import { tally } from './tally';

const RUN = randomBytes(4).toString('hex');
const TEAM = `it-bst-${RUN}`;
const FINANCE = `finance-token-budget-${RUN}`;
const TEAM_TOKEN = `team-token-budget-${RUN}`;
const PERIOD = new Date().toISOString().slice(0, 7);
const book = rateBookFrom([], [], new PriceCatalog());

function priced(n: number): PricedCallEvent {
  const outcome = priceEnrichedCall(
    buildEnrichedCallEvent(n, {
      event_id: `${RUN}-call-${n}`,
      trace_id: `${RUN}-trace-${n}`,
      team_id: TEAM,
      feature: n % 2 === 0 ? 'answers' : 'drafts',
      environment: 'prod',
      occurred_at: Date.now() - 1000,
    }),
    book,
    Date.now(),
  );
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.value;
}

interface Controls {
  budgets: Record<string, string | null>[];
  overrides: Record<string, string | null>[];
}

/**
 * A team over its hard budget thanks to an override granted with `tally budget override`: the
 * statement (exporter JSON and CSV, `tally report`) lists the override with its reason code, approver,
 * expiry and note, and the spend above the plain budget to the nano.
 */
describe('an override and the spend above the plain budget are on the team statement', () => {
  const pool = createPool({ connectionString: stackEnv.databaseUrl, max: 2 });
  const exporter = new ServiceProcess('chargeback-exporter', 3281, {
    DATABASE_URL: stackEnv.databaseUrl,
    CHARGEBACK_API_TOKENS: `${FINANCE}:finance,${TEAM_TOKEN}:team:${TEAM}`,
    LOG_LEVEL: 'warn',
  });
  const calls = Array.from({ length: 6 }, (_, n) => priced(n));
  // a re-pricing of call 0 (answers) adds 1,234 nanos: spend counts it once, in statement and check
  const REPRICED = 1234n;
  const spent = calls.reduce((sum, call) => sum + BigInt(call.cost.total_nanos), REPRICED);
  const answers = calls
    .filter((call) => call.feature === 'answers')
    .reduce((sum, call) => sum + BigInt(call.cost.total_nanos), REPRICED);
  // the plain budget is a third of what was spent, rounded to the nano: the rest is above it
  const limit = spent / 3n;
  let overrideId = '';

  beforeAll(async () => {
    await migrate(pool);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tt-budget-statement-')), 'org.yaml');
    writeFileSync(
      file,
      `teams:
  - { id: ${TEAM}, name: Budgeted ${RUN} }
budgets:
  - { team: ${TEAM}, monthly_usd: '0.${limit.toString().padStart(9, '0')}', mode: hard }
  - { team: ${TEAM}, feature: answers, monthly_usd: '1000', mode: soft }
`,
    );
    tally('org', 'apply', file);
    expect(spent).toBeGreaterThan(0n);
    expect(spent).toBeLessThan(1_000_000_000n); // the budget above is written as 0.xxxxxxxxx
    const ledger = new LedgerRepository(pool);
    expect(await ledger.record(calls)).toMatchObject({ inserted: calls.length });
    const call = calls[0]!;
    const delta = Object.fromEntries(
      COST_COLUMNS.map((c) => [c, c === 'output_nanos' || c === 'total_nanos' ? REPRICED : 0n]),
    ) as Record<CostColumn, bigint>;
    const adjustment = {
      adjustmentId: `${RUN}-reprice`,
      eventId: call.event_id,
      occurredAt: call.occurred_at,
      traceId: call.trace_id,
      period: PERIOD,
      bookedAt: Date.now(),
      teamId: TEAM,
      userRef: call.user_ref ?? null,
      tenantRef: null,
      ownerSource: call.owner_source,
      projectId: null,
      promptTemplateVersion: null,
      feature: call.feature,
      workflow: call.workflow ?? null,
      environment: call.environment,
      provider: call.provider,
      model: call.model,
      delta,
      rateCardId: call.rate_card_id,
      rateCardVersion: call.rate_card_version,
      rateMultiplierId: null,
      rateMultiplierVersion: null,
      fxRateId: null,
      reason: 'test',
    };
    expect(await ledger.adjust([adjustment])).toBe(1);
    const out = tally(
      'budget',
      'override',
      '--team',
      TEAM,
      '--amount',
      '5.25',
      '--reason-code',
      'CUSTOMER_COMMITMENT',
      '--approver',
      'cfo@example.com',
      '--expires',
      '2099-12-31',
      '--note',
      'pilot for ACME, signed off in the QBR',
    );
    overrideId = /override (\S+):/.exec(out)?.[1] ?? '';
    expect(overrideId).toMatch(/^ovr-/);
    exporter.start();
    await exporter.healthy();
  });
  afterAll(async () => {
    await exporter.stop();
    await pool.end();
  });

  const expectControls = (controls: Controls): void => {
    expect(controls.overrides).toEqual([
      {
        override_id: overrideId,
        feature: null,
        environment: null,
        amount_nanos: '5250000000',
        reason_code: 'CUSTOMER_COMMITMENT',
        approver: 'cfo@example.com',
        note: 'pilot for ACME, signed off in the QBR',
        created_at: expect.stringMatching(new RegExp(`^${PERIOD}`)),
        expires_at: '2099-12-31T23:59:59.999Z',
      },
    ]);
    expect(controls.budgets).toEqual([
      {
        feature: null,
        environment: null,
        mode: 'hard',
        limit_nanos: limit.toString(),
        override_nanos: '5250000000',
        spent_nanos: spent.toString(),
        above_budget_nanos: (spent - limit).toString(),
      },
      {
        feature: 'answers',
        environment: null,
        mode: 'soft',
        limit_nanos: '1000000000000',
        override_nanos: '0',
        spent_nanos: answers.toString(),
        above_budget_nanos: '0',
      },
    ]);
  };

  it('the statement JSON lists the override and the spend above the plain budget, for finance and the team', async () => {
    for (const token of [FINANCE, TEAM_TOKEN]) {
      const response = await fetch(`${exporter.url}/v1/statements/${PERIOD}?team=${TEAM}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        teams: { team_id: string; budget_controls: Controls }[];
        summary: string[];
      };
      expect(body.teams.map((t) => t.team_id)).toEqual([TEAM]);
      expectControls(body.teams[0]!.budget_controls);
      expect(body.summary).toEqual(
        expect.arrayContaining([
          expect.stringContaining(
            `Budget override: Budgeted ${RUN} ${overrideId} $5.25 on all, CUSTOMER_COMMITMENT`,
          ),
          expect.stringMatching(new RegExp(`^Above budget: Budgeted ${RUN} spent \\$`)),
        ]),
      );
    }
  });

  it('the budget status route carries the same controls', async () => {
    const response = await fetch(`${exporter.url}/v1/budgets/${PERIOD}?team=${TEAM}`, {
      headers: { authorization: `Bearer ${TEAM_TOKEN}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { team_id: string; budget_controls: Controls }[];
    expect(body.map((t) => t.team_id)).toEqual([TEAM]);
    expectControls(body[0]!.budget_controls);
  });

  it('the CSV export and tally report carry the same rows', async () => {
    const response = await fetch(`${exporter.url}/v1/exports/${PERIOD}?format=csv&team=${TEAM}`, {
      headers: { authorization: `Bearer ${FINANCE}` },
    });
    expect(response.status).toBe(200);
    for (const text of [
      await response.text(),
      tally('report', '--period', PERIOD, '--team', TEAM, '--format', 'csv'),
    ]) {
      const { rows } = parseCsv(text);
      expect(rows.find((r) => r.dimension === 'override')).toMatchObject({
        key: overrideId,
        scope: 'all',
        override_usd: '5.25',
        reason_code: 'CUSTOMER_COMMITMENT',
        approver: 'cfo@example.com',
        expires_at: '2099-12-31T23:59:59.999Z',
        note: 'pilot for ACME, signed off in the QBR',
      });
      expect(rows.find((r) => r.dimension === 'budget' && r.key === 'all')).toMatchObject({
        total_nanos: spent.toString(),
        above_budget_nanos: (spent - limit).toString(),
      });
    }
    const json = JSON.parse(tally('report', '--period', PERIOD, '--team', TEAM, '--format', 'json')) as {
      teams: { budget_controls: Controls }[];
    };
    expectControls(json.teams[0]!.budget_controls);
  });

  it("the statement's spend in a scope is what the budget check counts for it, adjustments once", async () => {
    const scope = { teamId: TEAM, feature: null, environment: null };
    const counted = await new BudgetRepository(pool).monthToDate(PERIOD, [
      { ...scope, scope: budgetScopeKey(scope) },
    ]);
    expect(counted.get(budgetScopeKey(scope))).toBe(spent);
  });
});
