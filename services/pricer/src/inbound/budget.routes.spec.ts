import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { budgetScopeKey, type BudgetCheckAnswer } from '@tokentally/domain-budget';
import { BudgetCheckRoute } from './budget-check.route';
import {
  BUDGET_REASON_CODES,
  budgetAnswerJson,
  budgetAnswerSchema,
  budgetCheckBody,
} from './budget-check.schema';
import { pricerOpenApi } from './budget.routes';
import { OpenApiController } from './openapi.controller';

/** Every route the pricer serves: its direct routes, and its controllers' from Nest's own metadata. */
function controllerRoutes(): string[] {
  const direct = new BudgetCheckRoute(null as never, null as never);
  return [`${direct.method.toLowerCase()} ${direct.path}`, ...nestRoutes()];
}

function nestRoutes(): string[] {
  return [OpenApiController].flatMap((controller) => {
    const base = (Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '';
    const prototype = controller.prototype as unknown as Record<string, unknown>;
    return Object.getOwnPropertyNames(prototype).flatMap((name) => {
      const handler = prototype[name];
      if (typeof handler !== 'function') return [];
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (path === undefined || method === undefined) return [];
      const full = [base, path]
        .map((p) => p.replace(/^\/|\/$/g, ''))
        .filter(Boolean)
        .join('/');
      return [`${RequestMethod[method].toLowerCase()} /${full}`];
    });
  });
}

type Schema = {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: string[];
  $ref?: string;
  additionalProperties?: unknown;
};

const answer = (extra: Partial<BudgetCheckAnswer> = {}): BudgetCheckAnswer => ({
  decision: 'deny',
  reasonCode: 'OVER_HARD_BUDGET',
  reason: 'support: $0.30 would pass the hard $1.00 budget',
  teamId: 'support',
  reservationId: null,
  estimateNanos: 300_000_000n,
  remainingNanos: -(2n ** 60n),
  viaOverride: false,
  alert: false,
  retryAfterMs: null,
  verdicts: [
    {
      scope: budgetScopeKey({ teamId: 'support', feature: 'drafts', environment: null }),
      mode: 'hard',
      outcome: 'deny',
      limitNanos: 1_000_000_000n,
      overrideNanos: 5n,
      remainingNanos: -(2n ** 60n),
      overrideIds: ['ovr-1'],
    },
  ],
  ...extra,
});

describe('the pricer OpenAPI document', () => {
  const document = pricerOpenApi();
  const documented = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    Object.keys(item ?? {}).map((method) => `${method} ${path}`),
  );
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;

  it('has every route the controllers serve, and no other', () => {
    const routes = controllerRoutes();
    expect(routes).toContain('post /v1/budget/check');
    expect([...documented].sort()).toEqual([...routes].sort());
  });

  it('describes the question with the schema the route validates with', () => {
    const check = document.paths?.['/v1/budget/check']?.post;
    const body = check?.requestBody as { content: Record<string, { schema: Schema }> } | undefined;
    expect(body?.content['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/BudgetCheckRequest',
    });
    const request = schemas['BudgetCheckRequest'];
    expect(Object.keys(request?.properties ?? {}).sort()).toEqual(Object.keys(budgetCheckBody.shape).sort());
    expect([...(request?.required ?? [])].sort()).toEqual([
      'environment',
      'feature',
      'input_tokens',
      'max_output_tokens',
      'model',
      'provider',
    ]);
    expect(request?.additionalProperties).toBe(false);
    expect(request?.properties?.['environment']?.enum).toEqual(['prod', 'staging', 'dev', 'test']);
    expect(Object.keys(check?.responses ?? {}).sort()).toEqual(['200', '400', '401']);
    expect(document.components?.securitySchemes).toEqual({ bearer: { type: 'http', scheme: 'bearer' } });
    expect(document.paths?.['/openapi.json']?.get?.security).toEqual([]);
  });

  it('describes the answer the route sends, reason codes included', () => {
    const schema = schemas['BudgetCheckAnswer'];
    expect(Object.keys(schema?.properties ?? {}).sort()).toEqual(
      Object.keys(budgetAnswerJson(answer())).sort(),
    );
    expect(schema?.properties?.['reason_code']?.enum).toEqual([...BUDGET_REASON_CODES]);
    expect(schema?.properties?.['decision']?.enum).toEqual(['allow', 'warn', 'deny']);
  });

  it.each<[string, BudgetCheckAnswer]>([
    ['a deny with a rule past 2^53 nanos', answer()],
    [
      'an allow without any budget',
      answer({
        decision: 'allow',
        reasonCode: 'NO_BUDGET',
        estimateNanos: null,
        remainingNanos: null,
        verdicts: [],
      }),
    ],
    ['a rate-limited answer', answer({ reasonCode: 'RATE_LIMITED', retryAfterMs: 1200, verdicts: [] })],
  ])('the schema accepts what budgetAnswerJson sends: %s', (_name, value) => {
    const json = JSON.parse(JSON.stringify(budgetAnswerJson(value))) as unknown;
    expect(budgetAnswerSchema.safeParse(json)).toMatchObject({ success: true });
  });

  it('the schema refuses an answer with money as a number', () => {
    const json = { ...budgetAnswerJson(answer()), estimate_nanos: 300000000 };
    expect(budgetAnswerSchema.safeParse(json).success).toBe(false);
  });
});
