-- Alerts of the anomaly detector: one row per (alert_id, revision), so a redelivered batch, a restart or
-- a second replica deciding the same thing inserts nothing new. Budget crossings have revision 1 and an
-- alert_id derived from (scope, period, threshold, budget version): the primary key is what makes them
-- fire exactly once. published_at is the outbox: rows without it are (re)sent to llm.alerts.v1.
CREATE TABLE tokentally.alerts (
  alert_id        text NOT NULL,
  revision        integer NOT NULL,
  status          text NOT NULL,
  kind            text NOT NULL,
  severity        text NOT NULL,
  team_id         text NOT NULL,
  series          text NOT NULL,
  feature         text,
  workflow        text,
  model           text,
  environment     text,
  window_start    timestamptz NOT NULL,
  window_end      timestamptz NOT NULL,
  observed_nanos  bigint NOT NULL,
  baseline_nanos  bigint NOT NULL,
  primary_cause   text,
  explanation     text NOT NULL,
  drivers         jsonb NOT NULL,
  period          text,
  threshold_bp    integer,
  budget_nanos    bigint,
  forecast_date   text,
  detected_at     timestamptz NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  published_at    timestamptz,
  PRIMARY KEY (alert_id, revision)
);
CREATE INDEX alerts_team_time ON tokentally.alerts (team_id, detected_at DESC);
CREATE INDEX alerts_unpublished ON tokentally.alerts (created_at) WHERE published_at IS NULL;

-- Feedback from people: expected, planned, not_an_issue, with a reason. The detector reads it to mute
-- the incident and suppress repeats for its scope.
CREATE TABLE tokentally.alert_feedback (
  alert_id   text NOT NULL,
  verdict    text NOT NULL CHECK (verdict IN ('expected', 'planned', 'not_an_issue')),
  reason     text NOT NULL,
  author     text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (alert_id, created_at)
);

-- Per-feature monthly budgets next to the teams' own (teams.monthly_budget_nanos); thresholds in basis
-- points, e.g. {8000,10000}. updated_at re-arms the thresholds when the amount changes.
CREATE TABLE tokentally.feature_budgets (
  team_id              text NOT NULL,
  feature              text NOT NULL,
  monthly_budget_nanos bigint NOT NULL CHECK (monthly_budget_nanos >= 0),
  thresholds_bp        integer[] NOT NULL DEFAULT '{8000,10000}',
  updated_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, feature)
);
