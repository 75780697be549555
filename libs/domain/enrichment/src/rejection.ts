import type { QuarantineReason } from '@tokentally/contracts';

/** Why an event cannot go on: a machine-readable reason, the field at fault, and words for a human. */
export interface Rejection {
  reason: QuarantineReason;
  field?: string;
  message: string;
}

export interface Failure {
  ok: false;
  rejection: Rejection;
}

export type Outcome<T> = { ok: true; value: T } | Failure;

export const reject = (reason: QuarantineReason, field: string | undefined, message: string): Failure => ({
  ok: false,
  rejection: { reason, ...(field ? { field } : {}), message },
});
