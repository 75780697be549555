import type { CallFact, Factor } from '@tokentally/domain-anomaly';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** 2026-09-07, a Monday: five weeks of event time from here. */
export const CORPUS_START = Date.UTC(2026, 8, 7);
export const CORPUS_WEEKS = 5;

export type IncidentKind = 'traffic' | 'retries' | 'prompts' | 'model_mix' | 'price' | 'new_feature' | 'drop';
export const EXPECTED: Record<IncidentKind, { kind: string; factor?: Factor }> = {
  traffic: { kind: 'traffic_spike', factor: 'traffic' },
  retries: { kind: 'retry_storm', factor: 'retries' },
  prompts: { kind: 'prompt_growth', factor: 'prompt_size' },
  model_mix: { kind: 'model_mix_shift', factor: 'model_mix' },
  price: { kind: 'price_change', factor: 'price' },
  new_feature: { kind: 'new_feature', factor: 'new_entity' },
  drop: { kind: 'spend_drop' },
};

export interface LabelledIncident {
  team: string;
  kind: IncidentKind;
  start: number;
  end: number;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function poisson(random: () => number, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(random)));
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k++;
  return k;
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
}

/** Calls per minute of a team with office hours, a Monday ramp, quiet nights and weekends, slow growth. */
function rate(at: number, peak: number): number {
  const d = new Date(at);
  const day = d.getUTCDay();
  const hour = d.getUTCHours() + d.getUTCMinutes() / 60;
  const weekend = day === 0 || day === 6;
  const office = hour >= 8 && hour < 18 ? Math.sin(((hour - 8) / 10) * Math.PI) : 0;
  const monday = day === 1 && hour >= 8 && hour < 11 ? 1.3 : 1;
  const growth = 1 + (0.015 * (at - CORPUS_START)) / WEEK;
  return (weekend ? 0.1 * peak : peak * (0.12 + 0.88 * office * monday)) * growth;
}

const TEAMS = [
  { team: 'search', peak: 20 },
  { team: 'support', peak: 14 },
  { team: 'analytics', peak: 10 },
];
const FEATURES = ['answers', 'summaries', 'classify'];
const WORKFLOWS = ['ask', 'weekly-digest', 'triage'];

/**
 * A seeded corpus: five weeks of seasonal calls for three teams (plus a nightly batch with a start
 * that drifts by up to 10 minutes), and two labelled incidents of every kind in weeks 3 to 5, each on
 * a weekday in office hours, each lasting 45-90 minutes. Calls are emitted minute by minute in order.
 */
