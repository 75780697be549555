import { createHmac } from 'node:crypto';
import type { RawCallEvent } from '@tokentally/contracts';

export interface PseudonymKey {
  /** Published with every ref so keys can rotate: refs of different keys never collide silently. */
  id: string;
  secret: string;
}

/**
 * The keys in use during a rotation: new refs are made with `current`; refs made with `previous`
 * (until the ledger no longer holds any, or forever for history) are still recognised when refs are
 * matched against an id, e.g. to find every call of one person.
 */
export interface PseudonymKeyring {
  current: PseudonymKey;
  previous?: PseudonymKey;
}

/** user_id / tenant_id -> `<key id>:<HMAC-SHA256 hex, 32 chars>`; the raw id never leaves the enricher. */
export function pseudonymise(value: string | null, key: PseudonymKey): string | null {
  if (value === null || value === '') return null;
  const digest = createHmac('sha256', key.secret).update(value, 'utf8').digest('hex').slice(0, 32);
  return `${key.id}:${digest}`;
}

/** Every ref the id may appear under: current key first, then the previous one. */
export function refsOf(value: string, keyring: PseudonymKeyring): string[] {
  const keys = keyring.previous ? [keyring.current, keyring.previous] : [keyring.current];
  return keys.map((key) => pseudonymise(value, key)).filter((ref): ref is string => ref !== null);
}

/** Whether a stored ref is this id's, under whichever key of the ring its key id names. */
export function isRefOf(ref: string, value: string, keyring: PseudonymKeyring): boolean {
  const keyId = ref.slice(0, ref.lastIndexOf(':'));
  const key = [keyring.current, keyring.previous].find((candidate) => candidate?.id === keyId);
  return key !== undefined && pseudonymise(value, key) === ref;
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
