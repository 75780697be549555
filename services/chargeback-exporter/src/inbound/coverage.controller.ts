import { Controller, ForbiddenException, Get, Inject, Param, Query, Req, UseGuards } from '@nestjs/common';
import {
  coverageJson,
  coverageReport,
  isoWeekOf,
  periodReconciliationJson,
} from '@tokentally/domain-reconciliation';
import { CoverageRepository, ReconciliationStatusReader } from '@tokentally/adapters-postgres-reconciliation';
import { toJsonValue } from '@tokentally/domain-chargeback';
import { ApiAccessGuard, teamScope, type ApiRequest } from './api-access.guard';
import { PeriodParams } from './finance.routes';
import { WeekQuery } from './reconciliation.routes';
import { valid } from './route-validation';

/** Coverage and reconciliation status for finance (libs/domain/reconciliation assembles, adapters read). */
@Controller()
export class CoverageController {
  constructor(
    @Inject(CoverageRepository) private readonly coverage: CoverageRepository,
    @Inject(ReconciliationStatusReader) private readonly status: ReconciliationStatusReader,
  ) {}

  @Get('v1/coverage')
  @UseGuards(ApiAccessGuard)
  async getCoverage(@Query() query: unknown, @Req() request: ApiRequest): Promise<unknown> {
    const { week } = valid(WeekQuery, query);
    // unowned spend, quarantine and provider accounts are org-wide by nature: no team has a share of them
    if (request.caller?.role !== 'finance')
      throw new ForbiddenException('coverage is org-wide: finance tokens only');
    return coverageJson(await coverageReport(this.coverage, week ?? isoWeekOf(Date.now())));
  }

  @Get('v1/reconciliation/:period/days')
  @UseGuards(ApiAccessGuard)
  async getReconciliationDays(@Param() params: unknown, @Req() request: ApiRequest): Promise<unknown> {
    const { period } = valid(PeriodParams, params);
    if (!request.caller) throw new Error('ApiAccessGuard did not run');
    const days = await this.status.days(period, teamScope(request.caller, undefined));
    return toJsonValue({ period, days });
  }

  @Get('v1/reconciliation/:period')
  @UseGuards(ApiAccessGuard)
  async getReconciliation(@Param() params: unknown, @Req() request: ApiRequest): Promise<unknown> {
    const { period } = valid(PeriodParams, params);
    if (!request.caller) throw new Error('ApiAccessGuard did not run');
    return periodReconciliationJson(await this.status.period(period, teamScope(request.caller, undefined)));
  }
}
