import type { CallFact } from './call-fact';
import { AnomalyDetector, DEFAULT_DETECTOR_PARAMS, type DetectorParams } from './detector';

// one week of history keeps the spec fast; the bench runs the default four weeks
const PARAMS: DetectorParams = { ...DEFAULT_DETECTOR_PARAMS, weeks: 1, minWeeks: 1 };
import { HOUR_MS, MINUTE_MS, WEEK_MS } from './seasonal-history';
import { fact } from './spec-builders';

const MONDAY = Date.UTC(2026, 10, 2); // 2026-11-02 00:00 UTC, a Monday

/** Calls per minute of a plain office-hours week: busy 8-18 on weekdays, a nightly batch at 02:00. */
function callsAt(t: number): number {
  const day = new Date(t).getUTCDay();
  const hour = new Date(t).getUTCHours();
  if (hour === 2 && new Date(t).getUTCMinutes() < 20) return 8;
  if (day === 0 || day === 6) return 1;
  return hour >= 8 && hour < 18 ? 6 : 2;
}

function minuteFacts(t: number, n: number, overrides: Partial<CallFact> = {}, tag = 'base'): CallFact[] {
  return Array.from({ length: n }, (_, i) =>
    fact({
      event_id: `${tag}-${t}-${i}`,
      occurred_at: t + i * 1000,
      cost_nanos: 500_000_000,
      input_nanos: 250_000_000,
      ...overrides,
    }),
  );
}

function run(weeks: number, incident?: (t: number) => CallFact[]) {
  const detector = new AnomalyDetector(PARAMS);
  const alerts = [];
  for (let t = MONDAY; t < MONDAY + weeks * WEEK_MS; t += MINUTE_MS) {
    detector.ingest([...minuteFacts(t, callsAt(t)), ...(incident?.(t) ?? [])]);
    alerts.push(...detector.advance());
  }
  return { detector, alerts };
}

const START = MONDAY + WEEK_MS + 10 * HOUR_MS; // week 4, Monday 10:00
const during = (t: number) => t >= START && t < START + HOUR_MS;

