import {
  OVERLAY_VERSION,
  PRICE_OVERLAY,
  dailyWindow,
  inDailyWindow,
  overlayInstant,
  type DailyWindow,
  type OverlayEntry,
} from './overlay';
import type { CallScope, RateCard, RateMultiplier } from './rate-card';

interface Compiled {
  entry: OverlayEntry;
  from: number;
  to: number;
  window: DailyWindow | undefined;
  /** Higher wins among entries of one kind: a named model, a tier and a daily window narrow an entry. */
  rank: number;
  multiplier: RateMultiplier | undefined;
}

function compile(entry: OverlayEntry, version: string): Compiled {
  const from = overlayInstant(entry.effectiveFrom);
  const to = entry.effectiveTo === undefined ? Infinity : overlayInstant(entry.effectiveTo);
  if (!(to > from)) throw new RangeError(`overlay ${entry.id}: effectiveTo must be after effectiveFrom`);
  return {
    entry,
    from,
    to,
    window: entry.dailyUtc ? dailyWindow(entry.dailyUtc) : undefined,
    rank: (entry.models === '*' ? 0 : 4) + (entry.serviceTier ? 2 : 0) + (entry.dailyUtc ? 1 : 0),
    multiplier:
      entry.kind === 'multiplier'
        ? {
            id: `overlay:${entry.id}`,
            version,
            provider: entry.provider,
            model: entry.models === '*' ? '*' : entry.models.join('|'),
            ...(entry.serviceTier ? { serviceTier: entry.serviceTier } : {}),
            effectiveFrom: from,
            ...(Number.isFinite(to) ? { effectiveTo: to } : {}),
            factor: entry.factor,
            appliesTo: entry.appliesTo,
          }
        : undefined,
  };
}

/**
 * The project's price overlay (./overlay) applied to catalog prices: which entries cover a call of a
 * catalog entry at its own time (effective dates, the UTC time of day, the tier served), and the card
 * that results. Patched cards are remembered so each is planned once, like catalog cards.
 */
export class PriceOverlay {
  private readonly entries: Compiled[];
  private readonly cards = new Map<string, RateCard>();

  constructor(
    entries: readonly OverlayEntry[] = PRICE_OVERLAY,
    readonly version: string = OVERLAY_VERSION,
  ) {
    this.entries = entries.map((entry) => compile(entry, version));
  }

  private scoped(provider: string, catalogId: string): Compiled[] {
    return this.entries.filter(
      ({ entry }) =>
        entry.provider === provider && (entry.models === '*' || entry.models.includes(catalogId)),
    );
  }

  private inScope(call: CallScope, catalogId: string): Compiled[] {
    const tier = call.serviceTier ?? 'default';
    return this.scoped(call.provider, catalogId)
      .filter(
        (c) =>
          c.from <= call.at &&
          call.at < c.to &&
          (c.entry.serviceTier === undefined || c.entry.serviceTier === tier) &&
          (c.window === undefined || inDailyWindow(c.window, call.at)),
      )
      .sort((a, b) => b.rank - a.rank || b.from - a.from || a.entry.id.localeCompare(b.entry.id));
  }

  /** The instants an entry for this catalog entry starts or ends: resolution boundaries. */
  changesFor(provider: string, catalogId: string): number[] {
    return this.scoped(provider, catalogId).flatMap((c) =>
      Number.isFinite(c.to) ? [c.from, c.to] : [c.from],
    );
  }

  /** The daily windows of the entries for this catalog entry (resolution also depends on them). */
  windowsFor(provider: string, catalogId: string): DailyWindow[] {
    return this.scoped(provider, catalogId).flatMap((c) => (c.window ? [c.window] : []));
  }

  /** A tier's discount (batch, flex) for a call the catalog prices, if the overlay publishes one. */
  multiplierFor(call: CallScope, catalogId: string): RateMultiplier | undefined {
    return this.inScope(call, catalogId).find((c) => c.multiplier)?.multiplier;
  }

  /** The catalog card with the overlay's prices, tiers and units for this call; the same card if none. */
  patch(card: RateCard, call: CallScope, catalogId: string): RateCard {
    const covering = this.inScope(call, catalogId);
    const prices = covering.find((c) => c.entry.kind === 'prices');
    const extras = covering.filter((c) => c.entry.kind === 'tiers' || c.entry.kind === 'units');
    if (!prices && extras.length === 0) return card;
    const applied = [...(prices ? [prices] : []), ...extras];
    const key = `${card.provider}\u0000${card.id}\u0000${card.model}\u0000${card.version}\u0000${applied.map((c) => c.entry.id).join(',')}`;
    let patched = this.cards.get(key);
    if (patched) return patched;
    if (this.cards.size >= 10_000) this.cards.clear();
    patched = { ...card };
    if (prices?.entry.kind === 'prices') {
      const { prices: base, tiers } = prices.entry;
      patched.id = `overlay:${prices.entry.id}`;
      // fees and priced units the entry does not name keep the catalog's price
      patched.prices = {
        ...(card.prices.perRequest !== undefined ? { perRequest: card.prices.perRequest } : {}),
        ...base,
        ...(card.prices.units ? { units: { ...card.prices.units, ...base.units } } : {}),
      };
      if (tiers) patched.tiers = tiers;
      else delete patched.tiers;
    }
    for (const { entry } of extras) {
      if (entry.kind === 'tiers') patched.tiers = [...(patched.tiers ?? []), ...entry.tiers];
      if (entry.kind === 'units')
        patched.prices = { ...patched.prices, units: { ...entry.units, ...patched.prices.units } };
    }
    patched.effectiveFrom = Math.max(card.effectiveFrom, ...applied.map((c) => c.from));
    patched.version = `${card.version} + ${this.version} (${applied.map((c) => c.entry.id).join(', ')})`;
    this.cards.set(key, patched);
    return patched;
  }
}
