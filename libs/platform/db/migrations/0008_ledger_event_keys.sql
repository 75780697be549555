-- An event_id is booked at most once, whatever else differs. The ledger is keyed by (event_id,
-- occurred_at) because it is partitioned by month, so the same event_id resent with another occurred_at
-- (after the dedup window, a Redis loss, or by concurrent requests) would land in two partitions. This
-- table is not partitioned: the writer claims the event_id here in the same transaction as the ledger
-- row, so of two writers on different months one waits on the key and then sees it taken. What the key
-- points at (occurred_at) finds the booked row, to tell a redelivery (same call: a silent duplicate)
-- from a conflicting resend (other content: quarantined as CONFLICT).
CREATE TABLE tokentally.ledger_event_keys (
  event_id    text PRIMARY KEY,
  occurred_at timestamptz NOT NULL
);

-- Rows booked before this migration: the earliest booking of each event_id holds its key (an id booked
-- twice before, the bug this closes, keeps both rows; only the first is the key's).
INSERT INTO tokentally.ledger_event_keys (event_id, occurred_at)
SELECT DISTINCT ON (event_id) event_id, occurred_at
  FROM tokentally.ledger
 ORDER BY event_id, occurred_at;
