import { createHmac } from 'node:crypto';

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
