-- Statements read a month at a time: a monthly rollup keeps a report over millions of calls to a few
-- thousand rows. Maintained in the same transaction as the ledger, like the hourly and daily ones.
CREATE TABLE tokentally.rollup_monthly (LIKE tokentally.rollup_daily INCLUDING ALL);

INSERT INTO tokentally.rollup_monthly (period, bucket, team_id, feature, workflow, model, provider, environment,
       user_ref, calls, retries, input_tokens, cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens,
       output_tokens, reasoning_tokens, input_nanos, cache_nanos, output_nanos, other_nanos, total_nanos,
       adjustment_nanos)
SELECT period, date_trunc('month', bucket, 'UTC'), team_id, feature, workflow, model, provider, environment, user_ref,
       sum(calls), sum(retries), sum(input_tokens), sum(cache_read_tokens), sum(cache_write_5m_tokens),
       sum(cache_write_1h_tokens), sum(output_tokens), sum(reasoning_tokens), sum(input_nanos), sum(cache_nanos),
       sum(output_nanos), sum(other_nanos), sum(total_nanos), sum(adjustment_nanos)
  FROM tokentally.rollup_daily
 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
