import { parseDecimalToNanos } from '@tokentally/domain-money';
import { PriceOverlay } from '../price-overlay';
import { PRICE_OVERLAY, overlayInstant } from '.';

describe('the price overlay data', () => {
  it('gives every entry a unique id, an https source, the day it was read and valid dates', () => {
    const ids = PRICE_OVERLAY.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const entry of PRICE_OVERLAY) {
      expect(entry.source.url).toMatch(/^https:\/\/[a-z0-9.-]+\//);
      expect(entry.source.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const to = entry.effectiveTo === undefined ? Infinity : overlayInstant(entry.effectiveTo);
      expect(to).toBeGreaterThan(overlayInstant(entry.effectiveFrom));
    }
    expect(() => new PriceOverlay()).not.toThrow();
  });

  it('holds exact decimal prices and factors only (parsed to the nano)', () => {
    const decimals = PRICE_OVERLAY.flatMap((entry) => {
      switch (entry.kind) {
        case 'multiplier':
          return [entry.factor];
        case 'units':
          return Object.values(entry.units);
        case 'prices':
          return Object.values(entry.prices).filter((v): v is string => typeof v === 'string');
        case 'tiers':
          return entry.tiers.flatMap((tier) =>
            Object.values(tier.prices).filter((v): v is string => typeof v === 'string'),
          );
      }
    });
    expect(decimals.length).toBeGreaterThan(20);
    for (const text of decimals) expect(parseDecimalToNanos(text)).toBeGreaterThanOrEqual(0n);
  });
});
