-- The weekly coverage report ranks the identities (api key, service account, gateway, workflow,
-- environment) that send unowned calls: it reads only unattributed ledger rows of a week. They are a few
-- percent of the ledger at most, so a partial index keeps that read small without touching hot writes much.
CREATE INDEX ledger_unattributed ON tokentally.ledger (occurred_at) WHERE team_id = 'unattributed';
