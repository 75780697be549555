import type { OverlayEntry } from './overlay-entry';

const BATCH = {
  url: 'https://platform.openai.com/docs/guides/batch',
  checked: '2026-12-01',
  note: 'Batch API: 50% discount on tokens compared to synchronous APIs; tool calls (web search) keep their price',
};
const FLEX = {
  url: 'https://platform.openai.com/docs/guides/flex-processing',
  checked: '2026-12-01',
  note: 'service_tier "flex": token prices of the Batch API (half the standard price), o3, o4-mini and GPT-5 models only',
};
const PRIORITY = {
  url: 'https://openai.com/api-priority-processing/',
  checked: '2026-12-01',
  note: 'service_tier "priority": per-model prices; requests above 128K prompt tokens are served (and answered) as standard',
};
// Priority processing was launched for these models in 2025; no call can carry the tier before that, so
// an early start date only bounds the entry. The price table has not changed since it was published.
const PRIORITY_FROM = '2025-04-01';

const priority = (id: string, models: string[], input: string, cached: string | undefined, output: string) =>
  ({
    id: `openai-priority-${id}`,
    provider: 'openai',
    models,
    serviceTier: 'priority',
    effectiveFrom: PRIORITY_FROM,
    source: PRIORITY,
    kind: 'prices',
    prices: { uncachedInput: input, ...(cached ? { cacheRead: cached } : {}), output },
  }) satisfies OverlayEntry;

export const OPENAI_OVERLAY: readonly OverlayEntry[] = [
  {
    id: 'openai-batch',
    provider: 'openai',
    models: '*',
    serviceTier: 'batch',
    effectiveFrom: '2024-04-15',
    source: BATCH,
    kind: 'multiplier',
    factor: '0.5',
    appliesTo: 'tokens',
  },
  {
    id: 'openai-flex',
    provider: 'openai',
    models: ['o3', 'o4-mini', 'gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'gpt-5.1'],
    serviceTier: 'flex',
    effectiveFrom: '2025-04-17',
    source: FLEX,
    kind: 'multiplier',
    factor: '0.5',
    appliesTo: 'tokens',
  },
  priority('gpt-4.1', ['gpt-4.1'], '3.50', '0.875', '14.00'),
  priority('gpt-4.1-mini', ['gpt-4.1-mini'], '0.70', '0.175', '2.80'),
  priority('gpt-4.1-nano', ['gpt-4.1-nano'], '0.20', '0.05', '0.80'),
  // the catalog's gpt-4o entry is gpt-4o, gpt-4o-2024-08-06 and gpt-4o-2024-11-20: one priority price
  priority('gpt-4o', ['gpt-4o'], '4.25', '2.125', '17.00'),
  priority('gpt-4o-2024-05-13', ['gpt-4o-2024-05-13'], '8.75', undefined, '26.25'),
  priority('gpt-4o-mini', ['gpt-4o-mini'], '0.25', '0.125', '1.00'),
  priority('o3', ['o3'], '3.50', '0.875', '14.00'),
  priority('o4-mini', ['o4-mini'], '2.00', '0.50', '8.00'),
  priority('gpt-5', ['gpt-5'], '2.50', '0.25', '20.00'),
  priority('gpt-5-mini', ['gpt-5-mini'], '0.45', '0.045', '3.60'),
  priority('gpt-5.1', ['gpt-5.1'], '2.50', '0.25', '20.00'),
];
