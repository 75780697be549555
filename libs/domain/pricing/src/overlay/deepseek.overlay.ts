import type { OverlayEntry } from './overlay-entry';

const PRICING = 'https://api-docs.deepseek.com/quick_start/pricing';
const MODELS = ['deepseek-chat', 'deepseek-reasoner'];
// The off-peak discount ran from its announcement (2025-02-26, 16:30 UTC) until the V3.1 price list
// replaced it on 2025-09-05 16:00 UTC; the catalog carries the two daily prices but not those dates.
const OFF_PEAK_FROM = '2025-02-26T16:30:00Z';
const V31_FROM = '2025-09-05T16:00:00Z';
const V32_FROM = '2025-09-29';

export const DEEPSEEK_OVERLAY: readonly OverlayEntry[] = [
  {
    id: 'deepseek-off-peak',
    provider: 'deepseek',
    models: MODELS,
    effectiveFrom: OFF_PEAK_FROM,
    effectiveTo: V31_FROM,
    dailyUtc: { from: '16:30', to: '00:30' },
    source: {
      url: PRICING,
      checked: '2026-12-01',
      note: 'DISCOUNT PRICE (UTC 16:30-00:30), both models: cache hit $0.035, cache miss $0.135, output $0.550',
    },
    kind: 'prices',
    prices: { uncachedInput: '0.135', cacheRead: '0.035', output: '0.55' },
  },
  {
    id: 'deepseek-chat-standard-2025',
    provider: 'deepseek',
    models: ['deepseek-chat'],
    effectiveFrom: OFF_PEAK_FROM,
    effectiveTo: V31_FROM,
    dailyUtc: { from: '00:30', to: '16:30' },
    source: { url: PRICING, checked: '2026-12-01', note: 'STANDARD PRICE (UTC 00:30-16:30), deepseek-chat' },
    kind: 'prices',
    prices: { uncachedInput: '0.27', cacheRead: '0.07', output: '1.10' },
  },
  {
    id: 'deepseek-reasoner-standard-2025',
    provider: 'deepseek',
    models: ['deepseek-reasoner'],
    effectiveFrom: OFF_PEAK_FROM,
    effectiveTo: V31_FROM,
    dailyUtc: { from: '00:30', to: '16:30' },
    source: {
      url: PRICING,
      checked: '2026-12-01',
      note: 'STANDARD PRICE (UTC 00:30-16:30), deepseek-reasoner',
    },
    kind: 'prices',
    prices: { uncachedInput: '0.55', cacheRead: '0.14', output: '2.19' },
  },
  {
    id: 'deepseek-v3.1',
    provider: 'deepseek',
    models: MODELS,
    effectiveFrom: V31_FROM,
    effectiveTo: V32_FROM,
    source: {
      url: PRICING,
      checked: '2026-12-01',
      note: 'From 16:00 UTC on 2025-09-05 the nighttime discount is cancelled: cache hit $0.07, cache miss $0.56, output $1.68',
    },
    kind: 'prices',
    prices: { uncachedInput: '0.56', cacheRead: '0.07', output: '1.68' },
  },
  {
    id: 'deepseek-v3.2',
    provider: 'deepseek',
    models: MODELS,
    effectiveFrom: V32_FROM,
    source: {
      url: PRICING,
      checked: '2026-12-01',
      note: 'V3.2-Exp (API news of 2025-09-29): prices cut 50%+ effective immediately (the notice gives the day, not the hour): cache hit $0.028, cache miss $0.28, output $0.42. Later changes (V4, 2026) are not carried: write a rate card',
    },
    kind: 'prices',
    prices: { uncachedInput: '0.28', cacheRead: '0.028', output: '0.42' },
  },
];
