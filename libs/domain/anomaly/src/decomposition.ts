import type { CellAggregate, Cells } from './call-fact';
import { roundToExactSum, shareBp } from './exact-rounding';
import { modelLabel } from './series';

/** The causes a change in spend is split into. */
export const FACTORS = [
  'traffic',
  'prompt_size',
  'output_size',
  'model_mix',
  'price',
  'retries',
  'new_entity',
] as const;
export type Factor = (typeof FACTORS)[number];

export interface Driver {
  factor: Factor;
  /** The entity that carries most of this factor: workflow, feature or model, and its value. */
  dimension: string;
  key: string;
  nanos: number;
  share_bp: number;
  /** A prompt template version seen in the carrier but not in its baseline (explains token drift). */
  template?: string;
}

export interface Decomposition {
  observed_nanos: number;
  baseline_nanos: number;
  delta_nanos: number;
  /** One driver per factor that moved, exact integer nanos: their sum is delta_nanos, always. */
  drivers: Driver[];
  primary: Driver | undefined;
}

interface Contribution {
  factor: Factor;
  dimension: string;
  key: string;
  value: number;
}

const groupKey = (c: CellAggregate) => `${c.feature}|${c.workflow}|${c.environment}`;

function carrierOf(c: CellAggregate): { dimension: string; key: string } {
  return c.workflow ? { dimension: 'workflow', key: c.workflow } : { dimension: 'feature', key: c.feature };
}

function logMean(a: number, b: number): number {
  return a === b ? a : (a - b) / (Math.log(a) - Math.log(b));
}

/**
 * Splits observed minus baseline spend into traffic (requests per feature/workflow), tokens per request
 * (input and output apart), model mix (share of each model within its feature/workflow), price per
 * token at fixed volumes (rate card or cache use), retries/fallbacks, and entities the baseline has
 * never seen. Continuous terms use LMDI-I, which is exactly additive for positive values; cells that
 * appear or vanish are charged whole to the factor that explains them. Integer terms are then placed
 * by largest remainder so that they sum to `observed - baselineNanos` exactly.
 *
 * `baseline` cells may hold fractional volumes (a scaled hour); `baselineNanos` is the integer baseline
 * the alert reports, and the cells are assumed to sum to it up to rounding.
 */
export function decompose(observed: Cells, baseline: Cells, baselineNanos: number): Decomposition {
  const contributions: Contribution[] = [];
  const add = (factor: Factor, dimension: string, key: string, value: number) => {
    if (value !== 0 && Number.isFinite(value)) contributions.push({ factor, dimension, key, value });
  };
  const knownModels = new Set<string>();
  const knownFeatures = new Set<string>();
  const knownWorkflows = new Set<string>();
  const r0 = new Map<string, number>();
  const r1 = new Map<string, number>();
  for (const c of baseline.values()) {
    knownModels.add(modelLabel(c.provider, c.model));
    knownFeatures.add(c.feature);
    if (c.workflow) knownWorkflows.add(c.workflow);
    if (!c.retry) r0.set(groupKey(c), (r0.get(groupKey(c)) ?? 0) + c.requests);
  }
  for (const c of observed.values())
    if (!c.retry) r1.set(groupKey(c), (r1.get(groupKey(c)) ?? 0) + c.requests);

  for (const key of new Set([...observed.keys(), ...baseline.keys()])) {
    const o = observed.get(key);
    const b = baseline.get(key);
    const sample = (o ?? b)!;
    const carrier = carrierOf(sample);
    const model = modelLabel(sample.provider, sample.model);
    if (sample.retry) {
      add('retries', carrier.dimension, carrier.key, (o?.cost_nanos ?? 0) - (b?.cost_nanos ?? 0));
      continue;
    }
    const g = groupKey(sample);
    if (o && (!b || b.requests <= 0)) {
      if (!knownFeatures.has(o.feature)) add('new_entity', 'feature', o.feature, o.cost_nanos);
      else if (o.workflow && !knownWorkflows.has(o.workflow))
        add('new_entity', 'workflow', o.workflow, o.cost_nanos);
      else if (!knownModels.has(model)) add('new_entity', 'model', model, o.cost_nanos);
      else if ((r0.get(g) ?? 0) <= 0) add('traffic', carrier.dimension, carrier.key, o.cost_nanos);
      else add('model_mix', 'model', model, o.cost_nanos);
      continue;
    }
    if (!o || o.requests <= 0) {
      if ((r1.get(g) ?? 0) <= 0) add('traffic', carrier.dimension, carrier.key, -(b?.cost_nanos ?? 0));
      else add('model_mix', 'model', model, -(b?.cost_nanos ?? 0));
      continue;
    }
    if (!b) continue;
    const base = { r: r0.get(g) ?? 0, s: b.requests / (r0.get(g) ?? 1) };
    const obs = { r: r1.get(g) ?? 0, s: o.requests / (r1.get(g) ?? 1) };
    const parts = [
      {
        factor: 'prompt_size' as const,
        bu: b.input_tokens,
        bn: b.input_nanos,
        ou: o.input_tokens,
        on: o.input_nanos,
      },
      {
        factor: 'output_size' as const,
        bu: b.output_tokens,
        bn: b.cost_nanos - b.input_nanos,
        ou: o.output_tokens,
        on: o.cost_nanos - o.input_nanos,
      },
    ];
    for (const part of parts) {
      // units of the part: its tokens, or requests when the baseline priced it per request (fees)
      const perRequest = part.bu <= 0 && part.ou <= 0;
      const bu = perRequest ? b.requests : part.bu;
      const ou = perRequest ? o.requests : part.ou;
      const q = bu > 0 && part.bn !== 0 ? ou * (part.bn / bu) : part.on;
      add('price', 'model', model, part.on - q);
      const bq = part.bn;
      if (q > 0 && bq > 0 && ou > 0 && bu > 0) {
        const l = logMean(q, bq);
        add('traffic', carrier.dimension, carrier.key, l * Math.log(obs.r / base.r));
        add('model_mix', 'model', model, l * Math.log(obs.s / base.s));
        add(part.factor, carrier.dimension, carrier.key, l * Math.log(ou / o.requests / (bu / b.requests)));
      } else {
        add(part.factor, carrier.dimension, carrier.key, q - bq);
      }
    }
  }
  return summarise(contributions, observed, baseline, baselineNanos);
}

