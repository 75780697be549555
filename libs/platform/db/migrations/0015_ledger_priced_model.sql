-- Which model id a call was priced as: the response's model when it named one that has a price (a
-- dated snapshot, a fallback to another model), else the requested model (docs/pricing.md). Null on
-- rows written before the pricer recorded it. ALTER on the partitioned parent reaches every partition.
ALTER TABLE tokentally.ledger ADD COLUMN IF NOT EXISTS priced_model text;
