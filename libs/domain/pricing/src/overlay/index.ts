import { ANTHROPIC_OVERLAY } from './anthropic.overlay';
import { DEEPSEEK_OVERLAY } from './deepseek.overlay';
import { GOOGLE_OVERLAY } from './google.overlay';
import { OPENAI_OVERLAY } from './openai.overlay';
import type { OverlayEntry } from './overlay-entry';

export * from './overlay-entry';

/** Bumped with every change to the overlay's data: it is part of the version every overlaid price records. */
export const OVERLAY_VERSION = 'tokentally-overlay@2026-12-01';

export const PRICE_OVERLAY: readonly OverlayEntry[] = [
  ...OPENAI_OVERLAY,
  ...ANTHROPIC_OVERLAY,
  ...GOOGLE_OVERLAY,
  ...DEEPSEEK_OVERLAY,
];
