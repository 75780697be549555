import { PriceCatalog } from '@tokentally/domain-pricing';
import { skuCharges } from './focus-prices';
import { usageGroup } from './spec-fixtures';

const book = { catalog: new PriceCatalog(), fx: [] };

describe('skuCharges', () => {
  it('one charge per token type at the published catalog price, with what the ledger booked', () => {
    const { card, charges } = skuCharges(usageGroup(), book);
    expect(card.id).toBe('catalog:openai/gpt-4o');
    expect(charges.map((c) => [c.meter, c.quantity, c.listPrice, c.contractedPrice, c.nanos])).toEqual([
      ['input', 1234n, '2.5', '2.5', 3_085_000n],
      ['cache-read', 100n, '1.25', '1.25', 125_000n],
      ['output', 77n, '10', '10', 770_000n],
    ]);
  });

  it('a stored card of any version, its tier, its multiplier, FX and reasoning priced apart', () => {
    const card = {
      provider: 'acme',
      model: 'm-*',
      effectiveFrom: 0,
      currency: 'EUR',
      prices: { uncachedInput: '1', output: '4', reasoning: '8', perRequest: '0.002' },
      tiers: [
        { name: 'big', inputTokensAbove: 100, prices: { uncachedInput: '2', output: '6', reasoning: '9' } },
      ],
    };
    const { charges } = skuCharges(
      usageGroup({
        provider: 'acme',
        model: 'm-1',
        rate_card_id: 'acme-eur',
        rate_card_version: 'v3',
        card_definition: card,
        pricing_tier: 'big',
        rate_multiplier: '0.8',
        multiplier_applies_to: 'tokens',
        original_currency: 'EUR',
        fx_rate_id: 'EUR@2026-10-01',
        cache_read_tokens: 0n,
        cache_read_nanos: 0n,
        request_fee_nanos: 6_600_000n,
      }),
      { ...book, fx: [{ id: 'EUR@2026-10-01', currency: 'EUR', effectiveFrom: 0, usdPerUnit: '1.1' }] },
    );
    expect(charges.map((c) => [c.meter, c.quantity, c.listPrice, c.contractedPrice])).toEqual([
      ['input', 1234n, '2.2', '1.76'],
      ['output', 72n, '6.6', '5.28'],
      ['reasoning', 5n, '9.9', '7.92'],
      // the multiplier scales tokens only: request fees keep the list price
      ['request', 3n, '0.0022', '0.0022'],
    ]);
  });

  it('splits a units cost over unit names by list cost, summing exactly', () => {
    const { charges } = skuCharges(
      usageGroup({ units: { web_search_requests: 3n }, units_nanos: 30_000_000n }),
      book,
    );
    expect(charges.find((c) => c.meter === 'unit-web_search_requests')).toMatchObject({
      quantity: 3n,
      listPrice: '0.01',
      perMillion: false,
      nanos: 30_000_000n,
    });
  });

  it('refuses to guess a price it cannot find', () => {
    expect(() => skuCharges(usageGroup({ provider: 'nobody', model: 'nothing' }), book)).toThrow(
      /no published price/,
    );
    expect(() => skuCharges(usageGroup({ pricing_tier: 'huge' }), book)).toThrow(/no tier "huge"/);
  });
});
