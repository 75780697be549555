import type { Logger } from '@tokentally/platform-observability';

/** Where a snapshot comes from: a cheap version probe and a full load that says which version it is. */
export interface SnapshotSource<T> {
  version(): Promise<bigint>;
  load(): Promise<{ version: bigint; value: T }>;
}

/**
 * Reference data (the org registry, the rate book) held in memory so the hot path never waits on
 * PostgreSQL per event. A cheap version check runs on an interval and reloads the whole snapshot when
 * a newer one was applied (`tally org apply`, `tally rates apply`), so changes take effect without a
 * restart. A failed refresh (database restarting) keeps the last snapshot and tries again next tick.
 */
export class PollingSnapshot<T> {
  private snapshot: T;
  private version = -1n;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    /** What the logs call it: "org registry", "rate book". */
    private readonly name: string,
    private readonly source: SnapshotSource<T>,
    initial: T,
    private readonly logger: Logger,
    /** Counts worth logging when a version loads. */
    private readonly describe: (value: T) => Record<string, unknown> = () => ({}),
  ) {
    this.snapshot = initial;
  }

  get current(): T {
    return this.snapshot;
  }

  /** Loads once (failing start-up if that fails), then polls every `refreshMs`. */
  async start(refreshMs: number): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((error: unknown) =>
        this.logger.warn(`${this.name} refresh failed; keeping the last snapshot`, { error }),
      );
    }, refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Nest lifecycle: stop polling when the application closes. */
  onModuleDestroy(): void {
    this.stop();
  }

  /** Reloads if a newer version was applied; returns whether it did. */
  async refresh(): Promise<boolean> {
    if ((await this.source.version()) === this.version) return false;
    const loaded = await this.source.load();
    this.snapshot = loaded.value;
    this.version = loaded.version;
    this.logger.info(`${this.name} loaded`, { version: loaded.version, ...this.describe(loaded.value) });
    return true;
  }
}
