export type ConsumerPhase = 'starting' | 'running' | 'stopping' | 'stopped';

interface Failure {
  attempts: number;
  offset: string;
  since: number;
  error: string;
}

/**
 * What /health says about one consumer. Joining the group is not a failure (HTTP ingest is ready while
 * a restarted member waits out its predecessor's session), but a partition whose batch keeps failing
 * is: it is stuck until the cause is fixed, so readiness turns 503 with the reason, and the
 * `tokentally_consumer_stalled` gauge says which partition.
 */
export class ConsumerHealth {
  phase: ConsumerPhase = 'starting';
  private startError: string | undefined;
  private readonly failures = new Map<number, Failure>();

  constructor(
    readonly topic: string,
    /** Consecutive failed attempts of one batch after which its partition counts as stalled. */
    private readonly stalledAfter: number,
    private readonly clock: () => number = Date.now,
  ) {}

  startFailed(error: unknown): void {
    this.startError = messageOf(error);
  }

  started(): void {
    this.phase = 'running';
    this.startError = undefined;
  }

  /** Returns true when this failure makes the partition stalled. */
  failed(partition: number, offset: string, error: unknown): boolean {
    const previous = this.failures.get(partition);
    const same = previous?.offset === offset;
    const failure: Failure = {
      attempts: same ? previous.attempts + 1 : 1,
      offset,
      since: same ? previous.since : this.clock(),
      error: messageOf(error),
    };
    this.failures.set(partition, failure);
    return failure.attempts >= this.stalledAfter;
  }

  succeeded(partition: number): void {
    this.failures.delete(partition);
  }

  stalledPartitions(): number[] {
    return [...this.failures]
      .filter(([, failure]) => failure.attempts >= this.stalledAfter)
      .map(([partition]) => partition);
  }

  /** A health check: resolves with a detail when fine, throws the reason when not. */
  check(): Promise<string> {
    const stalled = [...this.failures].filter(([, f]) => f.attempts >= this.stalledAfter);
    if (stalled.length > 0) {
      const detail = stalled
        .map(
          ([partition, f]) =>
            `${this.topic}[${partition}] stalled at offset ${f.offset} for ${Math.round((this.clock() - f.since) / 1000)} s ` +
            `after ${f.attempts} attempts: ${f.error}`,
        )
        .join('; ');
      return Promise.reject(new Error(detail));
    }
    if (this.phase === 'starting')
      return Promise.resolve(
        this.startError
          ? `joining the consumer group (retrying: ${this.startError})`
          : 'joining the consumer group',
      );
    return Promise.resolve(this.phase);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
