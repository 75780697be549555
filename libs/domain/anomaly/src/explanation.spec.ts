import { decompose } from './decomposition';
import { describe as describeAlert, driverPhrase } from './explanation';
import { cellsOf, fact, times } from './spec-builders';

describe('driverPhrase', () => {
  it('names the cause, its carrier and the template that is new since the baseline', () => {
    const before = times(100, () => fact({ prompt_template_version: 'v6' }));
    const after = times(100, () =>
      fact({
        prompt_template_version: 'v7',
        input_tokens: 3000,
        input_nanos: 15_000_000,
        cost_nanos: 20_000_000,
      }),
    );
    const result = decompose(
      cellsOf(after),
      cellsOf(before),
      before.reduce((a, f) => a + f.cost_nanos, 0),
    );
    expect(driverPhrase(result.primary!)).toBe('bigger prompts in workflow ask since template v7');
    // the alert sentence uses the same words
    const sentence = describeAlert(
      { key: 'team:a', team: 'a', dimension: 'team', value: 'a' },
      'Analytics',
      result,
      0,
      3_600_000,
    );
    expect(sentence).toContain(`from ${driverPhrase(result.primary!)}`);
  });

  it('says smaller when the driver is negative', () => {
    const before = times(100, () =>
      fact({ input_tokens: 3000, input_nanos: 15_000_000, cost_nanos: 20_000_000 }),
    );
    const after = times(100, () => fact());
    const result = decompose(
      cellsOf(after),
      cellsOf(before),
      before.reduce((a, f) => a + f.cost_nanos, 0),
    );
    expect(driverPhrase(result.primary!)).toBe('smaller prompts in workflow ask');
  });
});
