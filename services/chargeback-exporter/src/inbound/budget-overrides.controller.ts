import { randomUUID } from 'node:crypto';
import {
  BadRequestException,
  Body,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  Inject,
  Post,
  Query,
  Req,
  UseGuards,
} from '@nestjs/common';
import { BudgetRepository } from '@tokentally/adapters-postgres-budget';
import { grantOverride, parseOverrideExpiry } from '@tokentally/domain-budget';
import { statementOverrideOf, toJsonValue } from '@tokentally/domain-chargeback';
import { parseDecimalToNanos } from '@tokentally/domain-money';
import { ApiAccessGuard, teamScope, type ApiRequest } from './api-access.guard';
import { OverrideBody, OverridesQuery } from './budget-overrides.routes';
import { validBody } from './route-validation';

/** The HTTP twin of `tally budget override|overrides`, on the same use case (libs/domain/budget). */
@Controller()
@UseGuards(ApiAccessGuard)
export class BudgetOverridesController {
  constructor(@Inject(BudgetRepository) private readonly budgets: BudgetRepository) {}

  @Post('v1/budget/overrides')
  @HttpCode(201)
  async grant(@Body() body: unknown, @Req() request: ApiRequest): Promise<unknown> {
    if (request.caller?.role !== 'finance')
      throw new ForbiddenException('overrides are granted by finance: finance tokens only');
    const input = validBody(OverrideBody, body);
    const grantedBy = `token:finance${input.granted_by ? `:${input.granted_by}` : ''}`;
    const grant = await grantOverride(
      {
        teamId: input.team_id,
        feature: input.feature ?? null,
        environment: input.environment ?? null,
        amountNanos: parseDecimalToNanos(input.amount_usd),
        reasonCode: input.reason_code,
        approver: input.approver,
        note: input.note,
        expiresAt: parseOverrideExpiry(input.expires),
      },
      grantedBy,
      { ledger: this.budgets, now: Date.now(), newId: () => randomUUID().slice(0, 8) },
    );
    if (!grant.ok) throw new BadRequestException(grant.problems);
    return toJsonValue({ team_id: grant.override.teamId, ...statementOverrideOf(grant.override) });
  }

  @Get('v1/budget/overrides')
  async list(@Query() query: unknown, @Req() request: ApiRequest): Promise<unknown> {
    const { team, all } = validBody(OverridesQuery, query);
    if (!request.caller) throw new Error('ApiAccessGuard did not run');
    const scope = teamScope(request.caller, team);
    const overrides = await this.budgets.overrides({
      ...(scope !== undefined ? { teamId: scope } : {}),
      includeExpired: all === 'true',
    });
    return toJsonValue({
      overrides: overrides.map((o) => ({ team_id: o.teamId, ...statementOverrideOf(o) })),
    });
  }
}
