import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Pool } from 'pg';
import type { AlertEvent } from '@tokentally/contracts';
import { AlertsRepository } from '@tokentally/adapters-postgres-alerts';
import { alertIdOf, describe as explain, type Decomposition, type Factor } from '@tokentally/domain-anomaly';
import { isoWeekOf } from '@tokentally/domain-reconciliation';
import { QuarantineRepository } from '@tokentally/platform-db';
import { A, ACCOUNT, at, B, PERIOD, RUN } from './console-fixture';
import { tally } from './tally';

/** The ISO week of the period that holds the unowned calls (day 4) and the quarantined events. */
export const WEEK = isoWeekOf(at(PERIOD, 4));
const HOUR = 3_600_000;

/**
 * An alert as the detector raises it: drivers that sum exactly to observed - baseline, and the sentence
 * the anomaly domain writes for them (describe), so the console shows the detector's own wording.
 */
function alert(
  team: string,
  feature: string,
  day: number,
  kind: AlertEvent['kind'],
  observed: number,
  baseline: number,
  split: [Factor, number][],
  over: Partial<AlertEvent> = {},
): AlertEvent {
  const series = `feature:${team}:${feature}`;
  const start = at(PERIOD, day, 9);
  const delta = observed - baseline;
  let left = delta;
  const drivers = split.map(([factor, bpShare], i) => {
    const nanos = i === split.length - 1 ? left : Math.round((delta * bpShare) / 10_000);
    left -= nanos;
    return { factor, dimension: 'feature', key: feature, nanos, share_bp: bpShare };
  });
  const decomposition: Decomposition = {
    observed_nanos: observed,
    baseline_nanos: baseline,
    delta_nanos: delta,
    drivers,
    primary: drivers[0],
  };
  const scope = { key: series, team, dimension: 'feature' as const, value: feature };
  return {
    alert_id: alertIdOf(series, delta >= 0 ? 'up' : 'down', start),
    kind,
    severity: Math.abs(delta) > 5_000_000_000 ? 'critical' : 'warning',
    scope: { team_id: team, feature, model: null, environment: null, workflow: null, series },
    window_start: start,
    window_end: start + HOUR,
    observed_nanos: observed,
    baseline_nanos: baseline,
    explanation: explain(scope, team, decomposition, start, start + HOUR),
    drivers: drivers.map((d) => ({
      dimension: d.dimension,
      key: d.key,
      delta_nanos: d.nanos,
      share_bp: d.share_bp,
      cause: d.factor,
      template_version: null,
    })),
    detected_at: start + HOUR,
    status: 'open',
    revision: 1,
    primary_cause: drivers[0]?.factor ?? null,
    period: null,
    threshold_bp: null,
    budget_nanos: null,
    forecast_crossing_date: null,
    ...over,
  };
}

export const spikeA = alert(A, 'search', 6, 'prompt_growth', 9_000_000_000, 2_000_000_000, [
  ['prompt_size', 8000],
  ['traffic', 2000],
]);
export const oldA = alert(A, 'summaries', 3, 'traffic_spike', 3_400_000_000, 1_200_000_000, [
  ['traffic', 10_000],
]);
export const resolvedA = [
  oldA,
  { ...oldA, revision: 2, status: 'resolved' as const, detected_at: oldA.detected_at + HOUR },
];
export const retriesB = alert(B, 'answers', 8, 'retry_storm', 4_100_000_000, 1_000_000_000, [
  ['retries', 7500],
  ['traffic', 2500],
]);
const ALERT_IDS = [spikeA.alert_id, oldA.alert_id, retriesB.alert_id];

/** Alerts through the real adapter, a provider bill through `tally reconcile import`, quarantined events. */
export async function seed(pool: Pool): Promise<void> {
  await new AlertsRepository(pool).insert([spikeA, ...resolvedA, retriesB]);
  const day = new Date(at(PERIOD, 6)).toISOString().slice(0, 10);
  const next = new Date(at(PERIOD, 7)).toISOString().slice(0, 10);
  // the provider billed 150,000 input and 15,000 output tokens of claude-sonnet-4-5 on day 6
  const focus = [
    'BilledCost,EffectiveCost,ListCost,ContractedCost,BillingCurrency,BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,ChargeClass,ChargeDescription,ServiceName,ServiceCategory,ProviderName,PublisherName,InvoiceIssuerName,BillingAccountId,ConsumedQuantity,ConsumedUnit,x_Model,x_TokenType',
    ...[
      ['0.45', '150000', 'input'],
      ['0.225', '15000', 'output'],
    ].map(
      ([cost, tokens, type]) =>
        `${cost},${cost},${cost},${cost},USD,${PERIOD}-01T00:00:00Z,${PERIOD}-28T00:00:00Z,${day}T00:00:00Z,${next}T00:00:00Z,Usage,,${type} tokens,Claude API,AI and Machine Learning,Anthropic,Anthropic,Anthropic,${ACCOUNT},${tokens},Tokens,claude-sonnet-4-5,${type}`,
    ),
  ].join('\n');
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'console-focus-')), 'focus.csv');
  writeFileSync(file, focus);
  tally('reconcile', 'import', file, '--format', 'focus', '--provider', 'anthropic', '--no-publish');
  const quarantined = (reason: 'MISSING_OWNER' | 'UNKNOWN_RATE', n: number) => ({
    quarantine_id: `${RUN}-q-${n}`,
    event_id: `${RUN}-q-event-${n}`,
    trace_id: null,
    stage: reason === 'MISSING_OWNER' ? ('enricher' as const) : ('pricer' as const),
    reason,
    message: 'console suite',
    source_topic: null,
    source_partition: null,
    source_offset: null,
    original_payload: Buffer.from('{}'),
    payload_encoding: 'json' as const,
    sealed: false,
    quarantined_at: at(PERIOD, 4, 10) + n,
    attempts: 0,
  });
  await new QuarantineRepository(pool).insert([
    ...[1, 2, 3].map((n) => quarantined('MISSING_OWNER', n)),
    quarantined('UNKNOWN_RATE', 4),
  ]);
}

export async function unseed(pool: Pool): Promise<void> {
  await pool.query('DELETE FROM tokentally.alert_feedback WHERE alert_id = ANY($1)', [ALERT_IDS]);
  await pool.query('DELETE FROM tokentally.alerts WHERE alert_id = ANY($1)', [ALERT_IDS]);
  await pool.query('DELETE FROM tokentally.quarantine WHERE quarantine_id LIKE $1', [`${RUN}-q-%`]);
  for (const table of ['reconciliation_results', 'provider_cost_lines', 'provider_cost_imports'])
    await pool.query(`DELETE FROM tokentally.${table} WHERE account_id = $1`, [ACCOUNT]);
}
