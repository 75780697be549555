import {
  errorResponse,
  type BearerTokens,
  type DirectRequest,
  type DirectResponse,
  type DirectRoute,
} from '@tokentally/platform-service';
import type { BudgetCheck } from '../budget.check';
import { budgetAnswerJson, budgetCheckBody, budgetRequestOf } from './budget-check.schema';

/**
 * POST /v1/budget/check: a gateway asks before it forwards a call. Every decision, deny included, is
 * a 200 with the reason; a malformed question is a 400 naming the field. A rate-limited answer carries
 * Retry-After. Served directly by Node's HTTP server: it sits on the gateway's critical path.
 */
export class BudgetCheckRoute implements DirectRoute {
  readonly method = 'POST';
  readonly path = '/v1/budget/check';
  readonly maxBodyBytes = 16_384;

  constructor(
    private readonly budget: BudgetCheck,
    private readonly tokens: BearerTokens<true>,
  ) {}

  async handle(request: DirectRequest): Promise<DirectResponse> {
    if (this.tokens.match(request.header('authorization')) === undefined)
      return errorResponse(
        401,
        this.tokens.size === 0
          ? 'budget checks are off: no BUDGET_TOKENS configured'
          : 'a valid bearer token (BUDGET_TOKENS) is required',
        { 'www-authenticate': 'Bearer' },
      );
    const parsed = budgetCheckBody.safeParse(request.body);
    if (!parsed.success)
      return errorResponse(
        400,
        parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`),
      );
    const answer = await this.budget.decide(budgetRequestOf(parsed.data));
    return {
      status: 200,
      ...(answer.retryAfterMs !== null
        ? { headers: { 'retry-after': String(Math.ceil(answer.retryAfterMs / 1000)) } }
        : {}),
      body: budgetAnswerJson(answer),
    };
  }
}
