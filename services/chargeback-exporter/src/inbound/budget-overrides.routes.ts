import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { OVERRIDE_REASON_CODES } from '@tokentally/domain-budget';

const id = z.string().trim().min(1).max(256);

/** POST /v1/budget/overrides: what `tally budget override` takes, in snake_case. */
export const OverrideBody = z.strictObject({
  team_id: id,
  feature: id.nullish(),
  environment: z.enum(['prod', 'staging', 'dev', 'test']).nullish(),
  amount_usd: z
    .string()
    .regex(/^\d+(\.\d{1,9})?$/, 'must be a positive USD amount as a decimal string, e.g. "250" or "99.50"')
    .meta({ description: 'Extra room in USD, an exact decimal string', example: '250.00' }),
  reason_code: z.enum(OVERRIDE_REASON_CODES),
  approver: z.string().max(320).meta({ description: 'Who approved it (an e-mail address)' }),
  expires: z.string().meta({
    description: 'When it ends: YYYY-MM-DD (the end of that day, UTC) or an RFC 3339 time',
    example: '2026-12-31',
  }),
  note: z.string().max(2000).meta({ description: 'Why, in a sentence' }),
  granted_by: z.string().max(320).optional().meta({ description: 'A person to name next to the token' }),
});

export const OverridesQuery = z.object({
  team: id.optional(),
  all: z.enum(['true', 'false']).optional().meta({ description: 'true: expired overrides too' }),
});

const json = (description: string) => ({ description, content: { 'application/json': { schema: {} } } });

export const BUDGET_OVERRIDE_ROUTES: RouteConfig[] = [
  {
    method: 'post',
    path: '/v1/budget/overrides',
    summary:
      'Grant extra room above a budget (finance tokens only), with a reason code, approver, expiry and note; never edited, always on record, and on the team statement',
    request: { body: { content: { 'application/json': { schema: OverrideBody } } } },
    responses: {
      201: json('the override granted; amount as integer nano-USD string'),
      400: { description: 'every problem of the request, each naming its field' },
      401: { description: 'no valid API token' },
      403: { description: 'finance tokens only' },
    },
  },
  {
    method: 'get',
    path: '/v1/budget/overrides',
    summary: "Overrides in effect (all=true: the whole audit trail); a team token sees its own team's",
    request: { query: OverridesQuery },
    responses: { 200: json('overrides, newest first'), 401: { description: 'no valid API token' } },
  },
];
