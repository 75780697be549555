const period = {
  name: 'period',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' },
};
const team = {
  name: 'team',
  in: 'query',
  required: false,
  schema: { type: 'string' },
  description: 'finance: any team; team tokens: their own (403 otherwise)',
};
const errors = {
  '400': { description: 'invalid parameter' },
  '401': { description: 'no valid API token' },
  '403': { description: "another team's data" },
};

/** OpenAPI 3.1 description of the finance API, served at GET /openapi.json. */
export const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'tokentally finance API',
    version: '1',
    description:
      'Chargeback statements, exports and budgets from the ledger rollups. Money is exact: *_nanos are integer nano-USD as strings.',
  },
  components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  security: [{ bearer: [] }],
  paths: {
    '/v1/statements/{period}': {
      get: {
        summary:
          'Statement of a billing period: per team direct, allocated and total cost, change vs the previous period, breakdowns, budget, audit summary',
        parameters: [period, team],
        responses: { '200': { description: 'statement (JSON)' }, ...errors },
      },
    },
    '/v1/statements/{period}/closed': {
      get: {
        summary: 'The stored, immutable statement of a closed period, byte for byte (finance tokens only)',
        parameters: [period],
        responses: {
          '200': { description: 'statement (JSON text)' },
          '404': { description: 'period not closed' },
          ...errors,
        },
      },
    },
    '/v1/exports/{period}': {
      get: {
        summary: 'Export: CSV (one row per team x dimension), JSON, or FinOps FOCUS 1.2 CSV',
        parameters: [
          period,
          team,
          { name: 'format', in: 'query', schema: { type: 'string', enum: ['csv', 'json', 'focus'] } },
        ],
        responses: { '200': { description: 'text/csv or application/json' }, ...errors },
      },
    },
    '/v1/budgets/{period}': {
      get: {
        summary: 'Budget status per team: spent, remaining, % used',
        parameters: [period, team],
        responses: { '200': { description: 'budgets (JSON)' }, ...errors },
      },
    },
    '/v1/traces/{traceId}/cost': {
      get: {
        summary: "A request's cost call by call (team tokens: their own team's calls)",
        parameters: [
          { name: 'traceId', in: 'path', required: true, schema: { type: 'string', maxLength: 256 } },
        ],
        responses: {
          '200': { description: 'explanation (JSON)' },
          '404': { description: 'unknown trace' },
          ...errors,
        },
      },
    },
  },
} as const;
