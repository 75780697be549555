import type { Pool } from 'pg';
import type { QuarantineRecord } from '@tokentally/contracts';

export interface QuarantineRow {
  quarantine_id: string;
  event_id: string | null;
  trace_id: string | null;
  stage: string;
  reason: string;
  message: string;
  source_topic: string | null;
  source_partition: number | null;
  source_offset: bigint | null;
  original_payload: Buffer;
  payload_encoding: string;
  sealed: boolean;
  quarantined_at: Date;
  replay_count: number;
  last_replayed_at: Date | null;
}

export interface QuarantineFilter {
  reason?: string;
  stage?: string;
  since?: Date;
  /** An exact event id, or a prefix when it ends with `*` (e.g. one producer's batch). */
  eventId?: string;
  /** Only rows never replayed. */
  pending?: boolean;
  limit?: number;
}

const WHERE_FILTER = `WHERE ($1::text IS NULL OR reason = $1) AND ($2::text IS NULL OR stage = $2)
  AND ($3::timestamptz IS NULL OR quarantined_at >= $3) AND (NOT $4 OR replay_count = 0)
  AND ($5::text IS NULL OR event_id LIKE $5 ESCAPE '\\')`;

function eventIdPattern(eventId: string | undefined): string | null {
  if (eventId === undefined) return null;
  const prefix = eventId.endsWith('*');
  const literal = (prefix ? eventId.slice(0, -1) : eventId).replace(/[\\%_]/g, (c) => `\\${c}`);
  return prefix ? `${literal}%` : literal;
}

function filterParams(filter: QuarantineFilter): unknown[] {
  return [
    filter.reason ?? null,
    filter.stage ?? null,
    filter.since ?? null,
    filter.pending ?? false,
    eventIdPattern(filter.eventId),
  ];
}

/**
 * PostgreSQL text cannot hold U+0000, and a producer may send it in a key or an id: written as the
 * six characters `\u0000` (the exact bytes stay in original_payload), so quarantine stores anything.
 */
export function pgText<T extends string | null>(value: T): T {
  return (value === null ? value : value.replaceAll('\u0000', '\\u0000')) as T;
}

/** The Postgres side of quarantine: every record also lands here, keyed so redelivery adds nothing. */
export class QuarantineRepository {
  constructor(private readonly pool: Pool) {}

  async insert(records: readonly QuarantineRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    const result = await this.pool.query(
      `INSERT INTO tokentally.quarantine (quarantine_id, event_id, trace_id, stage, reason, message, source_topic,
         source_partition, source_offset, original_payload, payload_encoding, quarantined_at, sealed)
       SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
         $8::int[], $9::bigint[], $10::bytea[], $11::text[], $12::timestamptz[], $13::boolean[])
       ON CONFLICT (quarantine_id) DO NOTHING`,
      [
        records.map((r) => r.quarantine_id),
        records.map((r) => pgText(r.event_id)),
        records.map((r) => pgText(r.trace_id)),
        records.map((r) => r.stage),
        records.map((r) => r.reason),
        records.map((r) => pgText(r.message)),
        records.map((r) => pgText(r.source_topic)),
        records.map((r) => r.source_partition),
        records.map((r) => r.source_offset),
        records.map((r) => r.original_payload),
        records.map((r) => r.payload_encoding),
        records.map((r) => new Date(r.quarantined_at)),
        records.map((r) => r.sealed),
      ],
    );
    return result.rowCount ?? 0;
  }

  async list(filter: QuarantineFilter): Promise<QuarantineRow[]> {
    const { rows } = await this.pool.query<QuarantineRow>(
      `SELECT * FROM tokentally.quarantine ${WHERE_FILTER}
       ORDER BY quarantined_at, quarantine_id LIMIT $6`,
      [...filterParams(filter), filter.limit ?? 1000],
    );
    return rows;
  }

  async count(filter: QuarantineFilter): Promise<number> {
    const { rows } = await this.pool.query<{ count: bigint }>(
      `SELECT count(*) AS count FROM tokentally.quarantine ${WHERE_FILTER}`,
      filterParams(filter),
    );
    return Number(rows[0]?.count ?? 0n);
  }

  async get(quarantineId: string): Promise<QuarantineRow | undefined> {
    const { rows } = await this.pool.query<QuarantineRow>(
      'SELECT * FROM tokentally.quarantine WHERE quarantine_id = $1',
      [quarantineId],
    );
    return rows[0];
  }

  async countByReason(): Promise<{ reason: string; stage: string; count: bigint }[]> {
    const { rows } = await this.pool.query<{ reason: string; stage: string; count: bigint }>(
      'SELECT reason, stage, count(*) AS count FROM tokentally.quarantine GROUP BY reason, stage ORDER BY count DESC',
    );
    return rows;
  }

  async markReplayed(ids: readonly string[]): Promise<void> {
    await this.pool.query(
      'UPDATE tokentally.quarantine SET replay_count = replay_count + 1, last_replayed_at = now() WHERE quarantine_id = ANY($1::text[])',
      [ids],
    );
  }

  /**
   * Quarantine records of one stage, never replayed, for these event ids: the enricher asks, so that a
   * producer's corrected resend of an event the pricer set aside is priced instead of dropped as a
   * duplicate.
   */
  async pendingForEvents(
    eventIds: readonly string[],
    stage: string,
  ): Promise<{ quarantine_id: string; event_id: string }[]> {
    if (eventIds.length === 0) return [];
    const { rows } = await this.pool.query<{ quarantine_id: string; event_id: string }>(
      `SELECT quarantine_id, event_id FROM tokentally.quarantine
       WHERE event_id = ANY($1::text[]) AND stage = $2 AND replay_count = 0`,
      [eventIds, stage],
    );
    return rows;
  }
}
