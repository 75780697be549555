-- Budgets a gateway is held to before it spends (issue 12), declared in the org file and replaced with
-- it; request caps per api key or service account; overrides with their audit trail.
CREATE TABLE tokentally.budget_rules (
  team_id text NOT NULL,
  feature text,
  environment text,
  monthly_limit_nanos bigint NOT NULL CHECK (monthly_limit_nanos > 0 AND monthly_limit_nanos < 9007199254740992),
  mode text NOT NULL CHECK (mode IN ('hard', 'soft')),
  soft_until timestamptz,
  warn_at_bp integer NOT NULL CHECK (warn_at_bp BETWEEN 100 AND 10000),
  UNIQUE NULLS NOT DISTINCT (team_id, feature, environment)
);

CREATE TABLE tokentally.request_caps (
  kind text NOT NULL CHECK (kind IN ('api_key', 'service_account')),
  id text NOT NULL,
  per_minute integer NOT NULL CHECK (per_minute > 0),
  PRIMARY KEY (kind, id)
);

-- Never edited and never deleted: a new override is added instead, and an expired one stays on record.
CREATE TABLE tokentally.budget_overrides (
  override_id text PRIMARY KEY,
  team_id text NOT NULL,
  feature text,
  environment text,
  amount_nanos bigint NOT NULL CHECK (amount_nanos > 0),
  reason_code text NOT NULL,
  approver text NOT NULL,
  note text NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  CHECK (expires_at > created_at)
);
CREATE INDEX budget_overrides_by_team ON tokentally.budget_overrides (team_id, expires_at);

CREATE FUNCTION tokentally.budget_overrides_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'budget overrides are an audit trail: add a new one instead of changing %', OLD.override_id;
END $$;
CREATE TRIGGER budget_overrides_immutable BEFORE UPDATE OR DELETE ON tokentally.budget_overrides
  FOR EACH ROW EXECUTE FUNCTION tokentally.budget_overrides_are_immutable();
