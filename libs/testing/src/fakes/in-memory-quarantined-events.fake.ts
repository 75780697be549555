/**
 * Which enriched events a later stage set aside (the enricher's QuarantinedEventsStore, Postgres in the
 * service): `setAside` records one, `superseded` marks quarantine ids replayed by a fixed resend.
 */
export class InMemoryQuarantinedEvents {
  private readonly byEvent = new Map<string, string[]>();
  readonly replayed = new Set<string>();

  setAside(eventId: string, quarantineId: string): void {
    this.byEvent.set(eventId, [...(this.byEvent.get(eventId) ?? []), quarantineId]);
  }

  async pending(eventIds: readonly string[]): Promise<Map<string, string[]>> {
    const pending = new Map<string, string[]>();
    for (const id of eventIds) {
      const open = (this.byEvent.get(id) ?? []).filter((q) => !this.replayed.has(q));
      if (open.length > 0) pending.set(id, open);
    }
    return pending;
  }

  async superseded(quarantineIds: readonly string[]): Promise<void> {
    for (const id of quarantineIds) this.replayed.add(id);
  }
}
