-- The whole ownership envelope on every booked call: template versions explain token drift between
-- releases, the api key / service account / gateway name who sends unowned calls, project_id is the
-- provider-side account (OpenAI project, Anthropic workspace, Azure subscription, GCP project, AWS
-- account) a provider bill is reconciled against, owner_source says how the team was resolved (event,
-- api_key, service_account, unattributed). tenant_ref and provider_request_id were there already.
-- Nullable without a default: on the partitioned ledger this is a catalogue change, no rewrite, and
-- calls booked before read NULL (not known) rather than a made-up value.
ALTER TABLE tokentally.ledger
  ADD COLUMN owner_source            text,
  ADD COLUMN request_source          text,
  ADD COLUMN api_key_id              text,
  ADD COLUMN service_account         text,
  ADD COLUMN gateway_id              text,
  ADD COLUMN project_id              text,
  ADD COLUMN prompt_template_version text;

-- An adjustment carries the rollup dimensions of its call, so a re-pricing delta lands in the same
-- rollup rows as the call it corrects (a report by template version or tenant stays whole).
ALTER TABLE tokentally.ledger_adjustments
  ADD COLUMN tenant_ref              text,
  ADD COLUMN owner_source            text,
  ADD COLUMN project_id              text,
  ADD COLUMN prompt_template_version text;

-- Each rollup gets only the dimensions its readers need, as every key column multiplies the rows a
-- batch upserts (ADR 0006). Daily: reports by template version and owner source, and the reconciler's
-- provider account x model x day. Monthly (what statements read): tenant and template version. The
-- hourly rollup keeps its key. Rows from before keep '' (not known), like the ledger rows they sum.
ALTER TABLE tokentally.rollup_daily
  ADD COLUMN prompt_template_version text NOT NULL DEFAULT '',
  ADD COLUMN owner_source            text NOT NULL DEFAULT '',
  ADD COLUMN project_id              text NOT NULL DEFAULT '',
  DROP CONSTRAINT rollup_daily_pkey,
  ADD PRIMARY KEY (period, bucket, team_id, feature, workflow, model, provider, environment, user_ref,
                   prompt_template_version, owner_source, project_id);

ALTER TABLE tokentally.rollup_monthly
  ADD COLUMN prompt_template_version text NOT NULL DEFAULT '',
  ADD COLUMN tenant_ref              text NOT NULL DEFAULT '',
  DROP CONSTRAINT rollup_monthly_pkey,
  ADD PRIMARY KEY (period, bucket, team_id, feature, workflow, model, provider, environment, user_ref,
                   prompt_template_version, tenant_ref);
