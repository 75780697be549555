-- Quarantined payloads may hold raw user or tenant ids: the enricher stores them encrypted.
ALTER TABLE tokentally.quarantine ADD COLUMN sealed boolean NOT NULL DEFAULT false;
