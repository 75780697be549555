-- Org registry: declared in YAML, applied by `tally org apply` (one transaction, replaces the whole
-- registry), cached by the services and reloaded when org_versions moves.
CREATE TABLE tokentally.teams (
  team_id              text PRIMARY KEY,
  name                 text NOT NULL,
  cost_centre          text,
  owner                text,
  monthly_budget_nanos bigint CHECK (monthly_budget_nanos IS NULL OR monthly_budget_nanos >= 0)
);

CREATE TABLE tokentally.api_keys (
  api_key_id text PRIMARY KEY,
  team_id    text NOT NULL REFERENCES tokentally.teams (team_id)
);

-- The allow-list: only service accounts named here may stand in for a team.
CREATE TABLE tokentally.service_accounts (
  service_account text PRIMARY KEY,
  team_id         text NOT NULL REFERENCES tokentally.teams (team_id)
);

-- Shared-cost allocation rules, stored as declared; the chargeback work interprets them.
CREATE TABLE tokentally.allocation_rules (
  rule_id text PRIMARY KEY,
  rule    jsonb NOT NULL
);

CREATE TABLE tokentally.org_versions (
  version      bigserial PRIMARY KEY,
  content_hash text NOT NULL,
  summary      jsonb NOT NULL,
  applied_at   timestamptz NOT NULL DEFAULT now()
);

-- Every event set aside, with its original bytes: visible, explainable, replayable.
CREATE TABLE tokentally.quarantine (
  quarantine_id    text PRIMARY KEY,
  event_id         text,
  trace_id         text,
  stage            text NOT NULL,
  reason           text NOT NULL,
  message          text NOT NULL,
  source_topic     text,
  source_partition integer,
  source_offset    bigint,
  original_payload bytea NOT NULL,
  payload_encoding text NOT NULL,
  quarantined_at   timestamptz NOT NULL,
  replay_count     integer NOT NULL DEFAULT 0,
  last_replayed_at timestamptz
);
CREATE INDEX quarantine_reason_time ON tokentally.quarantine (reason, quarantined_at);
CREATE INDEX quarantine_event ON tokentally.quarantine (event_id);
