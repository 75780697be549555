import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { parseRateFile } from './rate-file';

describe('parseRateFile', () => {
  it('accepts the documented example: cards, multipliers, tiers and dated FX rates', () => {
    const text = readFileSync(path.resolve(__dirname, '../../../../docs/rates.example.yaml'), 'utf8');
    const parsed = parseRateFile(parse(text));
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
    expect(parsed.value.cards.map((c) => c.id)).toEqual(['acme-anthropic-negotiated', 'mistral-eu-contract']);
    expect(parsed.value.cards[0]).toMatchObject({
      effectiveFrom: Date.UTC(2026, 10, 15),
      prices: { uncachedInput: '2.40', cacheWrite1h: '4.80', units: { web_search_requests: '0.01' } },
      tiers: [{ name: 'long_context', inputTokensAbove: 200000 }],
    });
    expect(parsed.value.multipliers).toEqual([
      expect.objectContaining({
        id: 'openai-batch',
        serviceTier: 'batch',
        factor: '0.5',
        appliesTo: 'tokens',
      }),
      expect.objectContaining({ id: 'anthropic-us-inference-geo', region: 'us', factor: '1.1' }),
    ]);
    expect(parsed.value.fx).toHaveLength(2);
  });

  it('reports every problem with its path, at once', () => {
    const parsed = parseRateFile({
      rate_cards: [
        { id: 'a', provider: 'openai', model: 'gpt-4o', effective_from: 'soon', prices: { input: '-1' } },
        {
          id: 'a',
          provider: 'openai',
          model: 'x',
          effective_from: '2026-01-01',
          prices: { input: '1', output: '2', inptu: '3' },
        },
        {
          id: 'b',
          provider: 'openai',
          model: 'x',
          effective_from: '2026-01-01',
          multiplier: '0.8',
          prices: { input: '1', output: '1' },
        },
        {
          id: 'c',
          provider: 'mistral',
          model: 'x',
          effective_from: '2026-01-01',
          currency: 'EUR',
          prices: { input: '1', output: '1.0000000001' },
        },
      ],
      fx_rates: [{ currency: 'usd', effective_from: '2026-01-01', usd_per_unit: '1' }],
    });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problems).toEqual(
      expect.arrayContaining([
        'rate_cards[0].effective_from: required, a date or ISO time',
        'rate_cards[0].prices.input: must be zero or more, got -1',
        'rate_cards[0].prices.output: required',
        'rate_cards[1].id: "a" appears twice',
        'rate_cards[1].prices.inptu: unknown price (input, cache_read, cache_write_5m, cache_write_1h, output, reasoning, per_request, units)',
        'rate_cards[2]: needs either prices or a multiplier (not both)',
        'rate_cards[3].prices.output: "1.0000000001" has more than 9 decimal places (finer than a nano)',
        'fx_rates[0].currency: an ISO 4217 code other than USD',
      ]),
    );
  });

  it('names the path of problems in tiers, sections, dates and currencies, in the same style', () => {
    const card = { provider: 'openai', model: 'x', effective_from: '2026-01-01' };
    const parsed = parseRateFile({
      rate_cards: [
        {
          ...card,
          id: 't',
          prices: { input: 1, output: 2 },
          tiers: [{ input_tokens_above: 1.5, prices: {} }],
        },
        { ...card, id: 'late', effective_to: '2025-01-01', multiplier: '0.9', applies_to: 'some' },
        { ...card, id: 'eur', currency: 'EUR', prices: { input: '1', output: '1' } },
        { ...card, id: 'bad id!', prices: { input: '1', output: '1', units: 'many' } },
      ],
      fx_rates: [{ currency: 'EUR', effective_from: '2026-06-01', usd_per_unit: '0' }],
      extras: [],
    });
    expect(!parsed.ok && parsed.problems).toEqual([
      'rate_cards[0].tiers[0].input_tokens_above: a whole number of tokens',
      'rate_cards[0].tiers[0].prices.input: required',
      'rate_cards[0].tiers[0].prices.output: required',
      'rate_cards[1].applies_to: tokens (default) or all',
      'rate_cards[3].id: "bad id!" is not a valid id',
      'rate_cards[3].prices.units: must map a unit name to its price per unit',
      'fx_rates[0].usd_per_unit: must be above zero, got 0',
      'extras: unknown section (rate_cards, fx_rates)',
    ]);
    const ok = { rate_cards: [{ ...card, id: 'late', effective_to: '2025-01-01', multiplier: '0.9' }] };
    expect(parseRateFile(ok)).toEqual({
      ok: false,
      problems: ['rate_cards[0].effective_to: must be after effective_from'],
    });
    const eur = {
      rate_cards: [{ ...card, id: 'eur', currency: 'EUR', prices: { input: '1', output: '1' } }],
    };
    expect(parseRateFile(eur)).toEqual({
      ok: false,
      problems: ['rate_cards[0].currency: EUR needs an fx_rates entry in effect from 2026-01-01'],
    });
    expect(parseRateFile('rate_cards: []')).toEqual({
      ok: false,
      problems: ['the document must be a mapping with rate_cards and fx_rates'],
    });
    expect(parseRateFile({ rate_cards: null })).toEqual({
      ok: true,
      value: { cards: [], multipliers: [], fx: [] },
    });
  });
});
