import { createHmac } from 'node:crypto';
import type { RawCallEvent } from '@tokentally/contracts';

export interface PseudonymKey {
  /** Published with every ref so keys can rotate: refs of different keys never collide silently. */
  id: string;
  secret: string;
}

/** user_id / tenant_id -> `<key id>:<HMAC-SHA256 hex, 32 chars>`; the raw id never leaves the enricher. */
export function pseudonymise(value: string | null, key: PseudonymKey): string | null {
  if (value === null || value === '') return null;
  const digest = createHmac('sha256', key.secret).update(value, 'utf8').digest('hex').slice(0, 32);
  return `${key.id}:${digest}`;
}

/** A ref this key already made (by HTTP ingest or an SDK with the key): not hashed a second time. */
export function isPseudonymRef(value: string, key: PseudonymKey): boolean {
  return (
    value.length === key.id.length + 33 &&
    value.startsWith(`${key.id}:`) &&
    /^[0-9a-f]{32}$/.test(value.slice(key.id.length + 1))
  );
}

/** pseudonymise(), idempotent: a value that is already this key's ref stays as it is. */
export function pseudonymRef(value: string | null, key: PseudonymKey): string | null {
  return value !== null && isPseudonymRef(value, key) ? value : pseudonymise(value, key);
}

/**
 * The raw event with user and tenant ids replaced by refs, before anything is written: HTTP, OTLP and
 * LiteLLM ingest (and the SDK, given the key) never put a raw user id on llm.calls.raw.v1.
 */
export function pseudonymiseRawIds(event: RawCallEvent, key: PseudonymKey): RawCallEvent {
  if (event.user_id === null && event.tenant_id === null) return event;
  return {
    ...event,
    user_id: pseudonymRef(event.user_id, key),
    tenant_id: pseudonymRef(event.tenant_id, key),
  };
}
