import { AlertsRepository } from '@tokentally/adapters-postgres-alerts';
import { AlertDetailSchema, AlertSummarySchema, FeedbackResponse } from '@tokentally/domain-anomaly';
import {
  A,
  B,
  DAY,
  FINANCE,
  OperatorStack,
  other,
  resolvedOnce,
  spike,
  spikeUpdate,
  TEAM_A,
  week,
} from './fixtures/operator-stack';
import { tally } from './tally';

describe('alerts on the finance API and `tally alerts`, on the real stack', () => {
  const stack = new OperatorStack(3237);
  const { pool, ids } = stack;
  const call = stack.call.bind(stack);
  const inWeek = `since=${new Date(week.start).toISOString()}&until=${new Date(week.end).toISOString()}`;

  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

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
    const metrics = await (await fetch(`${stack.service.url}/metrics`)).text();
    expect(metrics).toMatch(/tokentally_operator_alert_feedback_total\{[^}]*verdict="planned"[^}]*\} 1/);
    expect(metrics).toMatch(/tokentally_operator_alerts_served_total\{[^}]*route="list"[^}]*\} [1-9]/);
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
