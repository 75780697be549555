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

  // last: the overrides granted here join the one the earlier tests expect alone
  it('finance grants an override over HTTP (POST /v1/budget/overrides); a team token may read, not grant', async () => {
    const post = (token: string, body: object): Promise<Response> =>
      fetch(`${exporter.url}/v1/budget/overrides`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const request = {
      team_id: TEAM,
      feature: 'answers',
      amount_usd: '12.50',
      reason_code: 'INCIDENT_RESPONSE',
      approver: 'controller@example.com',
      expires: '2099-06-30',
      note: 'incident 4711 backfill',
      granted_by: 'erin@example.com',
    };
    expect((await post(TEAM_TOKEN, request)).status).toBe(403);
    const refused = await post(FINANCE, { ...request, approver: 'nobody', expires: '2001-01-01' });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string[] }).message).toEqual([
      'approver: must be an e-mail address',
      'expires: must be in the future',
    ]);
    const malformed = await post(FINANCE, { ...request, amount_usd: 12.5 });
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(await malformed.json())).toContain('amount_usd');

    const granted = await post(FINANCE, request);
    expect(granted.status).toBe(201);
    const override = (await granted.json()) as Record<string, string | null>;
    expect(override).toMatchObject({
      team_id: TEAM,
      feature: 'answers',
      amount_nanos: '12500000000',
      reason_code: 'INCIDENT_RESPONSE',
      expires_at: '2099-06-30T23:59:59.999Z',
    });
    const listed = await fetch(`${exporter.url}/v1/budget/overrides`, {
      headers: { authorization: `Bearer ${TEAM_TOKEN}` },
    });
    const { overrides } = (await listed.json()) as { overrides: { override_id: string }[] };
    expect(overrides.map((o) => o.override_id).sort()).toEqual([overrideId, override['override_id']].sort());
    const { rows } = await pool.query<{ created_by: string }>(
      'SELECT created_by FROM tokentally.budget_overrides WHERE override_id = $1',
      [override['override_id']],
    );
    expect(rows[0]?.created_by).toBe('token:finance:erin@example.com');
    const statement = await fetch(`${exporter.url}/v1/statements/${PERIOD}?team=${TEAM}`, {
      headers: { authorization: `Bearer ${FINANCE}` },
    });
    const body = (await statement.json()) as { teams: { budget_controls: Controls }[] };
    const answersBudget = body.teams[0]!.budget_controls.budgets.find((b) => b['feature'] === 'answers');
    expect(answersBudget?.['override_nanos']).toBe('12500000000');
  });
});
