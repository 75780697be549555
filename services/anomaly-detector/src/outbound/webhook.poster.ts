import { webhookBody } from '@tokentally/domain-anomaly';
import type { DueDelivery, PostResult } from '@tokentally/adapters-postgres-alerts';

/**
 * One POST of an alert to a webhook: a Slack-compatible `{text, blocks}` or the plain JSON alert, with
 * the delivery id as `Idempotency-Key` (the same on every retry, so a receiver can de-duplicate).
 */
export async function postWebhook(delivery: DueDelivery, timeoutMs: number): Promise<PostResult> {
  try {
    const response = await fetch(delivery.target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': delivery.delivery_id,
        'x-tokentally-alert-id': delivery.alert.alert_id,
        'x-tokentally-alert-revision': String(delivery.alert.revision),
        'x-tokentally-attempt': String(delivery.attempts + 1),
      },
      body: JSON.stringify(webhookBody(delivery.alert, delivery.target.format, delivery.delivery_id)),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
    return { status: response.status };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
