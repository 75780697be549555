import type { PricedCallEvent } from '@tokentally/contracts';
import type { AdjustmentRow, EffectiveLedgerRow, RecordResult, ScopeFilter } from './ledger-row';

/**
 * Ports: what services and tools need from storage, as interfaces, so use cases and pipelines can run
 * against in-memory fakes in fast tests and against the Postgres adapters in production.
 */

/** Books priced calls and adjustments, each batch atomically with its rollups. */
export interface LedgerWriter {
  /** Books new calls once per event_id; redeliveries are duplicates, conflicting resends conflicts. */
  record(events: readonly PricedCallEvent[]): Promise<RecordResult>;
  /** Books adjustments (re-pricing deltas), moved to the open period when theirs is closed; returns how many were new. */
  adjust(adjustments: readonly AdjustmentRow[]): Promise<number>;
}

/** What re-pricing reads and writes: rows with their effective cost, in pages, and adjustments. */
export interface RepricingLedger extends Pick<LedgerWriter, 'adjust'> {
  effectiveRows(scope: ScopeFilter, pageSize?: number): AsyncIterable<EffectiveLedgerRow[]>;
}

/** One stored rate card: the validated definition without its version (JSON). */
export interface StoredCardInput {
  id: string;
  kind: 'prices' | 'multiplier';
  definition: Record<string, unknown>;
}

export interface StoredCard extends StoredCardInput {
  version: number;
}

export interface StoredFxRate {
  currency: string;
  effectiveFrom: Date;
  usdPerUnit: string;
}

export interface StoredRates {
  version: bigint;
  cards: StoredCard[];
  fx: StoredFxRate[];
}

/** The applied rate book: its version (cheap, polled) and its content. */
export interface RateSource {
  version(): Promise<bigint>;
  load(): Promise<StoredRates>;
}

/** The org registry as the enricher resolves owners from it. */
export interface OrgTables {
  version: bigint;
  teams: string[];
  apiKeys: [string, string][];
  serviceAccounts: [string, string][];
}

/** The applied org registry: its version (cheap, polled) and its tables. */
export interface OrgSource {
  currentVersion(): Promise<bigint>;
  load(): Promise<OrgTables>;
}
