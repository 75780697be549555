import { readFileSync } from 'node:fs';
import path from 'node:path';
import avro from 'avsc';
import { SCHEMAS_DIR } from './generate-types';

/**
 * `reconciliation_difference` was added to AlertKind after the anomaly kinds: consumers still on the
 * earlier schema must read such an alert (as `other`, the enum default), not fail on it.
 */
describe('AlertKind reconciliation_difference', () => {
  const current = JSON.parse(readFileSync(path.join(SCHEMAS_DIR, 'alert-event.avsc'), 'utf8')) as {
    fields: { name: string; type: { symbols?: string[] } }[];
  };
  const earlier = structuredClone(current);
  const kind = earlier.fields.find((f) => f.name === 'kind')!.type;
  kind.symbols = kind.symbols!.filter((s) => s !== 'reconciliation_difference');
  const writer = avro.Type.forSchema(current as unknown as avro.Schema);
  const reader = avro.Type.forSchema(earlier as unknown as avro.Schema);
  const alert = {
    alert_id: 'a1',
    kind: 'reconciliation_difference',
    severity: 'warning',
    scope: { team_id: 't', feature: null, model: null, environment: null, workflow: null, series: null },
    window_start: 0,
    window_end: 86_400_000,
    observed_nanos: 2,
    baseline_nanos: 1,
    explanation: 'x',
    drivers: [],
    detected_at: 1,
    status: 'open',
    revision: 1,
    primary_cause: null,
    period: null,
    threshold_bp: null,
    budget_nanos: null,
    forecast_crossing_date: null,
  };

  it('reads as other under the schema before it', () => {
    const decoded = reader.fromBuffer(writer.toBuffer(alert), reader.createResolver(writer)) as {
      kind: string;
    };
    expect(decoded.kind).toBe('other');
  });

  it('round-trips under the current schema', () => {
    expect((writer.fromBuffer(writer.toBuffer(alert)) as { kind: string }).kind).toBe(
      'reconciliation_difference',
    );
  });
});
