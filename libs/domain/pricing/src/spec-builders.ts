import type { BillableBuckets } from '@tokentally/contracts';
import type { RateCard } from './rate-card';

/** Test builders shared by this library's specs (not exported from the library). */
export const buckets = (b: Partial<BillableBuckets>): BillableBuckets => ({
  uncached_input: 0,
  cache_read: 0,
  cache_write_5m: 0,
  cache_write_1h: 0,
  output: 0,
  reasoning: 0,
  units: {},
  ...b,
});

/** A USD card for provider `p`, model `m`, in effect since the epoch. */
export const card = (prices: RateCard['prices'], extra: Partial<RateCard> = {}): RateCard => ({
  id: 'c',
  version: '1',
  provider: 'p',
  model: 'm',
  effectiveFrom: 0,
  currency: 'USD',
  prices,
  ...extra,
});
