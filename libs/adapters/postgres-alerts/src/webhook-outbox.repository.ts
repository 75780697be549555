import type { Pool } from 'pg';
import type { AlertEvent } from '@tokentally/contracts';
import {
  deliveryIdOf,
  deliveryOutcome,
  nextAttemptAt,
  type WebhookRetryPolicy,
  type WebhookTarget,
} from '@tokentally/domain-anomaly';
import { inTransaction } from '@tokentally/platform-db';
import { ALERT_COLUMNS, toEvent, type AlertDbRow } from './alerts.repository';

export interface DueDelivery {
  delivery_id: string;
  target: WebhookTarget;
  attempts: number;
  alert: AlertEvent;
}

/** What one POST came to: the HTTP status, or the error when there was no answer. */
export interface PostResult {
  status?: number;
  error?: string;
}

export interface DeliveryRound {
  delivered: number;
  failed: { delivery: DueDelivery; result: PostResult }[];
}

const PREFIXED = ALERT_COLUMNS.split(',')
  .map((c) => `a.${c.trim()}`)
  .join(', ');

/**
 * The webhook outbox in Postgres (migration 0027): alerts fan out into one delivery row per webhook,
 * due rows are locked (other replicas skip them), posted, and marked delivered or rescheduled by the
 * domain's backoff. A webhook that is down only delays its rows; nothing is dropped.
 */
export class WebhookOutbox {
  constructor(private readonly pool: Pool) {}

  /** One delivery row per (alert revision not fanned out yet, webhook); idempotent by delivery_id. */
  async enqueue(targets: readonly WebhookTarget[], limit = 500): Promise<number> {
    const client = await this.pool.connect();
    try {
      return await inTransaction(client, async () => {
        const { rows } = await client.query<{ alert_id: string; revision: number }>(
          `SELECT alert_id, revision FROM tokentally.alerts WHERE NOT webhooks_enqueued
            ORDER BY created_at, alert_id, revision LIMIT $1 FOR UPDATE SKIP LOCKED`,
          [limit],
        );
        if (rows.length === 0) return 0;
        const deliveries = rows.flatMap((r) =>
          targets.map((t) => ({
            delivery_id: deliveryIdOf(r.alert_id, r.revision, t.id),
            alert_id: r.alert_id,
            revision: r.revision,
            webhook_id: t.id,
            url: t.url,
            format: t.format,
          })),
        );
        if (deliveries.length > 0)
          await client.query(
            `INSERT INTO tokentally.alert_deliveries (delivery_id, alert_id, revision, webhook_id, url, format)
             SELECT d.delivery_id, d.alert_id, d.revision, d.webhook_id, d.url, d.format
               FROM jsonb_to_recordset($1::jsonb) AS d(delivery_id text, alert_id text, revision int,
                    webhook_id text, url text, format text)
             ON CONFLICT (delivery_id) DO NOTHING`,
            [JSON.stringify(deliveries)],
          );
        await client.query(
          `UPDATE tokentally.alerts SET webhooks_enqueued = true
            WHERE (alert_id, revision) IN (SELECT * FROM unnest($1::text[], $2::int[]))`,
          [rows.map((r) => r.alert_id), rows.map((r) => r.revision)],
        );
        return rows.length;
      });
    } finally {
      client.release();
    }
  }

  /**
   * Posts the due deliveries of the configured webhooks (a webhook taken out of the configuration is
   * no longer tried; its rows stay), oldest alert first, at most `limit`, holding their row locks meanwhile
   * so two replicas never post the same one at once; each is then marked delivered (2xx) or
   * rescheduled after `policy`'s backoff.
   */
  async deliverDue(
    targets: readonly WebhookTarget[],
    post: (delivery: DueDelivery) => Promise<PostResult>,
    policy: WebhookRetryPolicy,
    limit = 50,
  ): Promise<DeliveryRound> {
    if (targets.length === 0) return { delivered: 0, failed: [] };
    const client = await this.pool.connect();
    try {
      return await inTransaction(client, async () => {
        const { rows } = await client.query<
          AlertDbRow & {
            delivery_id: string;
            webhook_id: string;
            url: string;
            format: string;
            attempts: number;
          }
        >(
          `SELECT d.delivery_id, d.webhook_id, d.url, d.format, d.attempts, ${PREFIXED}
             FROM tokentally.alert_deliveries d
             JOIN tokentally.alerts a ON a.alert_id = d.alert_id AND a.revision = d.revision
            WHERE d.delivered_at IS NULL AND d.next_attempt_at <= now() AND d.webhook_id = ANY($2)
            ORDER BY a.created_at, d.alert_id, d.revision, d.webhook_id
            LIMIT $1 FOR UPDATE OF d SKIP LOCKED`,
          [limit, targets.map((t) => t.id)],
        );
        const round: DeliveryRound = { delivered: 0, failed: [] };
        // one webhook down must not hold the others: a failed webhook's later rows wait for the next round
        const down = new Set<string>();
        for (const row of rows) {
          if (down.has(row.webhook_id)) continue;
          const delivery: DueDelivery = {
            delivery_id: row.delivery_id,
            target: { id: row.webhook_id, url: row.url, format: row.format as WebhookTarget['format'] },
            attempts: row.attempts,
            alert: toEvent(row),
          };
          const result = await post(delivery);
          const attempts = row.attempts + 1;
          if (deliveryOutcome(result.status) === 'delivered') {
            await client.query(
              `UPDATE tokentally.alert_deliveries SET delivered_at = now(), attempts = $2, last_status = $3,
                      last_error = NULL WHERE delivery_id = $1`,
              [row.delivery_id, attempts, result.status],
            );
            round.delivered++;
          } else {
            down.add(row.webhook_id);
            await client.query(
              `UPDATE tokentally.alert_deliveries SET attempts = $2, last_status = $3, last_error = $4,
                      next_attempt_at = now() + make_interval(secs => $5::double precision / 1000)
                WHERE delivery_id = $1`,
              [
                row.delivery_id,
                attempts,
                result.status ?? null,
                result.error ?? `HTTP ${result.status}`,
                nextAttemptAt(attempts, 0, policy),
              ],
            );
            round.failed.push({ delivery, result });
            // the same webhook's other due rows of this round wait out the same backoff
            const others = rows
              .filter((r) => r.webhook_id === row.webhook_id && r.delivery_id !== row.delivery_id)
              .map((r) => r.delivery_id);
            if (others.length > 0)
              await client.query(
                `UPDATE tokentally.alert_deliveries
                    SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)
                  WHERE delivery_id = ANY($1)`,
                [others, nextAttemptAt(attempts, 0, policy)],
              );
          }
        }
        return round;
      });
    } finally {
      client.release();
    }
  }
}
