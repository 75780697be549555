import type { TopicSpec } from '@tokentally/contracts';
import type { OutgoingRecord, RecordSender } from '@tokentally/platform-kafka';

/**
 * An in-memory producer: keeps what each topic was sent, in order, as the broker would after acks.
 * `failNextSend` makes the next send reject, as a broker outage does, so a test can check that
 * nothing after it happened (offsets would not commit, the batch would be redelivered).
 */
export class RecordingProducer implements RecordSender {
  private readonly topics = new Map<string, OutgoingRecord<unknown>[]>();
  private failure: Error | undefined;

  async send<T>(spec: TopicSpec<T>, records: readonly OutgoingRecord<T>[]): Promise<never[]> {
    if (this.failure) {
      const error = this.failure;
      this.failure = undefined;
      throw error;
    }
    const sent = this.topics.get(spec.name) ?? [];
    sent.push(...records);
    this.topics.set(spec.name, sent);
    return [];
  }

  /** What `topic` was sent so far. */
  sent<T>(topic: TopicSpec<T>): OutgoingRecord<T>[] {
    return (this.topics.get(topic.name) ?? []) as OutgoingRecord<T>[];
  }

  failNextSend(error = new Error('broker unavailable')): void {
    this.failure = error;
  }
}
