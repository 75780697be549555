import {
  Controller,
  ForbiddenException,
  Get,
  Inject,
  Param,
  Query,
  Req,
  ServiceUnavailableException,
  UseGuards,
} from '@nestjs/common';
import {
  buildStatement,
  burnForecast,
  modelEfficiency,
  PREMIUM_INPUT_NANOS_PER_TOKEN,
  scopeStatement,
  SHORT_CALL_TOKENS,
  toJsonValue,
} from '@tokentally/domain-chargeback';
import { ChargebackRepository, InsightsRepository } from '@tokentally/adapters-postgres-ledger';
import { ApiAccessGuard, teamScope, type ApiRequest, type Caller } from './api-access.guard';
import { PeriodParams, TeamQuery } from './finance.routes';
import { QuarantineQuery, TopQuery } from './insights.routes';
import { valid } from './route-validation';
import { STATEMENT_SETTINGS, type StatementSettings } from '../chargeback.tokens';
import { PipelineStatusMonitor } from '../outbound/pipeline-status.monitor';

export const CLOCK = Symbol('CLOCK');

const callerOf = (request: ApiRequest): Caller => {
  if (!request.caller) throw new Error('ApiAccessGuard did not run');
  return request.caller;
};

/** The console's JSON routes: burn forecast, model efficiency, pipeline status, quarantine counts. */
@Controller()
@UseGuards(ApiAccessGuard)
export class InsightsController {
  constructor(
    @Inject(ChargebackRepository) private readonly chargeback: ChargebackRepository,
    @Inject(InsightsRepository) private readonly insights: InsightsRepository,
    @Inject(PipelineStatusMonitor) private readonly status: PipelineStatusMonitor,
    @Inject(STATEMENT_SETTINGS) private readonly settings: StatementSettings,
    @Inject(CLOCK) private readonly clock: () => number,
  ) {}

  @Get('v1/burn/:period')
  async burn(
    @Param() params: unknown,
    @Query() query: unknown,
    @Req() request: ApiRequest,
  ): Promise<unknown> {
    const { period } = valid(PeriodParams, params);
    const { team, top } = valid(TopQuery, query);
    const scope = teamScope(callerOf(request), team);
    const full = buildStatement(await this.chargeback.statementInput(period, this.settings.topUsers));
    const statement = scope === undefined ? full : scopeStatement(full, scope);
    // a team's burn is its statement total (shared cost included) against its budget; the org has no budget
    const row = scope === undefined ? undefined : statement.teams[0];
    const [daily, traces] = await Promise.all([
      this.insights.dailySpend(period, scope),
      this.insights.topTraces(period, scope, top),
    ]);
    return toJsonValue({
      team: scope ?? null,
      ...burnForecast({
        period,
        spent_nanos: statement.totals.total_nanos,
        budget_nanos: row?.budget?.budget_nanos ?? null,
        daily,
        now: this.clock(),
      }),
      top_traces: traces.map((t) => ({ ...t, started_at: t.started_at.toISOString() })),
    });
  }

  @Get('v1/efficiency/:period')
  async efficiency(
    @Param() params: unknown,
    @Query() query: unknown,
    @Req() request: ApiRequest,
  ): Promise<unknown> {
    const { period } = valid(PeriodParams, params);
    const scope = teamScope(callerOf(request), valid(TeamQuery, query).team);
    const [calls, traces] = await Promise.all([
      this.insights.efficiencyCalls(period, scope, SHORT_CALL_TOKENS),
      this.insights.efficiencyTraces(period, scope),
    ]);
    return toJsonValue({
      period,
      team: scope ?? null,
      short_call_tokens: SHORT_CALL_TOKENS,
      premium_input_nanos_per_token: PREMIUM_INPUT_NANOS_PER_TOKEN,
      ...modelEfficiency(calls, traces),
    });
  }

  @Get('v1/status')
  async pipelineStatus(): Promise<unknown> {
    try {
      return await this.status.current();
    } catch (error) {
      throw new ServiceUnavailableException(error instanceof Error ? error.message : String(error));
    }
  }

  @Get('v1/ops/summary')
  async ops(@Query() query: unknown, @Req() request: ApiRequest): Promise<unknown> {
    const { hours } = valid(QuarantineQuery, query);
    if (callerOf(request).role !== 'finance')
      throw new ForbiddenException('throughput and quarantine cover every team: finance tokens only');
    const since = new Date(this.clock() - hours * 3_600_000);
    const [reasons, hourly] = await Promise.all([
      this.insights.quarantineByReason(since),
      this.insights.hourly(since),
    ]);
    return toJsonValue({
      since: since.toISOString(),
      hours: hourly,
      quarantine: reasons.map((r) => ({ ...r, last_at: r.last_at.toISOString() })),
    });
  }

  @Get('v1/session')
  session(@Req() request: ApiRequest): Caller {
    const { role, team } = callerOf(request);
    return { role, team };
  }
}
