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
