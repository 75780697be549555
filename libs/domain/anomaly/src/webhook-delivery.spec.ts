import type { AlertEvent } from '@tokentally/contracts';
import {
  deliveryIdOf,
  deliveryOutcome,
  nextAttemptAt,
  parseWebhookTargets,
  webhookBody,
} from './webhook-delivery';

const alert: AlertEvent = {
  alert_id: 'al_1',
  kind: 'prompt_growth',
  severity: 'warning',
  scope: {
    team_id: 'analytics',
    feature: null,
    model: null,
    environment: null,
    workflow: null,
    series: 'team:analytics',
  },
  window_start: 0,
  window_end: 3_600_000,
  observed_nanos: 512_000_000_000,
  baseline_nanos: 100_000_000_000,
  explanation: 'Analytics +$412.00 in the hour to 01:00 UTC vs a usual Thursday: 91% from bigger prompts',
  drivers: [
    {
      dimension: 'workflow',
      key: 'weekly-digest',
      delta_nanos: 375_000_000_000,
      share_bp: 9100,
      cause: 'prompt_size',
      template_version: 'v7',
    },
    {
      dimension: 'team',
      key: 'analytics',
      delta_nanos: 37_000_000_000,
      share_bp: 900,
      cause: 'traffic',
      template_version: null,
    },
  ],
  detected_at: 3_600_000,
  status: 'open',
  revision: 1,
  primary_cause: 'prompt_size',
  period: null,
  threshold_bp: null,
  budget_nanos: null,
  forecast_crossing_date: null,
};

describe('webhook delivery policy', () => {
  it.each([
    { failed: 1, delay: 1000 },
    { failed: 2, delay: 2000 },
    { failed: 5, delay: 16_000 },
    { failed: 12, delay: 300_000 },
    { failed: 400, delay: 300_000 },
  ])(
    'after $failed failed attempts the next is due in $delay ms (exponential, capped)',
    ({ failed, delay }) => {
      expect(nextAttemptAt(failed, 50, { initialDelayMs: 1000, maxDelayMs: 300_000 })).toBe(50 + delay);
    },
  );

  it.each([
    [200, 'delivered'],
    [204, 'delivered'],
    [500, 'retry'],
    [429, 'retry'],
    [404, 'retry'],
    [undefined, 'retry'],
  ] as const)('an answer %s is %s', (status, outcome) => expect(deliveryOutcome(status)).toBe(outcome));

  it('parses slack:, json: and bare URLs; a hooks.slack.com URL is Slack by itself', () => {
    const targets = parseWebhookTargets(
      'slack:http://127.0.0.1:9/a, json:http://127.0.0.1:9/b,https://hooks.slack.com/services/X,http://h/c',
    );
    expect(targets.map((t) => [t.format, t.url])).toEqual([
      ['slack', 'http://127.0.0.1:9/a'],
      ['json', 'http://127.0.0.1:9/b'],
      ['slack', 'https://hooks.slack.com/services/X'],
      ['json', 'http://h/c'],
    ]);
    expect(new Set(targets.map((t) => t.id)).size).toBe(4);
    expect(parseWebhookTargets('')).toEqual([]);
    expect(() => parseWebhookTargets('ftp://x')).toThrow(/http/);
    expect(() => parseWebhookTargets('slack:nope')).toThrow(/not a webhook URL/);
  });

  it('a delivery id is stable per (alert, revision, webhook) and differs otherwise', () => {
    expect(deliveryIdOf('al_1', 1, 'w1')).toBe(deliveryIdOf('al_1', 1, 'w1'));
    const ids = [deliveryIdOf('al_1', 1, 'w1'), deliveryIdOf('al_1', 2, 'w1'), deliveryIdOf('al_1', 1, 'w2')];
    expect(new Set(ids).size).toBe(3);
  });

  it('a Slack message has text and blocks with the explanation and the top drivers; JSON carries the alert', () => {
    const slack = webhookBody(alert, 'slack', 'd1') as { text: string; blocks: { type: string }[] };
    expect(slack.text).toBe(`New warning alert (prompt growth): ${alert.explanation}`);
    expect(slack.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context', 'context']);
    expect(JSON.stringify(slack.blocks)).toContain('prompt size +$375.00, traffic +$37.00');
    expect(webhookBody(alert, 'json', 'd1')).toEqual({ delivery_id: 'd1', alert });
  });
});
