import type { PseudonymKey } from '@tokentally/domain-enrichment';

/** Injection tokens for values that are not classes. */
export const RAW_PRODUCER = Symbol('RAW_PRODUCER');
export const INGEST_SETTINGS = Symbol('INGEST_SETTINGS');

export interface IngestSettings {
  tokens: readonly string[];
  maxEvents: number;
  /** HTTP ingest pseudonymises user and tenant ids before it writes the raw topic. */
  pseudonymKey: PseudonymKey;
}
