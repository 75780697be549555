import type { AlertEvent } from '@tokentally/contracts';
import { AlertOperations, OperatorError, readableTeam, type OperatorCaller } from './operator';
import type { AlertFeedback, AlertStore, StoredAlert } from './operator.ports';
import { AlertDetailSchema, AlertSummarySchema } from './operator-schemas';
import { alertDetailView, alertSummaryView } from './operator-view';

const HOUR = 3_600_000;
const event = (team: string, id: string): AlertEvent => ({
  alert_id: id,
  kind: 'traffic_spike',
  severity: 'warning',
  scope: {
    team_id: team,
    feature: null,
    model: null,
    environment: null,
    workflow: null,
    series: `team:${team}`,
  },
  window_start: Date.UTC(2026, 10, 17, 9),
  window_end: Date.UTC(2026, 10, 17, 10),
  observed_nanos: 9_007_199_254_740_991,
  baseline_nanos: 1,
  explanation: `${team} spiked`,
  drivers: [
    {
      dimension: 'feature',
      key: 'f',
      delta_nanos: 9_007_199_254_740_990,
      share_bp: 10_000,
      cause: 'traffic',
      template_version: null,
    },
  ],
  detected_at: Date.UTC(2026, 10, 17, 10),
  status: 'open',
  revision: 1,
  primary_cause: 'traffic',
  period: null,
  threshold_bp: null,
  budget_nanos: null,
  forecast_crossing_date: null,
});

/** The port kept in memory: what the use cases decide, without a database. */
class MemoryStore implements AlertStore {
  readonly feedback: AlertFeedback[] = [];
  readonly queries: unknown[] = [];
  constructor(private readonly alerts: StoredAlert[]) {}
  list(query: unknown) {
    this.queries.push(query);
    return Promise.resolve(this.alerts);
  }
  get(id: string) {
    const alert = this.alerts.find((a) => a.alert_id === id);
    return Promise.resolve(alert && { alert, revisions: [] });
  }
  addFeedback(f: Omit<AlertFeedback, 'created_at'>) {
    const stored = { ...f, created_at: Date.UTC(2026, 11, 2) };
    this.feedback.push(stored);
    return Promise.resolve(stored);
  }
}

const finance: OperatorCaller = { role: 'finance', team: null, label: 'token:finance' };
const search: OperatorCaller = { role: 'team', team: 'search', label: 'token:team:search' };
const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (e: unknown) => (e instanceof OperatorError ? e.code : String(e)),
  );

describe('alert operations', () => {
  const stored = (team: string, id: string): StoredAlert => ({
    ...event(team, id),
    published_at: null,
    feedback: [],
  });
  const store = new MemoryStore([stored('search', 'al_1'), stored('support', 'al_2')]);
  const ops = new AlertOperations(store);

  it('scopes a team token to its team and lets finance read any', async () => {
    expect(readableTeam(finance, undefined)).toBeUndefined();
    expect(readableTeam(search, undefined)).toBe('search');
    expect(() => readableTeam(search, 'support')).toThrow(OperatorError);
    await ops.list(search, {});
    expect(store.queries.pop()).toEqual({ team: 'search', limit: 100 });
    expect(await code(ops.list(search, { team: 'support' }))).toBe('forbidden');
    expect(await code(ops.list(finance, { limit: 0 }))).toBe('invalid');
    expect(await code(ops.list(finance, { since: 2, until: 1 }))).toBe('invalid');
  });

  it("refuses another team's alert, and an unknown one", async () => {
    expect(await code(ops.show(search, 'al_2'))).toBe('forbidden');
    expect(await code(ops.show(finance, 'al_9'))).toBe('not_found');
    expect(await code(ops.show(finance, 'al_2'))).toBe('ok');
  });

  it('records feedback with its author and says how long repeats are suppressed (event time)', async () => {
    const given = await ops.feedback(search, 'al_1', {
      verdict: 'planned',
      reason: ' launch ',
      author: 'alice',
    });
    expect(store.feedback).toEqual([
      {
        alert_id: 'al_1',
        verdict: 'planned',
        reason: 'launch',
        author: 'alice (token:team:search)',
        created_at: Date.UTC(2026, 11, 2),
      },
    ]);
    expect(given.suppressed_until).toBe(Date.UTC(2026, 10, 17, 10) + 7 * 24 * HOUR);
    expect(await code(ops.feedback(search, 'al_2', { verdict: 'expected', reason: 'x' }))).toBe('forbidden');
    expect(await code(ops.feedback(finance, 'al_2', { verdict: 'not an issue', reason: 'x' }))).toBe(
      'invalid',
    );
    expect(await code(ops.feedback(finance, 'al_2', { verdict: 'expected', reason: '  ' }))).toBe('invalid');
    expect(store.feedback).toHaveLength(1);
  });

  it('shows money as exact nano-USD strings, even at the largest exact event value', () => {
    const alert = stored('search', 'al_1');
    expect(alertSummaryView(alert)).toMatchObject({
      observed_nanos: '9007199254740991',
      baseline_nanos: '1',
      delta_nanos: '9007199254740990',
      window_start: '2026-11-17T09:00:00.000Z',
      budget: null,
      latest_feedback: null,
    });
    // the documented shapes, strictly (no missing, no undocumented field)
    expect(() => AlertSummarySchema.parse(alertSummaryView(alert))).not.toThrow();
    const withFeedback = {
      ...alert,
      feedback: [
        { alert_id: 'al_1', verdict: 'expected' as const, reason: 'r', author: null, created_at: 0 },
      ],
    };
    const detail = alertDetailView(withFeedback, [
      {
        revision: 1,
        status: 'open',
        kind: 'traffic_spike',
        detected_at: 0,
        observed_nanos: 2,
        baseline_nanos: 1,
      },
    ]);
    expect(AlertDetailSchema.parse(detail)).toEqual(detail);
    expect(AlertSummarySchema.safeParse({ ...alertSummaryView(alert), extra: 1 }).success).toBe(false);
    expect(alertDetailView(alert, []).drivers).toEqual([
      {
        cause: 'traffic',
        dimension: 'feature',
        key: 'f',
        delta_nanos: '9007199254740990',
        share_bp: 10_000,
        template_version: null,
      },
    ]);
  });
});
