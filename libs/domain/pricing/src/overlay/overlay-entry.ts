import type { RatePrices, RateTier } from '../rate-card';

/**
 * The project's own price overlay: published prices the pinned catalog (@pydantic/genai-prices) does
 * not carry — batch / flex / priority tiers, missing long-context tiers, zero-priced server tools,
 * time-of-day prices. It sits between the user's rate cards and the catalog (docs/pricing.md). Every
 * entry names the page it was read from and when, so a reviewer can check it and a price change is a
 * reviewed diff, like a catalog bump.
 */
export interface OverlaySource {
  url: string;
  /** The day the page was read (YYYY-MM-DD). */
  checked: string;
  /** What the page says, briefly, where the entry is not a plain copy of a price table. */
  note?: string;
}

/** A window of the UTC day, `HH:MM` to `HH:MM`, end exclusive; it wraps past midnight when from > to. */
export interface DailyWindowUtc {
  from: string;
  to: string;
}

interface OverlayScope {
  id: string;
  /** tokentally's provider id (openai, anthropic, google, deepseek, ...). */
  provider: string;
  /**
   * Catalog entry ids (the `catalog:<provider>/<id>` part after the slash) this entry applies to, or
   * `*` for every model of the provider the catalog prices. Keyed by catalog entry, not by model text,
   * so every alias and dated version of a model gets the same overlay and a look-alike id gets none.
   */
  models: readonly string[] | '*';
  /** Only calls served on this tier (the response's service_tier). */
  serviceTier?: string;
  /** ISO date (midnight UTC) or time: in effect from (inclusive) ... */
  effectiveFrom: string;
  /** ... to (exclusive). */
  effectiveTo?: string;
  dailyUtc?: DailyWindowUtc;
  source: OverlaySource;
}

export type OverlayEntry = OverlayScope &
  (
    | {
        /** Replaces the catalog's prices (and tiers) for the calls in scope. */
        kind: 'prices';
        prices: RatePrices;
        tiers?: RateTier[];
      }
    | {
        /** Adds long-context tiers the catalog lacks; the catalog's base prices stay. */
        kind: 'tiers';
        tiers: RateTier[];
      }
    | {
        /** Prices per unit the catalog lacks (e.g. a server tool with no charge of its own: "0"). */
        kind: 'units';
        units: Record<string, string>;
      }
    | {
        /**
         * A tier's discount as a multiplier of whichever catalog prices apply (batch, flex). Your own
         * multiplier, if one covers the call, replaces it. `tokens` leaves per-request fees and priced
         * units (web searches) alone: batch discounts are not uniform.
         */
        kind: 'multiplier';
        factor: string;
        appliesTo: 'tokens' | 'all';
      }
  );

/** A date (midnight UTC) or an ISO time, as epoch ms. */
export function overlayInstant(text: string): number {
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms)) throw new RangeError(`overlay date "${text}" is not a date or ISO time`);
  return ms;
}

const DAY = 86_400_000;

/** `HH:MM[:SS][Z]` as ms after midnight UTC. */
export function timeOfDay(text: string): number {
  const match = /^(\d{2}):(\d{2})(?::(\d{2}))?Z?$/.exec(text);
  if (!match) throw new RangeError(`"${text}" is not a UTC time of day (HH:MM)`);
  const [hours, minutes, seconds] = [match[1], match[2], match[3] ?? '0'].map(Number) as [
    number,
    number,
    number,
  ];
  if (hours > 24 || minutes > 59 || seconds > 59) throw new RangeError(`"${text}" is not a time of day`);
  return ((hours * 60 + minutes) * 60 + seconds) * 1000;
}

/** A daily window as ms after midnight UTC: [from, to), wrapping when from > to. */
export interface DailyWindow {
  from: number;
  to: number;
}

export function dailyWindow(window: DailyWindowUtc): DailyWindow {
  return { from: timeOfDay(window.from), to: timeOfDay(window.to) };
}

export function inDailyWindow(window: DailyWindow, at: number): boolean {
  const t = ((at % DAY) + DAY) % DAY;
  return window.from <= window.to ? t >= window.from && t < window.to : t >= window.from || t < window.to;
}
