import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BudgetRepository } from '@tokentally/adapters-postgres-budget';
import { OrgRepository } from '@tokentally/adapters-postgres-ledger';
import { parseOrgDeclaration } from '@tokentally/domain-enrichment';
import { createPool, migrate } from '@tokentally/platform-db';
import { stackEnv, waitUntil } from '@tokentally/testing';
import { parse } from 'yaml';
import { ServiceProcess } from './service-process';
import { tally } from './tally';

const RUN = randomBytes(4).toString('hex');
const TEAM = `it-borg-${RUN}`;
const KEY = `it-borg-key-${RUN}`;
const TOKEN = `it-budget-org-gateway-token-${RUN}`;
const DIR = mkdtempSync(path.join(tmpdir(), 'tt-budget-org-'));

const orgFile = (name: string, sections: string): string => {
  const file = path.join(DIR, name);
  writeFileSync(
    file,
    `teams:
  - { id: ${TEAM}, name: Budgeted }
api_keys:
  - { id: ${KEY}, team: ${TEAM} }
${sections}`,
  );
  return file;
};

/**
 * Budgets and caps written by `tally org apply` alone, in the org registry's transaction, and enforced
 * by a real pricer: a hard team budget, a feature budget still in its tuning period, a per-minute cap.
 * gpt-4o-mini: $0.15 input and $0.60 output per 1M tokens, so 1M + 1M tokens is $0.75 worst case.
 */
