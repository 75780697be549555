/** The enricher's dedup store in memory (Redis in the service); `failNextMark` rejects the next mark. */
export class InMemorySeenEvents {
  readonly ids = new Set<string>();
  private failure: Error | undefined;

  async seen(eventIds: readonly string[]): Promise<Set<string>> {
    return new Set(eventIds.filter((id) => this.ids.has(id)));
  }

  async markSeen(eventIds: readonly string[]): Promise<void> {
    if (this.failure) {
      const error = this.failure;
      this.failure = undefined;
      throw error;
    }
    for (const id of eventIds) this.ids.add(id);
  }

  failNextMark(error = new Error('redis unavailable')): void {
    this.failure = error;
  }
}
