import { TOPICS } from '@tokentally/contracts';
import {
  providerCostEvent,
  reconciliationEvent,
  type CostLine,
  type ReconciliationRun,
} from '@tokentally/domain-reconciliation';
import type { AvroProducer } from '@tokentally/platform-kafka';

/** Publishes new and restated lines, every cell of a run, and alerts for cells beyond tolerance. */
export class ReconciliationPublisher {
  constructor(private readonly producer: AvroProducer) {}

  async lines(
    changed: { line: CostLine; revision: number; correctionNanos: bigint }[],
    at: number,
  ): Promise<void> {
    if (changed.length === 0) return;
    await this.producer.send(
      TOPICS.providerCosts,
      changed.map(({ line, revision, correctionNanos }) => ({
        key: `${line.provider}:${line.accountId}`,
        value: providerCostEvent(line, revision, correctionNanos, at),
      })),
    );
  }

  async run(run: ReconciliationRun, at: number): Promise<void> {
    if (run.cells.length > 0)
      await this.producer.send(
        TOPICS.reconciliation,
        run.cells.map((cell) => ({
          key: `${cell.provider}:${cell.accountId}`,
          value: reconciliationEvent(cell, at),
        })),
      );
    if (run.alerts.length > 0)
      await this.producer.send(
        TOPICS.alerts,
        run.alerts.map((alert) => ({ key: alert.scope.team_id, value: alert })),
      );
  }
}