export function* corpus(seed: number, incidents: LabelledIncident[]): Generator<CallFact[]> {
  const random = mulberry32(seed);
  const kinds = Object.keys(EXPECTED) as IncidentKind[];
  const used = new Set<string>();
  for (const kind of kinds)
    for (let n = 0; n < 2; n++) {
      let start: number;
      let key: string;
      do {
        const week = 2 + Math.floor(random() * 3);
        const day = Math.floor(random() * 5);
        const hour = 9 + Math.floor(random() * 7);
        start = CORPUS_START + week * WEEK + day * DAY + hour * HOUR + Math.floor(random() * 4) * 15 * MIN;
        key = `${Math.floor(start / (6 * HOUR))}`;
      } while (used.has(key));
      used.add(key);
      const team = TEAMS[Math.floor(random() * TEAMS.length)]!.team;
      incidents.push({ team, kind, start, end: start + (45 + Math.floor(random() * 4) * 15) * MIN });
    }
  const batchShift = new Map<number, number>();
  let serial = 0;
  for (let at = CORPUS_START; at < CORPUS_START + CORPUS_WEEKS * WEEK; at += MIN) {
    const facts: CallFact[] = [];
    const dayIndex = Math.floor((at - CORPUS_START) / DAY);
    if (!batchShift.has(dayIndex)) batchShift.set(dayIndex, Math.floor(random() * 11) * MIN);
    for (const { team, peak } of TEAMS) {
      const active = incidents.filter((i) => i.team === team && at >= i.start && at < i.end);
      let mean = rate(at, peak);
      const batchStart = (at - CORPUS_START) % DAY;
      const inBatch =
        batchStart >= 2 * HOUR + batchShift.get(dayIndex)! &&
        batchStart < 2 * HOUR + batchShift.get(dayIndex)! + 20 * MIN;
      if (active.some((i) => i.kind === 'drop')) mean *= 0.1;
      const n = poisson(random, mean) + (inBatch && team === 'analytics' ? poisson(random, 25) : 0);
      for (let i = 0; i < n; i++) {
        const f = Math.floor(random() * FEATURES.length);
        const fact: CallFact = {
          event_id: `${seed}-${serial++}`,
          occurred_at: at + Math.floor(random() * MIN),
          team,
          feature: FEATURES[f]!,
          workflow: WORKFLOWS[f]!,
          model: random() < 0.9 ? 'gpt-4o' : 'o1',
          provider: 'openai',
          environment: 'prod',
          prompt_template_version: 'v6',
          is_retry: random() < 0.03,
          input_tokens: 2000 + Math.floor(random() * 2000),
          output_tokens: 300 + Math.floor(random() * 300),
          input_nanos: 0,
          cost_nanos: 0,
          rate_card: 'openai@v1',
        };
        price(fact);
        facts.push(fact);
      }
      for (const incident of active)
        facts.push(...inject(incident, at, random, () => `${seed}-${serial++}`, peak));
      // incidents that reshape existing calls rather than add new ones
      for (const incident of active)
        for (const fact of facts)
          if (fact.team === team && fact.feature === 'answers') reshape(incident.kind, fact, random);
    }
    yield facts.sort((a, b) => a.occurred_at - b.occurred_at);
  }
}

function price(fact: CallFact, factor = 1): void {
  const perIn = fact.model === 'o1' ? 150_000 : 25_000;
  const perOut = fact.model === 'o1' ? 600_000 : 100_000;
  fact.input_nanos = Math.round(fact.input_tokens * perIn * factor);
  fact.cost_nanos = fact.input_nanos + Math.round(fact.output_tokens * perOut * factor);
}

function inject(
  i: LabelledIncident,
  at: number,
  random: () => number,
  id: () => string,
  peak: number,
): CallFact[] {
  const extra = (overrides: Partial<CallFact>, n: number): CallFact[] =>
    Array.from({ length: n }, () => {
      const fact: CallFact = {
        event_id: id(),
        occurred_at: at + Math.floor(random() * MIN),
        team: i.team,
        feature: 'answers',
        workflow: 'ask',
        model: 'gpt-4o',
        provider: 'openai',
        environment: 'prod',
        prompt_template_version: 'v6',
        is_retry: false,
        input_tokens: 3000,
        output_tokens: 400,
        input_nanos: 0,
        cost_nanos: 0,
        rate_card: 'openai@v1',
        ...overrides,
      };
      price(fact);
      return fact;
    });
  switch (i.kind) {
    case 'traffic':
      return extra({}, poisson(random, peak * 1.5));
    case 'retries':
      return extra({ is_retry: true }, poisson(random, peak * 1.5));
    case 'new_feature':
      return extra({ feature: 'launch', workflow: 'beta' }, poisson(random, peak * 1.2));
    case 'prompts':
    case 'model_mix':
    case 'price':
    case 'drop':
      return [];
  }
}

function reshape(kind: IncidentKind, fact: CallFact, random: () => number): void {
  if (fact.is_retry) return;
  if (kind === 'prompts') {
    fact.input_tokens *= 5;
    fact.prompt_template_version = 'v7';
    price(fact);
  } else if (kind === 'model_mix' && fact.model === 'gpt-4o' && random() < 0.8) {
    fact.model = 'o1';
    price(fact);
  } else if (kind === 'price' && fact.model === 'gpt-4o') {
    fact.rate_card = 'openai@v2';
    price(fact, 4);
  }
}
