import { PriceCatalog, rateBookFrom } from '@tokentally/domain-pricing';
import {
  fxReferenceFrom,
  importAndReconcile,
  isOverTolerance,
  rateLookupFrom,
  runReconciliation,
  type ImportFormat,
  type ImportPorts,
  type ImportSummary,
  type ReconcileOptions,
  type ReconciliationRun,
} from '@tokentally/domain-reconciliation';
import type { RatesRepository } from '@tokentally/adapters-postgres-ledger';
import type { ReconciliationPublisher } from './outbound/reconciliation.publisher';
import type { ReconcilerMetrics } from './reconciler.metrics';

export interface ReconcilerSettings {
  toleranceBp: number;
  monthToleranceBp: number;
}

/**
 * Imports provider exports and reconciles days: the pure domain decides, the ports store, this
 * publishes. The clock only says which days are provisional and which days a timed re-run covers;
 * cells themselves follow the exports' and the ledger's UTC days.
 */
export class ReconcilerPipeline {
  private readonly catalog = new PriceCatalog();

  constructor(
    private readonly ports: ImportPorts,
    private readonly rates: RatesRepository,
    private readonly publisher: ReconciliationPublisher,
    private readonly metrics: ReconcilerMetrics,
    private readonly settings: ReconcilerSettings,
    private readonly clock: () => number = Date.now,
  ) {}

  async importFile(
    format: ImportFormat,
    content: string,
    meta: { accountId?: string; fileName?: string; provider?: string },
  ): Promise<ImportSummary> {
    const options = await this.options();
    const summary = await importAndReconcile(this.ports, format, content, meta, options);
    await this.publisher.lines(summary.changed, options.now);
    for (const outcome of ['inserted', 'corrected', 'unchanged'] as const)
      this.metrics.importedLines.inc({ format, outcome }, summary[outcome]);
    if (summary.run) this.observe(summary.run, 'import');
    if (summary.run) await this.publisher.run(summary.run, options.now);
    return summary;
  }

  /**
   * Fetches a provider's usage and cost reports of [from, to] from its admin API and imports each
   * (usage first: cost lines take their token counts from it), as an upload of the same pages would.
   */
  async fetchReports(
    fetcher: { fetchReports(from: string, to: string): Promise<{ format: ImportFormat; content: string }[]> },
    from: string,
    to: string,
    meta: { accountId?: string; provider: string },
  ): Promise<ImportSummary[]> {
    const summaries: ImportSummary[] = [];
    for (const report of await fetcher.fetchReports(from, to))
      summaries.push(
        await this.importFile(report.format, report.content, {
          ...(meta.accountId ? { accountId: meta.accountId } : {}),
          fileName: `${meta.provider}-${report.format}-${from}..${to}.json`,
        }),
      );
    return summaries;
  }

  /** Reconciles [from, to] (UTC days, inclusive) again from what is stored. */
  async reconcile(from: string, to: string, trigger = 'request'): Promise<ReconciliationRun> {
    const options = await this.options();
    const run = await runReconciliation(this.ports, { from, to }, options);
    this.observe(run, trigger);
    await this.publisher.run(run, options.now);
    return run;
  }

  /** The timed re-run: the last `days` UTC days before today (exports restate them). */
  async rerunRecent(days: number): Promise<ReconciliationRun> {
    const today = Date.parse(new Date(this.clock()).toISOString().slice(0, 10));
    const day = (offset: number): string => new Date(today - offset * 86_400_000).toISOString().slice(0, 10);
    return this.reconcile(day(days), day(1), 'timer');
  }

  private async options(): Promise<ReconcileOptions> {
    const stored = await this.rates.load();
    const book = rateBookFrom(stored.cards, stored.fx, this.catalog);
    return {
      now: this.clock(),
      cellToleranceBp: this.settings.toleranceBp,
      monthToleranceBp: this.settings.monthToleranceBp,
      rates: rateLookupFrom(book),
      fxReference: fxReferenceFrom(book),
    };
  }

  private observe(run: ReconciliationRun, trigger: string): void {
    this.metrics.runs.inc({ trigger });
    const open = new Map<string, bigint>();
    for (const cell of run.cells) {
      this.metrics.cells.inc({ provider: cell.provider, status: cell.status });
      if (isOverTolerance(cell))
        open.set(
          cell.provider,
          (open.get(cell.provider) ?? 0n) + (cell.deltaNanos < 0n ? -cell.deltaNanos : cell.deltaNanos),
        );
    }
    for (const [provider, nanos] of open) this.metrics.openDeltaNanos.set({ provider }, Number(nanos));
  }
}
