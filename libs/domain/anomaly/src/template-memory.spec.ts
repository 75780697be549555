import { cellKey, emptyCell, type Cells } from './call-fact';
import { decompose } from './decomposition';
import { MINUTE_MS } from './seasonal-history';
import { cellsOf, fact, times } from './spec-builders';
import { TemplateMemory } from './template-memory';

const T = Date.UTC(2026, 10, 4, 10);
const seededBaseline = (): Cells => {
  // as the rollup seeder builds it: volumes of the hour, no template version
  const dims = {
    feature: 'answers',
    workflow: 'ask',
    environment: 'prod',
    provider: 'openai',
    model: 'gpt-4o',
    is_retry: false,
  };
  const cell = emptyCell(dims);
  Object.assign(cell, {
    requests: 10,
    input_tokens: 10_000,
    output_tokens: 2000,
    input_nanos: 50_000_000,
    cost_nanos: 100_000_000,
  });
  return new Map([[cellKey(dims), cell]]);
};
const bigger = (template: string) =>
  cellsOf(
    times(10, (i) =>
      fact({
        event_id: `b${i}`,
        input_tokens: 4000,
        input_nanos: 20_000_000,
        cost_nanos: 25_000_000,
        prompt_template_version: template,
      }),
    ),
  );

describe('TemplateMemory: a template version is new where it was first seen', () => {
  it('names a version first seen inside the window against a seeded baseline, not one seen before', () => {
    const memory = new TemplateMemory();
    memory.note('search', T - 30 * MINUTE_MS, cellsOf([fact({ prompt_template_version: 'v6' })]));
    memory.note('search', T + 2 * MINUTE_MS, bigger('v7'));
    const baseline = seededBaseline();
    memory.fillSeeded('search', baseline, T);
    expect([...baseline.values()][0]!.templates).toEqual(['v6']);
    const d = decompose(bigger('v7'), baseline, 100_000_000);
    expect(d.primary).toMatchObject({ factor: 'prompt_size', template: 'v7' });
    expect(d.drivers.reduce((a, x) => a + x.nanos, 0)).toBe(d.observed_nanos - d.baseline_nanos);
  });

  it('leaves a baseline that has its own versions alone, and forgets nothing across a restore', () => {
    const memory = new TemplateMemory();
    memory.note('search', T - MINUTE_MS, cellsOf([fact({ prompt_template_version: 'v6' })]));
    const own: Cells = cellsOf([fact({ prompt_template_version: 'v5' })]);
    memory.fillSeeded('search', own, T);
    expect([...own.values()][0]!.templates).toEqual(['v5']);
    const again = new TemplateMemory();
    again.restore(memory.entries());
    const baseline = seededBaseline();
    again.fillSeeded('search', baseline, T);
    expect([...baseline.values()][0]!.templates).toEqual(['v6']);
  });
});
