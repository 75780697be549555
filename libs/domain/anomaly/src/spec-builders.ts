import { addFact, type CallFact, type Cells } from './call-fact';

/** Test helper: a call with sensible defaults (1,000 input and 200 output tokens, $0.01). */
export function fact(overrides: Partial<CallFact> = {}): CallFact {
  return {
    event_id: overrides.event_id ?? `e-${Math.random().toString(36).slice(2)}`,
    occurred_at: 0,
    team: 'search',
    feature: 'answers',
    workflow: 'ask',
    model: 'gpt-4o',
    provider: 'openai',
    environment: 'prod',
    prompt_template_version: '',
    is_retry: false,
    input_tokens: 1000,
    output_tokens: 200,
    input_nanos: 5_000_000,
    cost_nanos: 10_000_000,
    rate_card: 'openai:v1',
    ...overrides,
  };
}

export function cellsOf(facts: readonly CallFact[]): Cells {
  const cells: Cells = new Map();
  for (const f of facts) addFact(cells, f);
  return cells;
}

export function times<T>(n: number, make: (i: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => make(i));
}

/** Small seeded PRNG (mulberry32) so property tests and corpora are reproducible. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
