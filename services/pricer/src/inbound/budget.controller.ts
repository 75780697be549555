import { BadRequestException, Body, Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { BudgetCheck } from '../budget.check';
import { budgetAnswerJson, budgetCheckBody, budgetRequestOf } from './budget-check.schema';

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
  constructor(@Inject(BudgetCheck) private readonly budget: BudgetCheck) {}

  @Post('check')
  @HttpCode(200)
  async check(@Body() body: unknown, @Res({ passthrough: true }) response: HeaderSink) {
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
