import { PriceCatalog, rateBookFrom, type RateBook } from '@tokentally/domain-pricing';
import type { RatesRepository } from '@tokentally/adapters-postgres-ledger';
import type { Logger } from '@tokentally/platform-observability';
import { PollingSnapshot } from '@tokentally/platform-service';

/**
 * The rate book in memory: pricing never waits on Postgres; `tally rates apply` is picked up live.
 * The catalog is pinned data, combined with the stored rate cards and FX on each load.
 */
export class RateBookCache extends PollingSnapshot<RateBook> {
  constructor(repository: RatesRepository, logger: Logger, catalog = new PriceCatalog()) {
    super(
      'rate book',
      {
        version: () => repository.version(),
        load: async () => {
          const stored = await repository.load();
          return { version: stored.version, value: rateBookFrom(stored.cards, stored.fx, catalog) };
        },
      },
      rateBookFrom([], [], catalog),
      logger,
      (book) => ({ cards: book.cards.length, multipliers: book.multipliers.length, fxRates: book.fx.length }),
    );
  }
}
