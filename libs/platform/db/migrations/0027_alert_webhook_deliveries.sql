-- The webhook outbox of alerts. Every stored alert revision gets one delivery row per configured webhook
-- (webhooks_enqueued marks the alerts already fanned out; rows from before this migration are not sent
-- retroactively). delivery_id = hash(alert_id, revision, webhook): the primary key makes the fan-out
-- idempotent, and receivers de-duplicate on it (Idempotency-Key header). A failed attempt moves
-- next_attempt_at on by a capped exponential backoff; a delivery is never dropped.
ALTER TABLE tokentally.alerts ADD COLUMN webhooks_enqueued boolean NOT NULL DEFAULT true;
ALTER TABLE tokentally.alerts ALTER COLUMN webhooks_enqueued SET DEFAULT false;
CREATE INDEX alerts_webhooks_pending ON tokentally.alerts (created_at) WHERE NOT webhooks_enqueued;

CREATE TABLE tokentally.alert_deliveries (
  delivery_id     text PRIMARY KEY,
  alert_id        text NOT NULL,
  revision        integer NOT NULL,
  webhook_id      text NOT NULL,
  url             text NOT NULL,
  format          text NOT NULL CHECK (format IN ('slack', 'json')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_status     integer,
  last_error      text,
  delivered_at    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (alert_id, revision) REFERENCES tokentally.alerts (alert_id, revision) ON DELETE CASCADE
);
CREATE INDEX alert_deliveries_due ON tokentally.alert_deliveries (next_attempt_at) WHERE delivered_at IS NULL;
