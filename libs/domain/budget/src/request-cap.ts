import type { RequestCap } from '@tokentally/contracts';

/**
 * Per-minute request caps for service accounts and api keys, as an exact sliding window: a request is
 * admitted when fewer than `cap` requests were admitted in the `windowMs` before it. This is the
 * reference model of the Redis script (a sorted set of admission times per key), which runs it
 * atomically so two replicas never admit more than the cap in any window.
 */
export type { RequestCap } from '@tokentally/contracts';

export const CAP_WINDOW_MS = 60_000;

export function capKey(cap: Pick<RequestCap, 'kind' | 'id'>): string {
  return `${cap.kind}:${cap.id}`;
}

/** Admission over a log of earlier admissions (ms), returning the log to keep. */
export function admitInWindow(
  admitted: readonly number[],
  now: number,
  cap: number,
  windowMs = CAP_WINDOW_MS,
): { admitted: boolean; log: number[]; retryAfterMs: number } {
  const log = admitted.filter((at) => at > now - windowMs);
  if (log.length < cap) return { admitted: true, log: [...log, now], retryAfterMs: 0 };
  const oldest = Math.min(...log);
  return { admitted: false, log, retryAfterMs: oldest + windowMs - now };
}
