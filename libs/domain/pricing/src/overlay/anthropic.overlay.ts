import type { OverlayEntry } from './overlay-entry';

export const ANTHROPIC_OVERLAY: readonly OverlayEntry[] = [
  {
    id: 'anthropic-batch',
    provider: 'anthropic',
    models: '*',
    serviceTier: 'batch',
    effectiveFrom: '2024-10-08',
    source: {
      url: 'https://docs.anthropic.com/en/docs/about-claude/pricing',
      checked: '2026-12-01',
      note: 'Message Batches: 50% of standard API prices; prompt-caching multipliers stack with it; server tools (web search) are not discounted',
    },
    kind: 'multiplier',
    factor: '0.5',
    appliesTo: 'tokens',
  },
];
