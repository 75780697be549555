import type { Logger } from '@tokentally/platform-observability';
import type { BudgetCheck } from '../budget.check';

/**
 * Moves booked spend from the commit bridge to the ledger's own month-to-date figure on an interval,
 * and seeds the month after a Redis loss before the next decision needs it.
 */
export class BudgetRefreshTimer {
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly budget: BudgetCheck,
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.budget.refresh();
    } catch (error) {
      this.logger.warn('budget refresh from the ledger failed; retrying on the next tick', { error });
    } finally {
      this.running = false;
    }
  }
}
