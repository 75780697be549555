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
  {
    // The catalog prices Sonnet 4 flat; Anthropic bills prompts above 200K input tokens (1M context,
    // from 2025-08-12) at the long-context rates, every token of the request, cache included.
    id: 'anthropic-sonnet-4-long-context',
    provider: 'anthropic',
    models: ['claude-sonnet-4-0'],
    effectiveFrom: '2025-08-12',
    source: {
      url: 'https://docs.anthropic.com/en/docs/about-claude/pricing',
      checked: '2026-12-01',
      note: 'Long context pricing, Sonnet 4 > 200K input tokens: input $6, output $22.50, cache write 5m $7.50 / 1h $12, cache read $0.60 per MTok',
    },
    kind: 'tiers',
    tiers: [
      {
        name: 'long_context',
        inputTokensAbove: 200_000,
        prices: {
          uncachedInput: '6.00',
          cacheRead: '0.60',
          cacheWrite5m: '7.50',
          cacheWrite1h: '12.00',
          output: '22.50',
        },
      },
    ],
  },
  {
    id: 'anthropic-web-fetch',
    provider: 'anthropic',
    models: '*',
    effectiveFrom: '2025-09-10',
    source: {
      url: 'https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/web-fetch-tool',
      checked: '2026-12-01',
      note: 'Web fetch usage has no additional charges beyond standard token costs (the fetched content is billed as input tokens)',
    },
    kind: 'units',
    units: { web_fetch_requests: '0' },
  },
];
