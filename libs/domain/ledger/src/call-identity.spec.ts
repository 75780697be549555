import { callDifferences, type CallFacts } from './call-identity';

const booked: CallFacts = {
  occurred_at: Date.UTC(2026, 0, 31, 23, 59),
  trace_id: 't-1',
  provider: 'openai',
  model: 'gpt-4o-mini',
  uncached_input: 100,
  cache_read: 0,
  cache_write_5m: 0,
  cache_write_1h: 0,
  output: 20,
  reasoning: 0,
  units: { images: 1 },
};

describe('callDifferences', () => {
  it('is empty for a redelivery, whether tokens are numbers or BigInt and units in another order', () => {
    expect(
      callDifferences(booked, { ...booked, uncached_input: 100n, output: 20n, units: { web: 0, images: 1 } }),
    ).toEqual([]);
  });

  it.each<[string, Partial<CallFacts>, string]>([
    [
      'another month',
      { occurred_at: Date.UTC(2026, 1, 1) },
      'occurred_at: 2026-01-31T23:59:00.000Z -> 2026-02-01T00:00:00.000Z',
    ],
    ['other output tokens', { output: 21 }, 'output: 20 -> 21'],
    ['another model', { model: 'gpt-4o' }, 'model: gpt-4o-mini -> gpt-4o'],
    ['another trace', { trace_id: 't-2' }, 'trace_id: t-1 -> t-2'],
    ['other units', { units: { images: 2 } }, 'units: {images=1} -> {images=2}'],
  ])('names the difference of a conflicting resend: %s', (_case, change, expected) => {
    expect(callDifferences(booked, { ...booked, ...change })).toEqual([expected]);
  });
});
