import type { PricedCallEvent } from '@tokentally/contracts';
import {
  callDifferences,
  callFactsOf,
  type AdjustmentRow,
  type LedgerConflict,
  type LedgerWriter,
  type RecordResult,
} from '@tokentally/domain-ledger';

/**
 * The ledger port in memory, with the Postgres ledger's contract: an event_id is booked once; a
 * resend with the same facts is a duplicate, with other facts a conflict (the booked call stands), also
 * within one batch; adjustments are kept once per id. `failNextRecord` rejects the next write whole,
 * as a failed transaction does.
 */
export class InMemoryLedger implements LedgerWriter {
  readonly booked = new Map<string, PricedCallEvent>();
  readonly adjustments = new Map<string, AdjustmentRow>();
  private failure: Error | undefined;

  async record(events: readonly PricedCallEvent[]): Promise<RecordResult> {
    if (this.failure) {
      const error = this.failure;
      this.failure = undefined;
      throw error;
    }
    const fresh = new Map<string, PricedCallEvent>();
    const conflicts: LedgerConflict[] = [];
    let duplicates = 0;
    for (const event of events) {
      const earlier = this.booked.get(event.event_id) ?? fresh.get(event.event_id);
      if (!earlier) {
        fresh.set(event.event_id, event);
        continue;
      }
      const differences = callDifferences(callFactsOf(earlier), callFactsOf(event));
      if (differences.length === 0) duplicates += 1;
      else conflicts.push({ event, differences });
    }
    // all or nothing, like the batch transaction
    for (const [id, event] of fresh) this.booked.set(id, event);
    return { inserted: fresh.size, duplicates, conflicts };
  }

  async adjust(adjustments: readonly AdjustmentRow[]): Promise<number> {
    let added = 0;
    for (const adjustment of adjustments)
      if (!this.adjustments.has(adjustment.adjustmentId)) {
        this.adjustments.set(adjustment.adjustmentId, adjustment);
        added += 1;
      }
    return added;
  }

  /** Sum of the booked totals, exact. */
  totalNanos(): bigint {
    let total = 0n;
    for (const event of this.booked.values()) total += BigInt(event.cost.total_nanos);
    return total;
  }

  failNextRecord(error = new Error('ledger transaction failed')): void {
    this.failure = error;
  }
}
