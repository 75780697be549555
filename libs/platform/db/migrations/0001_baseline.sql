-- Baseline: every tokentally table lives in its own schema so the database can be shared with other
-- tools without name clashes. Later migrations add the org registry, quarantine, ledger and rollups.
CREATE SCHEMA IF NOT EXISTS tokentally;

-- Billing periods (calendar months by default). Closing a period is added by the chargeback work;
-- the ledger must already refuse to edit closed periods, so the table exists from the start.
CREATE TABLE IF NOT EXISTS tokentally.periods (
  period       text PRIMARY KEY CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  starts_at    timestamptz NOT NULL,
  ends_at      timestamptz NOT NULL CHECK (ends_at > starts_at),
  status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  closed_at    timestamptz,
  content_hash text
);
