import type { BookedCall } from '@tokentally/domain-budget';

/** The pricer's budget commit port in memory: what the pipeline committed, batch by batch. */
export class RecordingBudgetCommits {
  readonly batches: BookedCall[][] = [];

  async commit(calls: readonly BookedCall[]): Promise<void> {
    this.batches.push([...calls]);
  }

  get committed(): BookedCall[] {
    return this.batches.flat();
  }
}
