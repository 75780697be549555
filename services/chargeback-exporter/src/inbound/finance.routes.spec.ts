import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { AlertsController } from './alerts.controller';
import { BudgetOverridesController } from './budget-overrides.controller';
import { CoverageController } from './coverage.controller';
import { FinanceController } from './finance.controller';
import { ExportQuery, financeOpenApi, PeriodParams, TeamQuery } from './finance.routes';
import { InsightsController } from './insights.controller';
import { INSIGHTS_ROUTES } from './insights.routes';

/** Every route the JSON controllers serve, as OpenAPI paths: read from Nest's own route metadata. */
function controllerRoutes(): string[] {
  return [
    FinanceController,
    AlertsController,
    BudgetOverridesController,
    CoverageController,
    InsightsController,
  ].flatMap((controller) => routesOf(controller.prototype));
}

function routesOf(controllerPrototype: object): string[] {
  const prototype = controllerPrototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(prototype).flatMap((name) => {
    const handler = prototype[name];
    if (typeof handler !== 'function') return [];
    const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
    const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
    if (path === undefined || method === undefined) return [];
    const openApiPath = `/${path.replace(/^\//, '').replace(/:(\w+)/g, '{$1}')}`;
    return [`${RequestMethod[method].toLowerCase()} ${openApiPath}`];
  });
}

describe('the finance API OpenAPI document', () => {
  const document = financeOpenApi(INSIGHTS_ROUTES);
  const documented = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    Object.keys(item ?? {}).map((method) => `${method} ${path}`),
  );

  it('has every route of the controllers, and no route they do not serve', () => {
    const routes = controllerRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(11);
    expect([...documented].sort()).toEqual([...routes].sort());
  });

  it('describes parameters from the schemas the controller validates with', () => {
    const exports = document.paths?.['/v1/exports/{period}']?.get;
    const parameters = (exports?.parameters ?? []) as {
      name: string;
      in: string;
      schema?: { enum?: string[] };
    }[];
    expect(parameters.map((p) => `${p.in}:${p.name}`).sort()).toEqual([
      'path:period',
      'query:format',
      'query:team',
    ]);
    expect(parameters.find((p) => p.name === 'format')?.schema?.enum).toEqual([
      'csv',
      'json',
      'focus',
      'focus-parquet',
    ]);
    expect(document.paths?.['/openapi.json']?.get?.security).toEqual([]);
    expect(document.components?.securitySchemes).toEqual({ bearer: { type: 'http', scheme: 'bearer' } });
  });

  it.each<[string, { success: boolean }]>([
    ['2026-10', PeriodParams.safeParse({ period: '2026-10' })],
    ["2026-10' OR '1'='1", PeriodParams.safeParse({ period: "2026-10' OR '1'='1" })],
    ['2026-13', PeriodParams.safeParse({ period: '2026-13' })],
    ['team x; DROP', TeamQuery.safeParse({ team: "x' OR 1=1; DROP TABLE tokentally.ledger; --" })],
    ['format csv', ExportQuery.safeParse({ format: 'csv' })],
    ["format csv'; --", ExportQuery.safeParse({ format: "csv'; --" })],
  ])('validates %s', (name, result) => {
    expect(result.success).toBe(name === '2026-10' || name === 'format csv');
  });

  it('defaults the export format to csv', () => {
    expect(ExportQuery.parse({})).toEqual({ format: 'csv' });
  });
});
