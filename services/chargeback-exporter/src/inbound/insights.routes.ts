import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { PeriodParams, TeamQuery } from './finance.routes';

export const TopQuery = TeamQuery.extend({
  top: z.coerce
    .number()
    .int()
    .min(1, 'top must be 1 to 100')
    .max(100, 'top must be 1 to 100')
    .default(10)
    .meta({ description: 'how many of the dearest requests to list' }),
});
export const QuarantineQuery = z.object({
  hours: z.coerce
    .number()
    .int()
    .min(1, 'hours must be 1 to 8760')
    .max(8760, 'hours must be 1 to 8760')
    .default(24)
    .meta({ description: 'look back this many hours' }),
});

const errors = {
  400: { description: 'invalid parameter' },
  401: { description: 'no valid API token' },
  403: { description: "another team's data" },
};
const json = (description: string) => ({ description, content: { 'application/json': { schema: {} } } });

/** The console's JSON routes (also plain API routes, in the same OpenAPI document). */
export const INSIGHTS_ROUTES: RouteConfig[] = [
  {
    method: 'get',
    path: '/v1/burn/{period}',
    summary:
      'Burn: spend so far vs budget, forecast to month end at the rate so far, direct cost per day, the dearest requests',
    request: { params: PeriodParams, query: TopQuery },
    responses: { 200: json('burn forecast; money as integer nano-USD strings'), ...errors },
  },
  {
    method: 'get',
    path: '/v1/efficiency/{period}',
    summary:
      'Model efficiency per model x feature: cost per request, per successful outcome (every attempt of a trace / traces that succeeded), tokens per request, cache hit ratio, premium models on short calls',
    request: { params: PeriodParams, query: TeamQuery },
    responses: { 200: json('efficiency table'), ...errors },
  },
  {
    method: 'get',
    path: '/v1/status',
    summary:
      'Pipeline status: consumer lag per group, topic and partition, and how complete the ledger is ("complete through")',
    responses: { 200: json('status'), 401: errors[401], 503: { description: 'broker not reachable yet' } },
  },
  {
    method: 'get',
    path: '/v1/ops/summary',
    summary:
      'Ops over the last hours (finance tokens only): calls and retries booked per hour (event time), quarantined events per hour and by stage and reason',
    request: { query: QuarantineQuery },
    responses: { 200: json('throughput and quarantine'), ...errors },
  },
  {
    method: 'get',
    path: '/v1/session',
    summary: "Who the token is: role finance (every team) or team (its own team's data only)",
    responses: { 200: json('role and team'), 401: errors[401] },
  },
];
