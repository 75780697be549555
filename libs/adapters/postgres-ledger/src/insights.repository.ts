import type { Pool } from 'pg';

// Row shapes as the chargeback domain's efficiency and burn functions read them (structurally equal:
// this adapter does not depend on domain-chargeback).
export interface EfficiencyCallSums {
  model: string;
  feature: string;
  calls: bigint;
  total_nanos: bigint;
  input_tokens: bigint;
  cache_read_tokens: bigint;
  output_tokens: bigint;
  uncached_input_tokens: bigint;
  uncached_input_nanos: bigint;
  short_calls: bigint;
  short_nanos: bigint;
}

export interface EfficiencyTraceSums {
  model: string;
  feature: string;
  traces: bigint;
  succeeded_traces: bigint;
  trace_nanos: bigint;
}

export interface DaySpend {
  day: string;
  nanos: bigint;
}

const INPUT = 'uncached_input_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens';
// reasoning tokens are a subset of output_tokens (docs/usage-normalisation.md): never added again
const TOKENS = `${INPUT} + output_tokens`;
// a short call: one that succeeded with some, but few, tokens (a failed call without usage is not one)
const SHORT = `(status_code IS NULL OR status_code < 400) AND ${TOKENS} > 0 AND ${TOKENS} < $3`;

export interface TraceTotal {
  trace_id: string;
  calls: bigint;
  total_nanos: bigint;
  started_at: Date;
}

export interface HourlyVolume {
  /** ISO hour, UTC */
  hour: string;
  calls: bigint;
  retries: bigint;
  quarantined: bigint;
}

export interface QuarantineReason {
  stage: string;
  reason: string;
  events: bigint;
  waiting: bigint;
  last_at: Date;
}

/**
 * What the console reads beyond statements: per model efficiency and top traces (one period's ledger
 * calls, like FOCUS exports), daily spend (rollups) and quarantine counts. Parameters only.
 */
export class InsightsRepository {
  constructor(private readonly pool: Pool) {}

  async efficiencyCalls(
    period: string,
    team: string | undefined,
    shortCallTokens: bigint,
  ): Promise<EfficiencyCallSums[]> {
    const { rows } = await this.pool.query<EfficiencyCallSums>(
      `SELECT model, feature, count(*)::bigint AS calls, sum(total_nanos)::bigint AS total_nanos,
              sum(${INPUT})::bigint AS input_tokens, sum(cache_read_tokens)::bigint AS cache_read_tokens,
              sum(output_tokens)::bigint AS output_tokens,
              sum(uncached_input_tokens)::bigint AS uncached_input_tokens,
              sum(uncached_input_nanos)::bigint AS uncached_input_nanos,
              count(*) FILTER (WHERE ${SHORT})::bigint AS short_calls,
              coalesce(sum(total_nanos) FILTER (WHERE ${SHORT}), 0)::bigint
                AS short_nanos
         FROM tokentally.ledger
        WHERE period = $1 AND ($2::text IS NULL OR team_id = $2)
        GROUP BY model, feature`,
      [period, team ?? null, shortCallTokens.toString()],
    );
    return rows;
  }

  /** Each trace of the period: its first attempt's model and feature, its calls' cost, whether any call succeeded. */
  async efficiencyTraces(period: string, team?: string): Promise<EfficiencyTraceSums[]> {
    const { rows } = await this.pool.query<EfficiencyTraceSums>(
      `WITH traces AS (
         SELECT (array_agg(model ORDER BY attempt NULLS FIRST, occurred_at, event_id))[1] AS model,
                (array_agg(feature ORDER BY attempt NULLS FIRST, occurred_at, event_id))[1] AS feature,
                sum(total_nanos) AS nanos,
                bool_or(status_code IS NULL OR status_code < 400) AS succeeded
           FROM tokentally.ledger
          WHERE period = $1 AND ($2::text IS NULL OR team_id = $2)
          GROUP BY trace_id)
       SELECT model, feature, count(*)::bigint AS traces,
              count(*) FILTER (WHERE succeeded)::bigint AS succeeded_traces, sum(nanos)::bigint AS trace_nanos
         FROM traces GROUP BY model, feature`,
      [period, team ?? null],
    );
    return rows;
  }

  /** Direct cost per UTC day of the period (rollups), one team or every team. */
  async dailySpend(period: string, team?: string): Promise<DaySpend[]> {
    const { rows } = await this.pool.query<DaySpend>(
      `SELECT to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, sum(total_nanos)::bigint AS nanos
         FROM tokentally.rollup_daily
        WHERE period = $1 AND ($2::text IS NULL OR team_id = $2)
        GROUP BY 1 ORDER BY 1`,
      [period, team ?? null],
    );
    return rows;
  }

  /** The period's dearest requests: the way into a request's cost (GET /v1/traces/{id}/cost). */
  async topTraces(period: string, team: string | undefined, limit: number): Promise<TraceTotal[]> {
    const { rows } = await this.pool.query<TraceTotal>(
      `SELECT trace_id, count(*)::bigint AS calls, sum(total_nanos)::bigint AS total_nanos,
              min(occurred_at) AS started_at
         FROM tokentally.ledger
        WHERE period = $1 AND ($2::text IS NULL OR team_id = $2)
        GROUP BY trace_id ORDER BY sum(total_nanos) DESC, trace_id LIMIT $3`,
      [period, team ?? null, limit],
    );
    return rows;
  }

  /** Direct spend per team of a period (rollups), 'unattributed' included. */
  async teamSpend(period: string): Promise<{ team_id: string; nanos: bigint }[]> {
    const { rows } = await this.pool.query<{ team_id: string; nanos: bigint }>(
      `SELECT team_id, sum(total_nanos)::bigint AS nanos FROM tokentally.rollup_monthly
        WHERE period = $1 GROUP BY team_id ORDER BY team_id`,
      [period],
    );
    return rows;
  }

  /** Quarantined events by stage and reason since an instant; `waiting` = never replayed. */
  async quarantineByReason(since: Date): Promise<QuarantineReason[]> {
    const { rows } = await this.pool.query<QuarantineReason>(
      `SELECT stage, reason, count(*)::bigint AS events,
              count(*) FILTER (WHERE replay_count = 0)::bigint AS waiting, max(quarantined_at) AS last_at
         FROM tokentally.quarantine WHERE quarantined_at >= $1
        GROUP BY stage, reason ORDER BY count(*) DESC, stage, reason`,
      [since],
    );
    return rows;
  }

  /** Calls and retries per hour of event time (hourly rollups) and events quarantined per hour, since an instant. */
  async hourly(since: Date): Promise<HourlyVolume[]> {
    const { rows } = await this.pool.query<HourlyVolume>(
      `WITH calls AS (
         SELECT bucket AS hour, sum(calls)::bigint AS calls, sum(retries)::bigint AS retries
           FROM tokentally.rollup_hourly
          WHERE period >= to_char($1::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM')
            AND bucket >= date_trunc('hour', $1::timestamptz) GROUP BY bucket),
       quarantined AS (
         SELECT date_trunc('hour', quarantined_at) AS hour, count(*)::bigint AS quarantined
           FROM tokentally.quarantine WHERE quarantined_at >= $1 GROUP BY 1)
       SELECT to_char(hour AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:00:00"Z"') AS hour,
              coalesce(calls, 0)::bigint AS calls, coalesce(retries, 0)::bigint AS retries,
              coalesce(quarantined, 0)::bigint AS quarantined
         FROM calls FULL JOIN quarantined USING (hour) ORDER BY hour`,
      [since],
    );
    return rows;
  }
}
