import type { OverlayEntry } from './overlay-entry';

export const GOOGLE_OVERLAY: readonly OverlayEntry[] = [
  {
    id: 'google-gemini-batch',
    provider: 'google',
    models: '*',
    serviceTier: 'batch',
    effectiveFrom: '2025-07-07',
    source: {
      url: 'https://ai.google.dev/gemini-api/docs/batch-mode',
      checked: '2026-12-01',
      note: 'Gemini API Batch Mode: 50% of the standard (interactive) price per token; grounding with Google Search keeps its price',
    },
    kind: 'multiplier',
    factor: '0.5',
    appliesTo: 'tokens',
  },
];
