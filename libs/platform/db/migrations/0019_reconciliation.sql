-- Provider accounts, projects, workspaces and subscriptions declared in the org file (provider_accounts):
-- until the ledger carries the provider-side project, they tell the reconciler whose calls an account bills.
CREATE TABLE tokentally.provider_accounts (
  provider   text NOT NULL,
  account_id text NOT NULL,
  project_id text NOT NULL DEFAULT '',
  team_id    text NOT NULL REFERENCES tokentally.teams (team_id),
  api_keys   text[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (provider, account_id, project_id)
);
CREATE INDEX provider_accounts_team ON tokentally.provider_accounts (provider, team_id);

-- One row per imported file; import_id hashes format, account and content, so the same file twice is one import.
CREATE TABLE tokentally.provider_cost_imports (
  import_id   text PRIMARY KEY,
  format      text NOT NULL,
  file_name   text,
  account_id  text,
  lines       integer NOT NULL,
  inserted    integer NOT NULL,
  corrected   integer NOT NULL,
  unchanged   integer NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now()
);

-- Normalised provider lines. line_id hashes a line's identity (not its amount): a restated figure is a new
-- revision of the same line, the earlier one kept and marked superseded, the difference in correction_nanos.
CREATE TABLE tokentally.provider_cost_lines (
  line_id          text NOT NULL,
  revision         integer NOT NULL CHECK (revision > 0),
  import_id        text NOT NULL REFERENCES tokentally.provider_cost_imports (import_id),
  source           text NOT NULL,
  provider         text NOT NULL,
  account_id       text NOT NULL,
  project_id       text,
  model            text,
  usage_date       date NOT NULL,
  token_type       text,
  region           text,
  service_tier     text,
  long_context     boolean NOT NULL,
  inference_scope  text,
  quantity         bigint NOT NULL,
  unit             text NOT NULL,
  amount_nanos     bigint NOT NULL,
  has_cost         boolean NOT NULL,
  currency         text NOT NULL,
  original_amount  text NOT NULL,
  original_nanos   bigint NOT NULL,
  rounding_nanos   bigint NOT NULL,
  line_type        text NOT NULL CHECK (line_type IN ('usage', 'credit', 'tax', 'adjustment')),
  correction       boolean NOT NULL,
  correction_nanos bigint NOT NULL DEFAULT 0,
  imported_at      timestamptz NOT NULL DEFAULT now(),
  superseded_at    timestamptz,
  PRIMARY KEY (line_id, revision)
);
CREATE UNIQUE INDEX provider_cost_lines_current ON tokentally.provider_cost_lines (line_id) WHERE superseded_at IS NULL;
CREATE INDEX provider_cost_lines_scope ON tokentally.provider_cost_lines (usage_date, provider, account_id)
  WHERE superseded_at IS NULL;

-- The latest comparison of each cell (re-runs replace it); explanations are [{class, nanos, detail}] with
-- nanos as text so no figure passes through a JSON float.
CREATE TABLE tokentally.reconciliation_results (
  result_id         text PRIMARY KEY,
  provider          text NOT NULL,
  account_id        text NOT NULL,
  model             text NOT NULL,
  usage_date        date NOT NULL,
  token_type        text,
  ledger_nanos      bigint NOT NULL,
  provider_nanos    bigint NOT NULL,
  delta_nanos       bigint NOT NULL,
  delta_bp          integer NOT NULL,
  tolerance_bp      integer NOT NULL,
  status            text NOT NULL,
  provisional       boolean NOT NULL,
  ledger_quantity   bigint NOT NULL,
  provider_quantity bigint NOT NULL,
  explanations      jsonb NOT NULL,
  unexplained_nanos bigint NOT NULL,
  -- hash of the figures above: a re-run writes only the cells whose figures changed
  digest            text NOT NULL,
  computed_at       timestamptz NOT NULL
);
CREATE INDEX reconciliation_results_day ON tokentally.reconciliation_results (usage_date, provider, account_id);