function summarise(
  contributions: readonly Contribution[],
  observed: Cells,
  baseline: Cells,
  baselineNanos: number,
): Decomposition {
  let observedNanos = 0;
  for (const c of observed.values()) observedNanos += c.cost_nanos;
  const delta = observedNanos - baselineNanos;
  const byFactor = FACTORS.map((factor) => contributions.filter((c) => c.factor === factor));
  const totals = roundToExactSum(
    byFactor.map((list) => list.reduce((a, c) => a + c.value, 0)),
    delta,
  );
  const drivers: Driver[] = [];
  FACTORS.forEach((factor, i) => {
    const nanos = totals[i] ?? 0;
    if (nanos === 0) return;
    const entities = new Map<string, { dimension: string; key: string; value: number }>();
    for (const c of byFactor[i] ?? []) {
      const id = `${c.dimension}=${c.key}`;
      const entry = entities.get(id) ?? { dimension: c.dimension, key: c.key, value: 0 };
      entry.value += c.value;
      entities.set(id, entry);
    }
    const top = [...entities.values()].sort((a, b) => Math.sign(nanos) * (b.value - a.value))[0];
    const driver: Driver = {
      factor,
      dimension: top?.dimension ?? 'team',
      key: top?.key ?? '',
      nanos,
      share_bp: shareBp(nanos, delta),
    };
    const template = top ? newTemplate(top, observed, baseline) : undefined;
    if (template) driver.template = template;
    drivers.push(driver);
  });
  const primary = [...drivers].sort((a, b) => Math.sign(delta || 1) * (b.nanos - a.nanos))[0];
  return {
    observed_nanos: observedNanos,
    baseline_nanos: baselineNanos,
    delta_nanos: delta,
    drivers,
    primary,
  };
}

function newTemplate(
  carrier: { dimension: string; key: string },
  observed: Cells,
  baseline: Cells,
): string | undefined {
  if (carrier.dimension !== 'workflow' && carrier.dimension !== 'feature') return undefined;
  const matches = (c: CellAggregate) =>
    (carrier.dimension === 'workflow' ? c.workflow : c.feature) === carrier.key;
  const before = new Set<string>();
  for (const c of baseline.values()) if (matches(c)) c.templates.forEach((t) => before.add(t));
  // without any template in the baseline (e.g. seeded from rollups) nothing can be called new
  if (before.size === 0) return undefined;
  for (const c of observed.values())
    if (matches(c)) for (const t of c.templates) if (!before.has(t)) return t;
  return undefined;
}
