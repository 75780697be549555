import { OpenApiGeneratorV31, OpenAPIRegistry, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { budgetAnswerSchema, budgetCheckBody } from './budget-check.schema';

const problem = (description: string) => ({
  description,
  content: {
    'application/json': {
      schema: {
        type: 'object' as const,
        properties: {
          statusCode: { type: 'integer' as const },
          message: {
            oneOf: [
              { type: 'string' as const },
              { type: 'array' as const, items: { type: 'string' as const } },
            ],
          },
        },
      },
    },
  },
});

/**
 * The pricer's HTTP routes for gateways, from the zod schemas the controller validates and answers
 * with, so the document and the route cannot drift.
 */
export const PRICER_ROUTES: RouteConfig[] = [
  {
    method: 'post',
    path: '/v1/budget/check',
    summary:
      'Ask before spending: prices the worst case with the rate book, reserves it atomically against every matching budget and per-minute cap, and answers allow, warn or deny',
    description:
      'Every decision, deny included, is a 200 with a reason_code. Forward on allow or warn and record the call with the same event_id: its priced cost replaces the reservation. A rate-limited answer carries Retry-After (seconds).',
    request: {
      body: { required: true, content: { 'application/json': { schema: budgetCheckBody } } },
    },
    responses: {
      200: {
        description: 'the decision',
        headers: {
          'Retry-After': {
            description: 'seconds until a rate-limited caller may ask again (RATE_LIMITED only)',
            schema: { type: 'integer' },
          },
        },
        content: { 'application/json': { schema: budgetAnswerSchema } },
      },
      400: problem('malformed question: each message names its field (`input_tokens: must not be negative`)'),
      401: problem('no valid gateway token (BUDGET_TOKENS); WWW-Authenticate: Bearer'),
    },
  },
  {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document (no token needed)',
    security: [],
    responses: {
      200: { description: 'OpenAPI 3.1 document', content: { 'application/json': { schema: {} } } },
    },
  },
];

/** OpenAPI 3.1 description of the pricer's gateway API, served at GET /openapi.json. */
export function pricerOpenApi() {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  for (const route of PRICER_ROUTES) registry.registerPath(route);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'tokentally pricer: budget checks',
      version: '1',
      description:
        'Budget decisions for gateways before they spend. Money is exact: *_nanos are integer nano-USD as strings, *_usd exact decimals.',
    },
    security: [{ bearer: [] }],
  });
}
