import {
  BadRequestException,
  Body,
  Controller,
  Headers,
  HttpCode,
  Inject,
  Post,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import type { BearerTokens } from '@tokentally/platform-service';
import { BudgetCheck } from '../budget.check';
import { budgetAnswerJson, budgetCheckBody, budgetRequestOf } from './budget-check.schema';

/** Injection token of the gateway tokens the route accepts. */
export const BUDGET_TOKENS = Symbol('BUDGET_TOKENS');

/** The part of the HTTP response this route touches (express underneath). */
interface HeaderSink {
  setHeader(name: string, value: string): void;
}

/**
 * POST /v1/budget/check: a gateway asks before it forwards a call. Every decision, deny included, is
 * a 200 with the reason; a malformed question is a 400 naming the field. A rate-limited answer carries
 * Retry-After.
 */
@Controller('v1/budget')
export class BudgetController {
  constructor(
    @Inject(BudgetCheck) private readonly budget: BudgetCheck,
    @Inject(BUDGET_TOKENS) private readonly tokens: BearerTokens<true>,
  ) {}

  @Post('check')
  @HttpCode(200)
  async check(
    @Body() body: unknown,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) response: HeaderSink,
  ) {
    if (this.tokens.match(authorization) === undefined) {
      response.setHeader('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedException(
        this.tokens.size === 0
          ? 'budget checks are off: no BUDGET_TOKENS configured'
          : 'a valid bearer token (BUDGET_TOKENS) is required',
      );
    }
    const parsed = budgetCheckBody.safeParse(body);
    if (!parsed.success)
      throw new BadRequestException(
        parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`),
      );
    const answer = await this.budget.decide(budgetRequestOf(parsed.data));
    if (answer.retryAfterMs !== null)
      response.setHeader('Retry-After', String(Math.ceil(answer.retryAfterMs / 1000)));
    return budgetAnswerJson(answer);
  }
}
