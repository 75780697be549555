import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import {
  AlertDetailSchema,
  AlertSummarySchema,
  FeedbackResponse,
  ALERT_KINDS,
  FEEDBACK_VERDICTS,
  MAX_ALERT_LIMIT,
  MAX_REASON_LENGTH,
} from '@tokentally/domain-anomaly';
import { DigestSchema } from '@tokentally/domain-digest';
import { z } from 'zod';

/**
 * The operator surface of the anomaly detector on the finance API: alerts, their explanation, feedback,
 * and the weekly audit digest. Parameters, bodies and responses are zod schemas: the controller
 * validates with them and the OpenAPI document (GET /openapi.json) is generated from them.
 */
const teamId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@:-]{0,127}$/, 'team must be a team id');
const team = teamId
  .optional()
  .meta({ description: 'finance: any team (all when left out); team tokens: their own (403 otherwise)' });
const eventTime = (name: string) =>
  z
    .string()
    .refine((v) => !Number.isNaN(Date.parse(v)), `${name} must be an ISO time or date, e.g. 2026-11-16`)
    .transform((v) => Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v))
    .optional();

export const AlertsQuery = z.object({
  team,
  status: z
    .enum(['open', 'resolved'], { error: 'status must be open or resolved' })
    .optional()
    .meta({ description: 'open: not resolved yet (open or updated); resolved: the incident ended' }),
  kind: z
    .enum(ALERT_KINDS, { error: `kind must be one of ${ALERT_KINDS.join(', ')}` })
    .optional()
    .meta({ description: 'kind of the latest revision' }),
  since: eventTime('since').meta({
    description: 'event time: alerts whose window ends after this (ISO time or date, UTC)',
    example: '2026-11-16',
  }),
  until: eventTime('until').meta({
    description: 'event time: alerts whose window starts before this',
    example: '2026-11-23',
  }),
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int('limit must be an integer')
    .min(1, 'limit must be at least 1')
    .max(MAX_ALERT_LIMIT, `limit must be at most ${MAX_ALERT_LIMIT}`)
    .default(100)
    .meta({ description: 'at most this many alerts, latest detection first' }),
});
export const AlertParams = z.object({
  alertId: z
    .string()
    .regex(/^[a-z]{2}_[0-9a-f]{8,64}$/, 'alert id looks like al_<hex> or bu_<hex>')
    .meta({ description: 'alert_id (al_... for spikes and drops, bu_... for budget crossings)' }),
});
export const FeedbackBody = z.object({
  verdict: z
    .enum(FEEDBACK_VERDICTS as ['expected', 'planned', 'not_an_issue'], {
      error: `verdict must be one of ${FEEDBACK_VERDICTS.join(', ')}`,
    })
    .meta({
      description: 'expected (24 h), planned (7 days), not_an_issue (3 days) of suppression, in event time',
    }),
  reason: z
    .string({ error: 'a reason is required' })
    .trim()
    .min(1, 'a reason is required')
    .max(MAX_REASON_LENGTH, `reason is longer than ${MAX_REASON_LENGTH} characters`),
  author: z.string().trim().max(200).optional().meta({
    description: 'who gives it (recorded with the token role, e.g. "alice@example.com (token:finance)")',
  }),
});
export const DigestQuery = z.object({
  week: z
    .string()
    .regex(/^\d{4}-W\d{2}$/, 'week must be an ISO week, e.g. 2026-W47')
    .meta({ description: 'ISO week (Monday 00:00 UTC to the next Monday)', example: '2026-W47' }),
  team,
});

const errors = {
  400: { description: 'invalid parameter' },
  401: { description: 'no valid API token' },
  403: { description: "another team's alerts" },
};
const json = (description: string, schema: z.ZodType) => ({
  description,
  content: { 'application/json': { schema } },
});

export const OPERATOR_ROUTES: RouteConfig[] = [
  {
    method: 'get',
    path: '/v1/alerts',
    summary:
      'Alerts (latest revision of each), newest detection first, filtered by status, kind, team, event time',
    request: { query: AlertsQuery },
    responses: { 200: json('alerts', z.object({ alerts: z.array(AlertSummarySchema) })), ...errors },
  },
  {
    method: 'get',
    path: '/v1/alerts/{alertId}',
    summary: 'One alert with its explanation: drivers in nano-USD and share, revisions, feedback',
    request: { params: AlertParams },
    responses: { 200: json('alert', AlertDetailSchema), 404: { description: 'unknown alert' }, ...errors },
  },
  {
    method: 'post',
    path: '/v1/alerts/{alertId}/feedback',
    summary:
      "Feedback on an alert (finance, or a team token for its own team's alert): mutes the incident and suppresses repeats",
    request: {
      params: AlertParams,
      body: { content: { 'application/json': { schema: FeedbackBody } } },
    },
    responses: {
      201: json('feedback recorded', FeedbackResponse),
      404: { description: 'unknown alert' },
      ...errors,
    },
  },
  {
    method: 'get',
    path: '/v1/digest',
    summary:
      'Weekly audit digest: per team spend vs the previous ISO week, explained top changes, open alerts, budgets, unowned spend, suggested actions',
    request: { query: DigestQuery },
    responses: {
      200: json('digest; money and counts as integer strings, shares in basis points', DigestSchema),
      ...errors,
    },
  },
];
