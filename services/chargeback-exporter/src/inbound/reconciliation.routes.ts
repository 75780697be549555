import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { PeriodParams } from './finance.routes';

/** Coverage and reconciliation status routes of the finance API (validated by these schemas, documented from them). */
export const WeekQuery = z.object({
  week: z
    .string()
    .regex(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/, 'week must be an ISO week, YYYY-Www, e.g. 2026-W47')
    .optional()
    .meta({
      description: 'ISO week (Monday to Sunday, UTC); the current one when left out',
      example: '2026-W47',
    }),
});

const errors = {
  400: { description: 'invalid parameter' },
  401: { description: 'no valid API token' },
  403: { description: 'finance tokens only' },
};
const json = (description: string) => ({ description, content: { 'application/json': { schema: {} } } });

/** A function, not a constant: finance.routes.ts calls it once both modules are loaded (they import each other). */
export const reconciliationRoutes = (): RouteConfig[] => [
  {
    method: 'get',
    path: '/v1/coverage',
    summary:
      'Weekly coverage (finance tokens only): unattributed share of spend against the 2% target, the broken hops (api key, service account, gateway, workflow, environment) that send unowned calls, quarantine with its estimated cost, and provider spend that never reached the ledger',
    request: { query: WeekQuery },
    responses: { 200: json('coverage report; money as integer nano-USD strings'), ...errors },
  },
  {
    method: 'get',
    path: '/v1/reconciliation/{period}/days',
    summary:
      "The period's reconciliation day by day per provider account: bill vs ledger, within tolerance or not, open differences by class (team tokens: their team's accounts)",
    request: { params: PeriodParams },
    responses: { 200: json('days, oldest first; money as integer nano-USD strings'), ...errors },
  },
  {
    method: 'get',
    path: '/v1/reconciliation/{period}',
    summary:
      "A period's reconciliation with the provider bills: provider total vs ledger per provider account, within the monthly tolerance or not, open differences by class (team tokens: their team's accounts)",
    request: { params: PeriodParams },
    responses: { 200: json('reconciliation status; money as integer nano-USD strings'), ...errors },
  },
];