describe('budgets in the org file: tally org apply stores them, the pricer enforces them', () => {
  const pool = createPool({ connectionString: stackEnv.databaseUrl, max: 2 });
  const pricer = new ServiceProcess('pricer', 3280, {
    DATABASE_URL: stackEnv.databaseUrl,
    LOG_LEVEL: 'warn',
    KAFKA_CONSUMER_GROUP: `it-budget-org-${RUN}`,
    BUDGET_POLICY_REFRESH_MS: '300',
    BUDGET_REFRESH_MS: '300',
    BUDGET_TOKENS: TOKEN,
  });
  let n = 0;
  const check = async (body: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const response = await fetch(`${pricer.url}/v1/budget/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({
        team_id: TEAM,
        feature: 'answers',
        environment: 'prod',
        provider: 'openai',
        model: 'gpt-4o-mini',
        input_tokens: 1_000_000,
        max_output_tokens: 1_000_000,
        event_id: `${RUN}-${n++}`,
        ...body,
      }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  };

  beforeAll(async () => {
    await migrate(pool);
    pricer.start();
    await pricer.healthy();
  });
  afterAll(async () => {
    await pricer.stop(5000);
    await pool.end();
  });

  it('stores monthly team and feature budgets, modes, tuning period and caps from the file', async () => {
    const out = tally(
      'org',
      'apply',
      orgFile(
        'with-budgets.yaml',
        `budgets:
  - { team: ${TEAM}, monthly_usd: '0.5', mode: hard }
  - { team: ${TEAM}, feature: drafts, environment: staging, monthly_usd: '0.1', mode: hard, soft_until: '2099-01-01', warn_at_percent: 50 }
request_caps:
  - { api_key: ${KEY}, per_minute: 2 }
`,
      ),
    );
    expect(out).toMatch(
      /applied: 1 teams, 1 api keys, 0 service accounts, 0 allocation rules, 2 budgets, 1 request caps/,
    );
    const stored = await new BudgetRepository(pool).load();
    expect(stored.rules).toEqual([
      {
        teamId: TEAM,
        feature: 'drafts',
        environment: 'staging',
        monthlyLimitNanos: 100_000_000n,
        mode: 'hard',
        softUntil: Date.UTC(2099, 0, 1),
        warnAtBp: 5000,
      },
      {
        teamId: TEAM,
        feature: null,
        environment: null,
        monthlyLimitNanos: 500_000_000n,
        mode: 'hard',
        softUntil: null,
        warnAtBp: 8000,
      },
    ]);
    expect(stored.caps).toEqual([{ kind: 'api_key', id: KEY, perMinute: 2 }]);
  });

  it('the pricer holds calls to them: hard denies, the tuning period warns, the cap stops a key', async () => {
    const denied = await waitUntil(
      'the pricer picked up the org file budgets',
      async () => {
        const answer = await check({});
        return answer['decision'] === 'deny' ? answer : undefined;
      },
      20_000,
      300,
    );
    expect(denied).toMatchObject({ reason_code: 'OVER_HARD_BUDGET', estimate_nanos: '750000000' });
    // $0.075: within the team's $0.50
    const small = { input_tokens: 100_000, max_output_tokens: 100_000 };
    expect(await check(small)).toMatchObject({ decision: 'allow', reason_code: 'WITHIN_BUDGET' });
    // $0.15 passes the $0.10 drafts budget in staging, hard only from 2099 on: until then it warns
    const tuning = await check({
      feature: 'drafts',
      environment: 'staging',
      input_tokens: 0,
      max_output_tokens: 250_000,
    });
    expect(tuning).toMatchObject({ decision: 'warn', reason_code: 'OVER_SOFT_BUDGET' });
    // the same call in prod is held to the team budget only
    const prod = { feature: 'drafts', environment: 'prod', input_tokens: 0, max_output_tokens: 250_000 };
    expect(await check(prod)).toMatchObject({ decision: 'allow', reason_code: 'WITHIN_BUDGET' });
    // the key's cap: 2 per minute, the third is stopped whatever the budget
    const viaKey = { team_id: undefined, api_key_id: KEY, input_tokens: 1, max_output_tokens: 1 };
    const byKey = [await check(viaKey), await check(viaKey), await check(viaKey)];
    expect(byKey.map((a) => a['decision'])).toEqual(['allow', 'allow', 'deny']);
    expect(byKey[2]).toMatchObject({ reason_code: 'RATE_LIMITED' });
  });

  it('serves the OpenAPI description of the route, and a real answer has exactly the documented fields', async () => {
    const response = await fetch(`${pricer.url}/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties: Record<string, unknown>; required: string[] }> };
    };
    expect(Object.keys(document.paths['/v1/budget/check'] ?? {})).toEqual(['post']);
    const documented = document.components.schemas['BudgetCheckAnswer'];
    const real = await check({ input_tokens: 1, max_output_tokens: 1 });
    expect(Object.keys(real).sort()).toEqual(Object.keys(documented?.properties ?? {}).sort());
    expect([...(documented?.required ?? [])].sort()).toEqual(Object.keys(real).sort());
  });

  it('one apply is atomic: a budget the database refuses leaves the previous registry whole', async () => {
    const parsed = parseOrgDeclaration(
      parse(`teams:
  - { id: ${TEAM}-other }
budgets:
  - { team: ${TEAM}-other, monthly_usd: '1' }
`),
    );
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    const broken = { ...parsed.value, budgets: parsed.value.budgets!.map((b) => ({ ...b, warnAtBp: 0 })) };
    const org = new OrgRepository(pool);
    const before = await org.currentVersion();
    await expect(org.apply(broken)).rejects.toThrow(/warn_at_bp/);
    expect(await org.currentVersion()).toBe(before);
    const { rows } = await pool.query<{ team_id: string }>('SELECT team_id FROM tokentally.teams');
    expect(rows.map((r) => r.team_id)).toEqual([TEAM]);
    expect((await new BudgetRepository(pool).load()).rules.map((r) => r.teamId)).toEqual([TEAM, TEAM]);
  });

  it('a file without budgets removes them, and the pricer stops enforcing them', async () => {
    expect(tally('org', 'apply', orgFile('without-budgets.yaml', ''))).toMatch(/0 budgets, 0 request caps/);
    expect(await new BudgetRepository(pool).load()).toMatchObject({ rules: [], caps: [] });
    const freed = await waitUntil(
      'the pricer dropped the budgets',
      async () => {
        const answer = await check({});
        return answer['reason_code'] === 'NO_BUDGET' ? answer : undefined;
      },
      20_000,
      300,
    );
    expect(freed['decision']).toBe('allow');
  });
});
