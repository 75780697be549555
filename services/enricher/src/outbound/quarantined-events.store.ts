import type { QuarantineRepository } from '@tokentally/platform-db';

/**
 * Which already-enriched events a later stage (the pricer) set aside and nobody replayed yet. A
 * producer that fixes such an event (e.g. its model id after UNKNOWN_RATE) and sends it again with the
 * same event_id must be priced: the dedup store alone would drop the resend as a redelivery.
 */
export class QuarantinedEventsStore {
  constructor(
    private readonly repository: Pick<QuarantineRepository, 'pendingForEvents' | 'markReplayed'>,
    private readonly stage = 'pricer',
  ) {}

  /** event_id -> quarantine ids still pending for it. */
  async pending(eventIds: readonly string[]): Promise<Map<string, string[]>> {
    const byEvent = new Map<string, string[]>();
    for (const row of await this.repository.pendingForEvents(eventIds, this.stage))
      byEvent.set(row.event_id, [...(byEvent.get(row.event_id) ?? []), row.quarantine_id]);
    return byEvent;
  }

  /**
   * The resend took the quarantined copy's place: it counts as its replay, so `tally quarantine
   * replay` does not send the stale original on as well.
   */
  async superseded(quarantineIds: readonly string[]): Promise<void> {
    if (quarantineIds.length > 0) await this.repository.markReplayed(quarantineIds);
  }
}