describe('AnomalyDetector', () => {
  it('stays quiet on weekly seasonality, office hours, weekends and a nightly batch', () => {
    expect(run(2).alerts).toEqual([]);
  });

  it.each([
    {
      name: 'traffic',
      make: (t: number) => (during(t) ? minuteFacts(t, 12, {}, 'x') : []),
      kind: 'traffic_spike',
    },
    {
      name: 'retries',
      make: (t: number) => (during(t) ? minuteFacts(t, 12, { is_retry: true }, 'x') : []),
      kind: 'retry_storm',
    },
    {
      name: 'new feature',
      make: (t: number) =>
        during(t) ? minuteFacts(t, 12, { feature: 'launch', workflow: 'beta' }, 'x') : [],
      kind: 'new_feature',
    },
  ])('raises one $kind for a $name incident within two minutes and resolves it', ({ make, kind }) => {
    const { alerts } = run(2, make);
    const opened = alerts.filter((a) => a.status === 'open');
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ kind, scope: { key: 'team:search' } });
    expect(opened[0]!.detected_at - START).toBeLessThanOrEqual(2 * MINUTE_MS);
    const d = opened[0]!.decomposition;
    expect(d.drivers.reduce((a, x) => a + x.nanos, 0)).toBe(d.observed_nanos - d.baseline_nanos);
    expect(alerts.filter((a) => a.status === 'resolved').map((a) => a.alert_id)).toEqual([
      opened[0]!.alert_id,
    ]);
  });

  it('sees a dearer cost per request within two minutes by the intensity test, not by spend alone', () => {
    // every call 60% dearer from START: 1.24x the spend of a 5-minute window two minutes in
    const dearer = (t: number) => (during(t) ? { cost_nanos: 800_000_000, rate_card: 'openai:v2' } : {});
    const runPrice = (params: DetectorParams) => {
      const detector = new AnomalyDetector(params);
      const alerts = [];
      for (let t = MONDAY; t < START + 2 * HOUR_MS; t += MINUTE_MS) {
        detector.ingest(minuteFacts(t, callsAt(t), dearer(t)));
        alerts.push(...detector.advance());
      }
      return alerts.filter((a) => a.status === 'open');
    };
    const fast = runPrice(PARAMS);
    expect(fast[0]).toMatchObject({ kind: 'price_change', scope: { key: 'team:search' } });
    expect(fast[0]!.detected_at - START).toBeLessThanOrEqual(2 * MINUTE_MS);
    const spendOnly = runPrice({ ...PARAMS, intensityWindowsMinutes: [] });
    expect(spendOnly[0]!.detected_at - START).toBeGreaterThan(2 * MINUTE_MS);
  });

  it('reports a drop (info) when the team goes silent', () => {
    const detector = new AnomalyDetector(PARAMS);
    const alerts = [];
    for (let t = MONDAY; t < START + 4 * HOUR_MS; t += MINUTE_MS) {
      if (t < START) detector.ingest(minuteFacts(t, callsAt(t)));
      else detector.ingest([fact({ team: 'other', event_id: `o${t}`, occurred_at: t })]);
      alerts.push(...detector.advance());
    }
    const drop = alerts.find((a) => a.kind === 'spend_drop');
    expect(drop).toMatchObject({ severity: 'info', status: 'open' });
  });

  it('counts a redelivered call once and refuses calls for closed minutes', () => {
    const detector = new AnomalyDetector(PARAMS);
    const calls = minuteFacts(MONDAY, 3);
    expect(detector.ingest([...calls, ...calls])).toMatchObject({ counted: 3, duplicates: 3, late: 0 });
    detector.ingest([fact({ event_id: 'later', occurred_at: MONDAY + 10 * MINUTE_MS })]);
    detector.advance();
    expect(detector.ingest(calls)).toMatchObject({ counted: 0, duplicates: 0, late: 3 });
  });

  it('feedback mutes the open incident and suppresses a repeat', () => {
    const twice = (t: number) =>
      during(t) || (t >= START + 3 * HOUR_MS && t < START + 4 * HOUR_MS) ? minuteFacts(t, 12, {}, 'x') : [];
    const detector = new AnomalyDetector(PARAMS);
    const opened = [];
    for (let t = MONDAY; t < START + 5 * HOUR_MS; t += MINUTE_MS) {
      detector.ingest([...minuteFacts(t, callsAt(t)), ...twice(t)]);
      for (const alert of detector.advance()) {
        opened.push(alert);
        if (alert.status === 'open') detector.feedback(alert.alert_id, 'expected', alert.detected_at);
      }
    }
    expect(opened.filter((a) => a.status === 'open')).toHaveLength(1);
  });

  it('feedback on an alert already resolved suppresses repeats of its series and direction', () => {
    const twice = (t: number) =>
      during(t) || (t >= START + 3 * HOUR_MS && t < START + 4 * HOUR_MS) ? minuteFacts(t, 12, {}, 'x') : [];
    const runWith = (giveFeedback: boolean) => {
      const detector = new AnomalyDetector(PARAMS);
      const alerts = [];
      for (let t = MONDAY; t < START + 5 * HOUR_MS; t += MINUTE_MS) {
        detector.ingest([...minuteFacts(t, callsAt(t)), ...twice(t)]);
        for (const alert of detector.advance()) {
          alerts.push(alert);
          // given once the incident is over: no open incident holds the id any more
          if (
            giveFeedback &&
            alert.status === 'resolved' &&
            alerts.filter((a) => a.status === 'resolved').length === 1
          )
            expect(
              detector.feedback(alert.alert_id, 'expected', undefined, {
                series: alert.scope.key,
                direction: 'up',
                detected_at: alert.detected_at,
              }),
            ).toBe(true);
        }
      }
      return alerts.filter((a) => a.status === 'open');
    };
    expect(runWith(false)).toHaveLength(2);
    const opened = runWith(true);
    expect(opened).toHaveLength(1);
    expect(opened[0]!.detected_at).toBeLessThan(START + HOUR_MS);
  });

  it('feedback on an unknown alert id without its scope changes nothing', () => {
    const detector = new AnomalyDetector(PARAMS);
    expect(detector.feedback('al_unknown', 'planned')).toBe(false);
    expect(detector.suppressions.size).toBe(0);
  });
});
