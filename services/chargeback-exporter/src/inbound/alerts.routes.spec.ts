import { AlertParams, AlertsQuery, DigestQuery, FeedbackBody } from './alerts.routes';
import { financeOpenApi } from './finance.routes';

describe('operator routes', () => {
  it('parse event-time filters exactly and default the limit', () => {
    expect(AlertsQuery.parse({ since: '2026-11-16', until: '2026-11-23T00:00:00Z', status: 'open' })).toEqual(
      {
        since: Date.UTC(2026, 10, 16),
        until: Date.UTC(2026, 10, 23),
        status: 'open',
        limit: 100,
      },
    );
  });

  it.each<[string, unknown, boolean]>([
    ['status open', { status: 'open' }, true],
    ['status updated (not a filter)', { status: 'updated' }, false],
    ['unknown kind', { kind: 'boom' }, false],
    ['limit 1001', { limit: '1001' }, false],
    ['limit 1.5', { limit: '1.5' }, false],
    ['since garbage', { since: 'yesterday' }, false],
    ['hostile team', { team: "x' OR 1=1; --" }, false],
  ])('alerts query: %s', (_name, query, ok) => {
    expect(AlertsQuery.safeParse(query).success).toBe(ok);
  });

  it('accept alert ids, feedback bodies and ISO weeks only in their shape', () => {
    expect(AlertParams.safeParse({ alertId: 'al_0123456789abcdef01234567' }).success).toBe(true);
    expect(AlertParams.safeParse({ alertId: "al_1' OR '1'='1" }).success).toBe(false);
    expect(FeedbackBody.safeParse({ verdict: 'not_an_issue', reason: 'load test' }).success).toBe(true);
    expect(FeedbackBody.safeParse({ verdict: 'not an issue', reason: 'load test' }).success).toBe(false);
    expect(FeedbackBody.safeParse({ verdict: 'expected' }).success).toBe(false);
    expect(DigestQuery.safeParse({ week: '2026-W47' }).success).toBe(true);
    expect(DigestQuery.safeParse({ week: '2026-11' }).success).toBe(false);
  });

  it('document the alert shapes for API clients', () => {
    const document = financeOpenApi();
    const schemas = document.components?.schemas ?? {};
    expect(Object.keys(schemas)).toEqual(
      expect.arrayContaining(['AlertSummary', 'AlertDetail', 'AlertFeedback', 'Digest']),
    );
    const detail = schemas['AlertDetail'] as { properties?: Record<string, unknown> };
    expect(Object.keys(detail.properties ?? {})).toEqual(
      expect.arrayContaining(['drivers', 'revisions', 'feedback', 'delta_nanos', 'explanation']),
    );
    expect(document.paths?.['/v1/alerts/{alertId}/feedback']?.post?.requestBody).toBeDefined();
  });
});
