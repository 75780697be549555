-- Statements need both cache-write buckets apart (5-minute and 1-hour writes are priced differently)
-- and must label what re-pricing or late calls of a closed period added to a period.
ALTER TABLE tokentally.rollup_hourly
  ADD COLUMN cache_write_5m_tokens bigint NOT NULL DEFAULT 0,
  ADD COLUMN cache_write_1h_tokens bigint NOT NULL DEFAULT 0,
  ADD COLUMN adjustment_nanos      bigint NOT NULL DEFAULT 0;
ALTER TABLE tokentally.rollup_daily
  ADD COLUMN cache_write_5m_tokens bigint NOT NULL DEFAULT 0,
  ADD COLUMN cache_write_1h_tokens bigint NOT NULL DEFAULT 0,
  ADD COLUMN adjustment_nanos      bigint NOT NULL DEFAULT 0;

-- Rollups written before this migration kept both write buckets together; they stay as 5-minute writes.
UPDATE tokentally.rollup_hourly SET cache_write_5m_tokens = cache_write_tokens;
UPDATE tokentally.rollup_daily SET cache_write_5m_tokens = cache_write_tokens;
ALTER TABLE tokentally.rollup_hourly DROP COLUMN cache_write_tokens;
ALTER TABLE tokentally.rollup_daily DROP COLUMN cache_write_tokens;

-- Adjustments already booked count as adjustments.
UPDATE tokentally.rollup_hourly r SET adjustment_nanos = a.total
  FROM (SELECT period, date_trunc('hour', booked_at, 'UTC') AS bucket, team_id, feature, coalesce(workflow, '') AS workflow,
               model, provider, environment, coalesce(user_ref, '') AS user_ref, sum(total_nanos) AS total
          FROM tokentally.ledger_adjustments GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9) a
 WHERE (r.period, r.bucket, r.team_id, r.feature, r.workflow, r.model, r.provider, r.environment, r.user_ref)
     = (a.period, a.bucket, a.team_id, a.feature, a.workflow, a.model, a.provider, a.environment, a.user_ref);
UPDATE tokentally.rollup_daily r SET adjustment_nanos = a.total
  FROM (SELECT period, date_trunc('day', booked_at, 'UTC') AS bucket, team_id, feature, coalesce(workflow, '') AS workflow,
               model, provider, environment, coalesce(user_ref, '') AS user_ref, sum(total_nanos) AS total
          FROM tokentally.ledger_adjustments GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9) a
 WHERE (r.period, r.bucket, r.team_id, r.feature, r.workflow, r.model, r.provider, r.environment, r.user_ref)
     = (a.period, a.bucket, a.team_id, a.feature, a.workflow, a.model, a.provider, a.environment, a.user_ref);

-- Closed statements: written once by `tally period close`, never changed (the trigger refuses).
CREATE TABLE tokentally.statements (
  period       text PRIMARY KEY REFERENCES tokentally.periods (period),
  content_hash text NOT NULL,
  statement    text NOT NULL,
  closed_at    timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION tokentally.refuse_statement_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- the one way out: data-retention jobs and the test suite set this for their own transaction
  IF TG_OP = 'DELETE' AND current_setting('tokentally.purge_statements', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'statement of closed period % is immutable', OLD.period;
END $$;

CREATE TRIGGER statements_immutable BEFORE UPDATE OR DELETE ON tokentally.statements
  FOR EACH ROW EXECUTE FUNCTION tokentally.refuse_statement_change();
