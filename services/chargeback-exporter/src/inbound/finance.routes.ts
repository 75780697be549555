import { OpenApiGeneratorV31, OpenAPIRegistry, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { OPERATOR_ROUTES } from './alerts.routes';
import { BUDGET_OVERRIDE_ROUTES } from './budget-overrides.routes';
import { reconciliationRoutes } from './reconciliation.routes';

/**
 * The finance API's routes as zod schemas: the controller validates path and query parameters with
 * them and the OpenAPI document is generated from them, so the two cannot drift.
 */
export const PeriodParams = z.object({
  period: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'period must be YYYY-MM, e.g. 2026-10')
    .meta({ description: 'billing period (calendar month, UTC)', example: '2026-10' }),
});
const team = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._@:-]{0,127}$/i, 'team must be a team id')
  .optional()
  .meta({ description: 'finance: any team (all when left out); team tokens: their own (403 otherwise)' });
export const TeamQuery = z.object({ team });
export const EXPORT_FORMATS = ['csv', 'json', 'focus', 'focus-parquet'] as const;
export const ExportQuery = z.object({
  team,
  format: z
    .enum(EXPORT_FORMATS, { error: 'format must be csv, json, focus or focus-parquet' })
    .default('csv')
    .meta({ description: 'csv: one row per team x dimension; focus: FinOps FOCUS 1.2 CSV or Parquet' }),
});
export const TraceParams = z.object({
  traceId: z.string().min(1).max(256, 'trace id too long').meta({ description: 'the trace_id of a request' }),
});

const errors = {
  400: { description: 'invalid parameter' },
  401: { description: 'no valid API token' },
  403: { description: "another team's data" },
};
const json = (description: string) => ({ description, content: { 'application/json': { schema: {} } } });

export const FINANCE_ROUTES: RouteConfig[] = [
  {
    method: 'get',
    path: '/v1/statements/{period}',
    summary:
      'Statement of a billing period: per team direct, allocated and total cost, change vs the previous period, breakdowns, budget, enforced budgets with the overrides in effect and the spend above each plain budget, audit summary',
    request: { params: PeriodParams, query: TeamQuery },
    responses: { 200: json('statement; money as integer nano-USD strings'), ...errors },
  },
  {
    method: 'get',
    path: '/v1/statements/{period}/closed',
    summary: 'The stored, immutable statement of a closed period, byte for byte (finance tokens only)',
    request: { params: PeriodParams },
    responses: { 200: json('statement (JSON text)'), 404: { description: 'period not closed' }, ...errors },
  },
  {
    method: 'get',
    path: '/v1/exports/{period}',
    summary: 'Export: statement CSV or JSON, or FinOps FOCUS 1.2 as CSV or Parquet',
    request: { params: PeriodParams, query: ExportQuery },
    responses: {
      200: {
        description: 'text/csv, application/json or application/vnd.apache.parquet',
        content: {
          'text/csv': { schema: { type: 'string' } },
          'application/json': { schema: {} },
          'application/vnd.apache.parquet': { schema: { type: 'string', format: 'binary' } },
        },
      },
      ...errors,
    },
  },
  {
    method: 'get',
    path: '/v1/focus/metadata',
    summary: 'FOCUS metadata of the exports: FocusVersion, SchemaId, DataGenerator, column definitions',
    responses: { 200: json('FOCUS metadata'), 401: errors[401] },
  },
  {
    method: 'get',
    path: '/v1/budgets/{period}',
    summary:
      'Budget status per team: spent, remaining, % used; enforced budgets with overrides in effect and spend above each plain budget',
    request: { params: PeriodParams, query: TeamQuery },
    responses: { 200: json('budgets'), ...errors },
  },
  {
    method: 'get',
    path: '/v1/traces/{traceId}/cost',
    summary: "A request's cost call by call (team tokens: their own team's calls)",
    request: { params: TraceParams },
    responses: { 200: json('explanation'), 404: { description: 'unknown trace' }, ...errors },
  },
  {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document (no token needed)',
    security: [],
    responses: { 200: json('OpenAPI 3.1 document') },
  },
];

/** OpenAPI 3.1 description of the finance API, served at GET /openapi.json; `more`: other controllers' routes. */
export function financeOpenApi(more: readonly RouteConfig[] = []) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  for (const route of [
    ...FINANCE_ROUTES,
    ...OPERATOR_ROUTES,
    ...BUDGET_OVERRIDE_ROUTES,
    ...reconciliationRoutes(),
    ...more,
  ])
    registry.registerPath(route);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'tokentally finance API',
      version: '1',
      description:
        'Chargeback statements, exports and budgets from the ledger; alerts, feedback and the weekly digest of the anomaly detector. Money is exact: *_nanos are integer nano-USD as strings.',
    },
    security: [{ bearer: [] }],
  });
}
