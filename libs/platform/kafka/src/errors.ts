/** Why a consumed message could not be turned into a record; maps 1:1 to quarantine reason codes. */
export type DecodeFailureReason = 'UNDECODABLE' | 'UNKNOWN_SCHEMA';

export class DecodeError extends Error {
  constructor(
    readonly reason: DecodeFailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'DecodeError';
  }
}

export class EncodeError extends Error {
  constructor(
    readonly topic: string,
    readonly invalidPaths: string[],
  ) {
    super(`value does not match the ${topic} schema at: ${invalidPaths.join(', ') || '(root)'}`);
    this.name = 'EncodeError';
  }
}

/**
 * The broker did not take a send in time (down, unreachable, partitions without a leader). Request
 * paths answer 503 with Retry-After for it; the records may still land later (kafkajs keeps retrying
 * in the background), which is safe because every consumer deduplicates by event_id.
 */
export class BrokerUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BrokerUnavailableError';
  }
}
