import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AlertsRepository } from '@tokentally/adapters-postgres-alerts';
import { BudgetRepository } from '@tokentally/adapters-postgres-budget';
import { LedgerRepository } from '@tokentally/adapters-postgres-ledger';
import { AlertDetailSchema, AlertSummarySchema, FeedbackResponse } from '@tokentally/domain-anomaly';
import { DigestSchema } from '@tokentally/domain-digest';
import { createPool, inTransaction, migrate } from '@tokentally/platform-db';
import { KafkaHarness, stackEnv } from '@tokentally/testing';
import {
  RUN,
  A,
  B,
  FINANCE,
  TEAM_A,
  WEEK,
  week,
  DAY,
  current,
  previous,
  cost,
  spike,
  spikeUpdate,
  resolvedOnce,
  resolved,
  other,
} from './fixtures/operator-data';
import { ServiceProcess } from './service-process';
import { tally } from './tally';

describe('operator surface: alerts, feedback and the weekly digest on the real stack', () => {
  const pool = createPool({ connectionString: stackEnv.databaseUrl, max: 3 });
  const harness = new KafkaHarness();
  const service = new ServiceProcess('chargeback-exporter', 3237, {
    DATABASE_URL: stackEnv.databaseUrl,
    CHARGEBACK_API_TOKENS: `${FINANCE}:finance,${TEAM_A}:team:${A}`,
    LOG_LEVEL: 'warn',
  });
  const call = (url: string, token?: string, body?: unknown): Promise<Response> =>
    fetch(`${service.url}${url}`, {
      ...(body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) }),
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
    });
  const ids = [spike.alert_id, resolvedOnce.alert_id, other.alert_id];
  const inWeek = `since=${new Date(week.start).toISOString()}&until=${new Date(week.end).toISOString()}`;

  beforeAll(async () => {
    await harness.start();
    await migrate(pool);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'org-')), 'org.yaml');
    writeFileSync(
      file,
      `teams:
  - { id: ${A}, name: Search ${RUN}, monthly_budget_usd: "20" }
  - { id: ${B}, name: Support ${RUN} }
`,
    );
    tally('org', 'apply', file);
    const ledger = new LedgerRepository(pool);
    await ledger.record(current);
    await ledger.record(previous);
    await new AlertsRepository(pool).insert([spike, spikeUpdate, ...resolved, other]);
    // a gateway budget rule on classify ($5) and a $1 override in effect at the week's end
    const budgets = new BudgetRepository(pool);
    const client = await pool.connect();
    await inTransaction(client, () =>
      budgets.replaceDeclaration(client, {
        rules: [
          {
            teamId: A,
            feature: 'classify',
            environment: null,
            monthlyLimitNanos: 5_000_000_000n,
            mode: 'soft',
            softUntil: null,
            warnAtBp: 8000,
          },
        ],
        caps: [],
      }),
    ).finally(() => client.release());
    await budgets.addOverride(
      {
        id: `ovr-${RUN}`,
        teamId: A,
        feature: 'classify',
        environment: null,
        amountNanos: 1_000_000_000n,
        reasonCode: 'PRODUCT_LAUNCH',
        approver: 'cfo@example.com',
        note: 'launch week',
        createdAt: week.start,
        expiresAt: week.end + DAY,
      },
      'operator.int-spec',
    );
    service.start();
    await service.healthy();
  });

  afterAll(async () => {
    await service.stop();
    await harness.stop();
    await pool.query('DELETE FROM tokentally.alert_feedback WHERE alert_id = ANY($1)', [ids]);
    await pool.query('DELETE FROM tokentally.alerts WHERE alert_id = ANY($1)', [ids]);
    // (the override stays: overrides are an audit trail the database refuses to delete)
    await pool.query('DELETE FROM tokentally.budget_rules WHERE team_id = $1', [A]);
    const from = new Date(week.start - 7 * DAY);
    const to = new Date(week.end);
    const monthStart = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1));
    await pool.query(
      `DELETE FROM tokentally.ledger_event_keys k USING tokentally.ledger l
        WHERE l.event_id = k.event_id AND l.occurred_at = k.occurred_at AND l.event_id LIKE $1`,
      [`${RUN}-%`],
    );
    await pool.query('DELETE FROM tokentally.ledger WHERE event_id LIKE $1', [`${RUN}-%`]);
    for (const table of ['rollup_hourly', 'rollup_daily', 'rollup_monthly'])
      await pool.query(
        `DELETE FROM tokentally.${table} WHERE team_id = ANY($1) OR (team_id = 'unattributed' AND bucket >= $2 AND bucket < $3)`,
        [[A, B], table === 'rollup_monthly' ? monthStart : from, to],
      );
    await pool.end();
  });

  type Summary = {
    alert_id: string;
    status: string;
    team_id: string;
    delta_nanos: string;
    latest_feedback: unknown;
  };
  const list = async (query: string, token = FINANCE): Promise<Summary[]> => {
    const response = await call(`/v1/alerts?${query}`, token);
    expect(response.status).toBe(200);
    const { alerts } = (await response.json()) as { alerts: Summary[] };
    // the documented (OpenAPI) shape, strictly: no field missing, none undocumented
    for (const alert of alerts) AlertSummarySchema.parse(alert);
    return alerts;
  };

  it('lists the latest revision of each alert, filtered on that revision, in event time', async () => {
    const all = await list(`${inWeek}&limit=1000`);
    expect(all.filter((a) => ids.includes(a.alert_id)).map((a) => [a.alert_id, a.status])).toEqual(
      expect.arrayContaining([
        [spike.alert_id, 'updated'],
        [resolvedOnce.alert_id, 'resolved'],
        [other.alert_id, 'open'],
      ]),
    );
    // the resolved alert's first revision was "open": it is not open any more
    const open = await list(`team=${A}&status=open&${inWeek}`);
    expect(open.map((a) => a.alert_id)).toEqual([spike.alert_id]);
    expect(open[0]?.delta_nanos).toBe('7000000000');
    expect((await list(`team=${A}&status=resolved`)).map((a) => a.alert_id)).toEqual([resolvedOnce.alert_id]);
    expect(await list(`team=${A}&since=${new Date(week.end).toISOString()}`)).toEqual([]);
    expect((await list(`team=${A}&kind=prompt_growth&limit=1`)).length).toBe(1);
  });

  it('scopes team tokens to their team: 403 for another team, 400 for bad filters, 401 without a token', async () => {
    const own = await list(inWeek, TEAM_A);
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((a) => a.team_id === A)).toBe(true);
    expect((await call(`/v1/alerts?team=${B}`, TEAM_A)).status).toBe(403);
    expect((await call(`/v1/alerts/${other.alert_id}`, TEAM_A)).status).toBe(403);
    expect((await call('/v1/alerts')).status).toBe(401);
    for (const bad of [
      'status=closed',
      'kind=boom',
      'limit=0',
      'since=yesterday',
      `team=${encodeURIComponent("x' OR 1=1")}`,
    ])
      expect((await call(`/v1/alerts?${bad}`, FINANCE)).status).toBe(400);
    expect((await call('/v1/alerts/al_000000000000000000000000', FINANCE)).status).toBe(404);
  });

  it('shows one alert with drivers that sum to the change exactly, and its revisions', async () => {
    const response = await call(`/v1/alerts/${spike.alert_id}`, TEAM_A);
    expect(response.status).toBe(200);
    const json: unknown = await response.json();
    AlertDetailSchema.parse(json);
    const body = json as {
      delta_nanos: string;
      explanation: string;
      drivers: { cause: string; delta_nanos: string; share_bp: number; template_version: string | null }[];
      revisions: { revision: number; status: string }[];
    };
    expect(body.explanation).toBe(spike.explanation);
    expect(body.drivers.map((d) => [d.cause, d.delta_nanos, d.share_bp, d.template_version])).toEqual([
      ['prompt_size', '6300000001', 9000, 'v7'],
      ['traffic', '699999999', 1000, null],
    ]);
    expect(body.drivers.reduce((s, d) => s + BigInt(d.delta_nanos), 0n).toString()).toBe(body.delta_nanos);
    expect(body.revisions.map((r) => `${r.revision}:${r.status}`)).toEqual(['1:open', '2:updated']);
  });

  it('stores feedback with who and when, where the detector reads it; refuses other teams and bad input', async () => {
    const before = new Date(Date.now() - 60_000);
    const response = await call(`/v1/alerts/${spike.alert_id}/feedback`, TEAM_A, {
      verdict: 'planned',
      reason: 'launch of the new classifier',
      author: 'alice@example.com',
    });
    expect(response.status).toBe(201);
    const body = FeedbackResponse.parse(await response.json());
    expect(body.feedback.author).toBe(`alice@example.com (token:team:${A})`);
    expect(Date.parse(body.suppressed_until)).toBe(spikeUpdate.detected_at + 7 * DAY);
    expect(
      (await call(`/v1/alerts/${other.alert_id}/feedback`, TEAM_A, { verdict: 'expected', reason: 'x' }))
        .status,
    ).toBe(403);
    expect(
      (await call(`/v1/alerts/${spike.alert_id}/feedback`, TEAM_A, { verdict: 'fine', reason: 'x' })).status,
    ).toBe(400);
    expect(
      (await call(`/v1/alerts/${spike.alert_id}/feedback`, TEAM_A, { verdict: 'expected', reason: ' ' }))
        .status,
    ).toBe(400);
    // the rows the detector polls (AlertsRepository.feedbackSince) are the ones the route wrote
    const polled = await new AlertsRepository(pool).feedbackSince(before);
    expect(polled.filter((f) => ids.includes(f.alert_id)).map((f) => [f.alert_id, f.verdict])).toEqual([
      [spike.alert_id, 'planned'],
    ]);
    const [listed] = await list(`team=${A}&status=open`);
    expect(listed?.latest_feedback).toMatchObject({
      verdict: 'planned',
      reason: 'launch of the new classifier',
    });
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/tokentally_operator_alert_feedback_total\{[^}]*verdict="planned"[^}]*\} 1/);
    expect(metrics).toMatch(/tokentally_operator_alerts_served_total\{[^}]*route="list"[^}]*\} [1-9]/);
  });

  it('digests the week: team spend to the nano vs the week before, explained changes, budget, unowned share, actions', async () => {
    const response = await call(`/v1/digest?week=${WEEK}`, FINANCE);
    expect(response.status).toBe(200);
    type Digest = {
      week: string;
      previous_week: string;
      totals: { spend_nanos: string };
      teams: {
        team_id: string;
        spend_nanos: string;
        previous_nanos: string;
        change_nanos: string;
        top_changes: {
          dimension: string;
          key: string;
          change_nanos: string;
          alerts: { alert_id: string; kind: string; explanation: string }[];
        }[];
        open_alerts: { alert_id: string; feedback: string | null }[];
        budgets: { source: string; feature: string | null; budget_nanos: string; spent_nanos: string }[];
      }[];
      unattributed: { spend_nanos: string; total_nanos: string };
      actions: { rule: string; team_id: string | null; feature: string | null; model: string | null }[];
    };
    const json: unknown = await response.json();
    DigestSchema.parse(json);
    const digest = json as Digest;
    expect(digest.week).toBe(WEEK);
    const team = (id: string) => digest.teams.find((t) => t.team_id === id);
    const a = team(A);
    expect(BigInt(a?.spend_nanos ?? '')).toBe(cost(current, A));
    expect(BigInt(a?.previous_nanos ?? '')).toBe(cost(previous, A));
    expect(BigInt(a?.change_nanos ?? '')).toBe(cost(current, A) - cost(previous, A));
    expect(BigInt(team(B)?.spend_nanos ?? '')).toBe(cost(current, B));
    const { rows } = await pool.query<{ total: bigint }>(
      'SELECT coalesce(sum(total_nanos), 0)::bigint AS total FROM tokentally.ledger WHERE occurred_at >= $1 AND occurred_at < $2',
      [new Date(week.start), new Date(week.end)],
    );
    expect(BigInt(digest.totals.spend_nanos)).toBe(rows[0]?.total);
    expect(BigInt(digest.unattributed.spend_nanos)).toBe(cost(current, 'unattributed'));
    const classifyChange = a?.top_changes.find((c) => c.dimension === 'feature' && c.key === 'classify');
    expect(classifyChange?.alerts).toContainEqual({
      alert_id: spike.alert_id,
      kind: spike.kind,
      explanation: spike.explanation,
    });
    expect(BigInt(classifyChange?.change_nanos ?? '')).toBe(cost(current, A) - cost(previous, A));
    expect(a?.open_alerts.map((x) => [x.alert_id, x.feedback])).toEqual([[spike.alert_id, 'planned']]);
    // month to date at the week's end, as the ledger has it: the team budget and the gateway rule
    const monthStart = new Date(
      Date.UTC(new Date(week.end - 1).getUTCFullYear(), new Date(week.end - 1).getUTCMonth(), 1),
    );
    const mtd = async (feature: string | null): Promise<string> => {
      const { rows } = await pool.query<{ nanos: bigint }>(
        `SELECT coalesce(sum(total_nanos), 0)::bigint AS nanos FROM tokentally.ledger
          WHERE team_id = $1 AND ($2::text IS NULL OR feature = $2) AND occurred_at >= $3 AND occurred_at < $4`,
        [A, feature, monthStart, new Date(week.end)],
      );
      return String(rows[0]?.nanos);
    };
    expect(a?.budgets.map((b) => [b.source, b.feature, b.budget_nanos, b.spent_nanos])).toEqual([
      ['team', null, '20000000000', await mtd(null)],
      ['gateway', 'classify', '6000000000', await mtd('classify')],
    ]);
    expect(digest.actions).toContainEqual(
      expect.objectContaining({
        rule: 'premium_model_short_outputs',
        team_id: A,
        feature: 'classify',
        model: 'gpt-4o',
      }),
    );
    expect(digest.actions).toContainEqual(expect.objectContaining({ rule: 'unreviewed_alerts', team_id: B }));
    const own = DigestSchema.parse(await (await call(`/v1/digest?week=${WEEK}`, TEAM_A)).json());
    expect(own.teams.map((t) => t.team_id)).toEqual([A]);
    expect(own.unattributed).toBeNull();
    expect(own.actions.every((x) => x.team_id === A)).toBe(true);
    expect((await call(`/v1/digest?week=${WEEK}&team=${B}`, TEAM_A)).status).toBe(403);
    for (const bad of ['2026-47', '2027-W53', encodeURIComponent("2026-W47' --")])
      expect((await call(`/v1/digest?week=${bad}`, FINANCE)).status).toBe(400);
    // the CLI assembles the same digest through the same use case
    expect(JSON.parse(tally('digest', '--week', WEEK, '--json'))).toEqual(digest);
    const text = tally('digest', '--week', WEEK, '--team', A);
    expect(text).toContain(`Search ${RUN} (${A})`);
    expect(text).toContain('[premium_model_short_outputs]');
    expect(text).not.toContain(B);
  });

  it('tally alerts list | show | feedback work on the same store', () => {
    const listed = tally('alerts', 'list', '--team', B, '--status', 'open');
    expect(listed).toContain(other.alert_id);
    expect(listed).toContain('+$7.00');
    const shown = tally('alerts', 'show', other.alert_id);
    expect(shown).toContain(other.explanation);
    expect(shown).toMatch(/prompt_size\s+feature answers \(template v7\)\s+\$6\.30\s+6300000001\s+90\.00%/);
    expect(shown).toMatch(/total\s+\$7\.00\s+7000000000/);
    const given = tally(
      'alerts',
      'feedback',
      other.alert_id,
      '--verdict',
      'not_an_issue',
      '--reason',
      'load test',
    );
    expect(given).toContain('not_an_issue recorded by cli:');
    const json = JSON.parse(tally('alerts', 'show', other.alert_id, '--json')) as {
      feedback: { verdict: string; reason: string }[];
    };
    expect(json.feedback).toEqual([
      expect.objectContaining({ verdict: 'not_an_issue', reason: 'load test' }),
    ]);
    expect(() =>
      tally('alerts', 'feedback', other.alert_id, '--verdict', 'whatever', '--reason', 'x'),
    ).toThrow(/--verdict/);
    expect(() => tally('alerts', 'show', 'al_000000000000000000000000')).toThrow(/no alert/);
  });
});
