import type { IngestScope, PseudonymKey } from '@tokentally/domain-enrichment';

/** Injection tokens for values that are not classes. */
export const RAW_PRODUCER = Symbol('RAW_PRODUCER');
export const INGEST_SETTINGS = Symbol('INGEST_SETTINGS');

export interface IngestSettings {
  tokens: readonly { token: string; scope: IngestScope }[];
  maxEvents: number;
  /** Failed-attempt throttle per client address (429 with Retry-After). */
  authMaxFailures: number;
  authWindowMs: number;
  /** HTTP ingest pseudonymises user and tenant ids before it writes the raw topic. */
  pseudonymKey: PseudonymKey;
}
