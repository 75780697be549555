import { PriceCatalog, rateBookFrom, type RateBook } from '@tokentally/domain-pricing';
import type { RatesRepository } from '@tokentally/adapters-postgres-ledger';
import type { Logger } from '@tokentally/platform-observability';

/**
 * The rate book held in memory so pricing never waits on Postgres per event. A version check runs on
 * an interval; a new `tally rates apply` is picked up without a restart. The catalog is pinned data.
 */
export class RateBookCache {
  private book: RateBook;
  private version = -1n;
  private timer: NodeJS.Timeout | undefined;
  private readonly catalog = new PriceCatalog();

  constructor(
    private readonly repository: RatesRepository,
    private readonly logger: Logger,
  ) {
    this.book = rateBookFrom([], [], this.catalog);
  }

  get current(): RateBook {
    return this.book;
  }

  async start(refreshMs: number): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((error: unknown) =>
        this.logger.warn('rate book refresh failed; keeping the last one', { error }),
      );
    }, refreshMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async refresh(): Promise<boolean> {
    if ((await this.repository.version()) === this.version) return false;
    const stored = await this.repository.load();
    this.book = rateBookFrom(stored.cards, stored.fx, this.catalog);
    this.version = stored.version;
    this.logger.info('rate book loaded', {
      version: stored.version,
      cards: this.book.cards.length,
      multipliers: this.book.multipliers.length,
      fxRates: this.book.fx.length,
    });
    return true;
  }
}
