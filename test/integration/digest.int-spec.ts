import { PostgresAlertStore } from '@tokentally/adapters-postgres-alerts';
import { DigestSchema } from '@tokentally/domain-digest';
import {
  A,
  B,
  cost,
  current,
  FINANCE,
  OperatorStack,
  previous,
  RUN,
  spike,
  TEAM_A,
  WEEK,
  week,
} from './fixtures/operator-stack';
import { tally } from './tally';

describe('the weekly audit digest on the finance API and `tally digest`, on the real stack', () => {
  const stack = new OperatorStack(3238);
  const { pool } = stack;
  const call = stack.call.bind(stack);

  beforeAll(async () => {
    await stack.start();
    // feedback on the open spike, as someone gave it during the week
    await new PostgresAlertStore(pool).addFeedback({
      alert_id: spike.alert_id,
      verdict: 'planned',
      reason: 'launch of the new classifier',
      author: 'alice@example.com',
    });
  });
  afterAll(() => stack.stop());

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
});
