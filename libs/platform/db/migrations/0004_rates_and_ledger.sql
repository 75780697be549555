-- Rate book: every `tally rates apply` is a version; a card gets a new version only when its content
-- changes, and a card left out of the file is retired (kept, so old ledger rows still explain).
CREATE TABLE tokentally.rate_book_versions (
  version      bigserial PRIMARY KEY,
  content_hash text NOT NULL,
  summary      jsonb NOT NULL,
  applied_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tokentally.rate_cards (
  card_id      text NOT NULL,
  version      integer NOT NULL CHECK (version > 0),
  kind         text NOT NULL CHECK (kind IN ('prices', 'multiplier')),
  definition   jsonb NOT NULL,
  content_hash text NOT NULL,
  created_in   bigint NOT NULL REFERENCES tokentally.rate_book_versions (version),
  retired_in   bigint REFERENCES tokentally.rate_book_versions (version),
  PRIMARY KEY (card_id, version)
);
CREATE UNIQUE INDEX rate_cards_one_active ON tokentally.rate_cards (card_id) WHERE retired_in IS NULL;

-- Dated FX rates to USD; history is kept (a rate is corrected by applying it again, then `tally reprice`).
CREATE TABLE tokentally.fx_rates (
  currency       text NOT NULL CHECK (currency ~ '^[A-Z]{3}$' AND currency <> 'USD'),
  effective_from timestamptz NOT NULL,
  usd_per_unit   numeric NOT NULL CHECK (usd_per_unit > 0),
  PRIMARY KEY (currency, effective_from)
);

-- The ledger: one row per provider call, never edited. Keyed by (event_id, occurred_at): a redelivered
-- or replayed event carries the same occurred_at, so ON CONFLICT DO NOTHING makes every write
-- idempotent while the table stays partitioned by month. `period` is the billing period the charge is
-- booked in: the call's month, or the open period when the call's month was already closed.
CREATE TABLE tokentally.ledger (
  event_id                text NOT NULL,
  occurred_at             timestamptz NOT NULL,
  period                  text NOT NULL,
  trace_id                text NOT NULL,
  span_id                 text,
  parent_span_id          text,
  provider_request_id     text,
  team_id                 text NOT NULL,
  user_ref                text,
  tenant_ref              text,
  feature                 text NOT NULL,
  workflow                text,
  environment             text NOT NULL,
  provider                text NOT NULL,
  model                   text NOT NULL,
  response_model          text,
  region                  text,
  service_tier            text,
  pricing_tier            text,
  attempt                 integer,
  is_retry                boolean NOT NULL DEFAULT false,
  is_fallback             boolean NOT NULL DEFAULT false,
  status_code             integer,
  latency_ms              integer,
  uncached_input_tokens   bigint NOT NULL,
  cache_read_tokens       bigint NOT NULL,
  cache_write_5m_tokens   bigint NOT NULL,
  cache_write_1h_tokens   bigint NOT NULL,
  output_tokens           bigint NOT NULL,
  reasoning_tokens        bigint NOT NULL,
  units                   jsonb NOT NULL DEFAULT '{}',
  uncached_input_nanos    bigint NOT NULL,
  cache_read_nanos        bigint NOT NULL,
  cache_write_5m_nanos    bigint NOT NULL,
  cache_write_1h_nanos    bigint NOT NULL,
  output_nanos            bigint NOT NULL,
  reasoning_nanos         bigint NOT NULL,
  request_fee_nanos       bigint NOT NULL,
  units_nanos             bigint NOT NULL,
  total_nanos             bigint NOT NULL,
  rate_card_id            text NOT NULL,
  rate_card_version       text NOT NULL,
  rate_multiplier_id      text,
  rate_multiplier_version text,
  rate_multiplier         text,
  original_currency       text NOT NULL,
  original_total_minor    bigint,
  fx_rate_id              text,
  priced_at               timestamptz NOT NULL,
  recorded_at             timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (event_id, occurred_at),
  CHECK (total_nanos = uncached_input_nanos + cache_read_nanos + cache_write_5m_nanos + cache_write_1h_nanos
                       + output_nanos + reasoning_nanos + request_fee_nanos + units_nanos)
) PARTITION BY RANGE (occurred_at);
-- Partitions (ledger_YYYY_MM) are created by the writer before the first row of a month arrives.
CREATE INDEX ledger_trace ON tokentally.ledger (trace_id);
CREATE INDEX ledger_scope ON tokentally.ledger (provider, model, occurred_at);

-- Re-pricing never edits a ledger row: it books the difference as an adjustment in an open period.
-- adjustment_id hashes the call and the new pricing, so running the same reprice twice adds nothing.
CREATE TABLE tokentally.ledger_adjustments (
  adjustment_id           text PRIMARY KEY,
  event_id                text NOT NULL,
  occurred_at             timestamptz NOT NULL,
  trace_id                text NOT NULL,
  period                  text NOT NULL,
  booked_at               timestamptz NOT NULL,
  team_id                 text NOT NULL,
  user_ref                text,
  feature                 text NOT NULL,
  workflow                text,
  environment             text NOT NULL,
  provider                text NOT NULL,
  model                   text NOT NULL,
  uncached_input_nanos    bigint NOT NULL,
  cache_read_nanos        bigint NOT NULL,
  cache_write_5m_nanos    bigint NOT NULL,
  cache_write_1h_nanos    bigint NOT NULL,
  output_nanos            bigint NOT NULL,
  reasoning_nanos         bigint NOT NULL,
  request_fee_nanos       bigint NOT NULL,
  units_nanos             bigint NOT NULL,
  total_nanos             bigint NOT NULL,
  rate_card_id            text NOT NULL,
  rate_card_version       text NOT NULL,
  rate_multiplier_id      text,
  rate_multiplier_version text,
  fx_rate_id              text,
  reason                  text NOT NULL,
  created_at              timestamptz NOT NULL DEFAULT now(),
  CHECK (total_nanos = uncached_input_nanos + cache_read_nanos + cache_write_5m_nanos + cache_write_1h_nanos
                       + output_nanos + reasoning_nanos + request_fee_nanos + units_nanos)
);
CREATE INDEX ledger_adjustments_event ON tokentally.ledger_adjustments (event_id, occurred_at);
CREATE INDEX ledger_adjustments_trace ON tokentally.ledger_adjustments (trace_id);

-- Rollups, maintained in the ledger writer's transaction: reports never scan raw rows, and rollup sums
-- equal ledger + adjustment sums exactly. Optional dimensions are '' rather than NULL so they can key.
CREATE TABLE tokentally.rollup_hourly (
  period                text NOT NULL,
  bucket                timestamptz NOT NULL,
  team_id               text NOT NULL,
  feature               text NOT NULL,
  workflow              text NOT NULL,
  model                 text NOT NULL,
  provider              text NOT NULL,
  environment           text NOT NULL,
  user_ref              text NOT NULL,
  calls                 bigint NOT NULL,
  retries               bigint NOT NULL,
  input_tokens          bigint NOT NULL,
  cache_read_tokens     bigint NOT NULL,
  cache_write_tokens    bigint NOT NULL,
  output_tokens         bigint NOT NULL,
  reasoning_tokens      bigint NOT NULL,
  input_nanos           bigint NOT NULL,
  cache_nanos           bigint NOT NULL,
  output_nanos          bigint NOT NULL,
  other_nanos           bigint NOT NULL,
  total_nanos           bigint NOT NULL,
  PRIMARY KEY (period, bucket, team_id, feature, workflow, model, provider, environment, user_ref)
);
CREATE TABLE tokentally.rollup_daily (LIKE tokentally.rollup_hourly INCLUDING ALL);
