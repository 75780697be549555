import { createHash } from 'node:crypto';
import type { AlertEvent } from '@tokentally/contracts';
import { usd } from './explanation';

/** A configured webhook: a Slack incoming webhook gets `{text, blocks}`, any other the alert as JSON. */
export interface WebhookTarget {
  /** Stable id of the webhook (hash of its URL): part of every delivery id, safe to log and label. */
  id: string;
  url: string;
  format: 'slack' | 'json';
}

/** How failed deliveries are retried: exponential backoff from initialDelayMs, each delay capped. */
export interface WebhookRetryPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_WEBHOOK_RETRY: WebhookRetryPolicy = { initialDelayMs: 1000, maxDelayMs: 5 * 60_000 };

const sha = (text: string, length: number): string =>
  createHash('sha256').update(text).digest('hex').slice(0, length);

/**
 * Parses `ALERT_WEBHOOK_URLS`: comma-separated URLs, each optionally prefixed `slack:` or `json:`
 * (`slack:https://hooks.slack.com/services/...`). A URL on hooks.slack.com is Slack without a prefix.
 */
export function parseWebhookTargets(value: string): WebhookTarget[] {
  const targets: WebhookTarget[] = [];
  for (const raw of value.split(',').map((x) => x.trim())) {
    if (!raw) continue;
    const match = /^(slack|json):(.*)$/.exec(raw);
    const url = match ? match[2]! : raw;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(`not a webhook URL: ${url}`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw new Error(`a webhook URL must be http(s): ${url}`);
    const format = match
      ? (match[1] as 'slack' | 'json')
      : parsed.hostname === 'hooks.slack.com'
        ? 'slack'
        : 'json';
    targets.push({ id: sha(url, 12), url, format });
  }
  return targets;
}

/**
 * One delivery per (alert, revision, webhook): each revision of an alert (open, updated, resolved) is a
 * message. The id is what receivers de-duplicate on (Idempotency-Key header): a crash after a
 * webhook answered but before the delivery was marked done resends the same id.
 */
export function deliveryIdOf(alertId: string, revision: number, targetId: string): string {
  return sha(`${alertId}#${revision}@${targetId}`, 32);
}

/** When the next attempt is due after `attempts` failed ones: 1 s, 2 s, 4 s, ... capped. */
export function nextAttemptAt(failedAttempts: number, now: number, policy: WebhookRetryPolicy): number {
  const exponent = Math.min(Math.max(failedAttempts - 1, 0), 30);
  return now + Math.min(policy.initialDelayMs * 2 ** exponent, policy.maxDelayMs);
}

/** What a webhook's answer means: 2xx delivered; 408, 429 and 5xx (or no answer) retried; 4xx as well. */
export function deliveryOutcome(status: number | undefined): 'delivered' | 'retry' {
  return status !== undefined && status >= 200 && status < 300 ? 'delivered' : 'retry';
}

const STATUS_WORD: Record<AlertEvent['status'], string> = {
  open: 'New',
  updated: 'Updated',
  resolved: 'Resolved',
};

/** The alert as a webhook body: Slack-compatible `{text, blocks}` or the plain JSON alert. */
export function webhookBody(alert: AlertEvent, format: WebhookTarget['format'], deliveryId: string): unknown {
  if (format === 'json') return { delivery_id: deliveryId, alert };
  const head = `${STATUS_WORD[alert.status]} ${alert.severity} alert (${alert.kind.replace(/_/g, ' ')})`;
  const delta = alert.observed_nanos - alert.baseline_nanos;
  const facts = [
    `*Team:* ${alert.scope.team_id}`,
    `*Scope:* ${alert.scope.series}`,
    alert.kind === 'budget_crossing'
      ? `*Month to date:* ${usd(alert.observed_nanos)} of ${usd(alert.budget_nanos ?? 0)}`
      : `*Observed:* ${usd(alert.observed_nanos)} vs ${usd(alert.baseline_nanos)} usual (${delta >= 0 ? '+' : '-'}${usd(Math.abs(delta))})`,
  ];
  const drivers = [...alert.drivers]
    .filter((d) => d.delta_nanos !== 0)
    .sort((a, b) => Math.abs(b.delta_nanos) - Math.abs(a.delta_nanos))
    .slice(0, 3)
    .map(
      (d) => `${d.cause.replace(/_/g, ' ')} ${d.delta_nanos >= 0 ? '+' : '-'}${usd(Math.abs(d.delta_nanos))}`,
    );
  return {
    text: `${head}: ${alert.explanation}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: head } },
      { type: 'section', text: { type: 'mrkdwn', text: alert.explanation } },
      { type: 'section', fields: facts.map((text) => ({ type: 'mrkdwn', text })) },
      ...(drivers.length > 0
        ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: `Drivers: ${drivers.join(', ')}` }] }]
        : []),
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `alert ${alert.alert_id} rev ${alert.revision}` }],
      },
    ],
  };
}
