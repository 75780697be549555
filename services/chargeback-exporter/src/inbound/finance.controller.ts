import {
  Controller,
  ForbiddenException,
  Get,
  Header,
  Inject,
  NotFoundException,
  Param,
  Query,
  Req,
  StreamableFile,
  UseGuards,
} from '@nestjs/common';
import {
  auditSummary,
  buildStatement,
  FOCUS_SCHEMA_ID,
  FOCUS_VERSION,
  focusCsv,
  focusExport,
  focusMetadata,
  focusParquet,
  statementCsv,
  scopeStatement,
  teamSummary,
  toJsonValue,
  type Statement,
} from '@tokentally/domain-chargeback';
import { explainTrace, PriceCatalog } from '@tokentally/domain-pricing';
import { ChargebackRepository, LedgerRepository } from '@tokentally/adapters-postgres-ledger';
import { ApiAccessGuard, teamScope, type ApiRequest, type Caller } from './api-access.guard';
import { ExportQuery, financeOpenApi, PeriodParams, TeamQuery, TraceParams } from './finance.routes';
import { INSIGHTS_ROUTES } from './insights.routes';
import { STATEMENT_SETTINGS, type StatementSettings } from '../chargeback.tokens';
import { periodReconciliationJson } from '@tokentally/domain-reconciliation';
import { ReconciliationStatusReader } from '@tokentally/adapters-postgres-reconciliation';
import { valid } from './route-validation';

/** Path or query parameters checked by their route schema: a 400 naming the first problem. */
const callerOf = (request: ApiRequest): Caller => {
  if (!request.caller) throw new Error('ApiAccessGuard did not run');
  return request.caller;
};

/** The finance API: statements, exports, budgets and explain-a-request, per caller's team scope. */
@Controller()
export class FinanceController {
  private readonly catalog = new PriceCatalog();

  constructor(
    @Inject(ChargebackRepository) private readonly chargeback: ChargebackRepository,
    @Inject(LedgerRepository) private readonly ledger: LedgerRepository,
    @Inject(STATEMENT_SETTINGS) private readonly settings: StatementSettings,
    @Inject(ReconciliationStatusReader) private readonly reconciliation: ReconciliationStatusReader,
  ) {}

  private readonly document = financeOpenApi(INSIGHTS_ROUTES);

  @Get('openapi.json')
  openapi(): unknown {
    return this.document;
  }

  private async statement(period: string, scope: string | undefined): Promise<Statement> {
    const input = await this.chargeback.statementInput(period, this.settings.topUsers);
    const statement = buildStatement(input);
    // a team token sees its own row and totals of that row only: never an org-wide figure
    return scope === undefined ? statement : scopeStatement(statement, scope);
  }

  @Get('v1/statements/:period')
  @UseGuards(ApiAccessGuard)
  async getStatement(
    @Param() params: unknown,
    @Query() query: unknown,
    @Req() request: ApiRequest,
  ): Promise<unknown> {
    const { period } = valid(PeriodParams, params);
    const scope = teamScope(callerOf(request), valid(TeamQuery, query).team);
    const statement = await this.statement(period, scope);
    const closed = await this.chargeback.closedStatement(period);
    return toJsonValue({
      ...statement,
      status: closed ? 'closed' : 'open',
      content_hash: closed?.content_hash ?? null,
      summary: scope === undefined ? auditSummary(statement) : teamSummary(statement, scope),
      // the period against the provider bills (a team token: its team's provider accounts only)
      reconciliation: periodReconciliationJson(await this.reconciliation.period(period, scope)),
    });
  }

  @Get('v1/statements/:period/closed')
  @UseGuards(ApiAccessGuard)
  @Header('content-type', 'application/json')
  async getClosed(@Param() params: unknown, @Req() request: ApiRequest): Promise<string> {
    const { period } = valid(PeriodParams, params);
    if (callerOf(request).role !== 'finance')
      throw new ForbiddenException('a closed statement covers every team: finance tokens only');
    const closed = await this.chargeback.closedStatement(period);
    if (!closed) throw new NotFoundException(`period ${period} is not closed`);
    return closed.statement;
  }

  @Get('v1/exports/:period')
  @UseGuards(ApiAccessGuard)
  async getExport(
    @Param() params: unknown,
    @Query() query: unknown,
    @Req() request: ApiRequest,
  ): Promise<string | StreamableFile> {
    const { period } = valid(PeriodParams, params);
    const { format, team } = valid(ExportQuery, query);
    const scope = teamScope(callerOf(request), team);
    const response = request.res;
    switch (format) {
      case 'csv':
        response?.type('text/csv');
        return statementCsv(await this.statement(period, scope));
      case 'json':
        response?.type('application/json');
        return JSON.stringify(toJsonValue(await this.statement(period, scope)));
      case 'focus':
      case 'focus-parquet': {
        const rows = focusExport(period, await this.chargeback.focusSources(period, scope), this.catalog);
        // FOCUS asks every data artifact to name its schema without reading its contents
        response?.setHeader('x-focus-version', FOCUS_VERSION);
        response?.setHeader('x-focus-schema-id', FOCUS_SCHEMA_ID);
        response?.setHeader('link', '</v1/focus/metadata>; rel="describedby"');
        if (format === 'focus') {
          response?.type('text/csv');
          return focusCsv(rows);
        }
        return new StreamableFile(Buffer.from(focusParquet(rows)), {
          type: 'application/vnd.apache.parquet',
          disposition: `attachment; filename="focus-${period}.parquet"`,
        });
      }
    }
  }

  @Get('v1/focus/metadata')
  @UseGuards(ApiAccessGuard)
  focusMetadata(): unknown {
    return focusMetadata();
  }

  @Get('v1/budgets/:period')
  @UseGuards(ApiAccessGuard)
  async getBudgets(
    @Param() params: unknown,
    @Query() query: unknown,
    @Req() request: ApiRequest,
  ): Promise<unknown> {
    const { period } = valid(PeriodParams, params);
    const scope = teamScope(callerOf(request), valid(TeamQuery, query).team);
    const statement = await this.statement(period, scope);
    return toJsonValue(
      statement.teams.map((t) => ({
        team_id: t.team_id,
        spent_nanos: t.total_nanos,
        budget: t.budget,
        budget_controls: t.budget_controls,
      })),
    );
  }

  @Get('v1/traces/:traceId/cost')
  @UseGuards(ApiAccessGuard)
  async explain(@Param() params: unknown, @Req() request: ApiRequest): Promise<unknown> {
    const { traceId } = valid(TraceParams, params);
    const caller = callerOf(request);
    const { calls, adjustments } = await this.ledger.byTrace(traceId);
    const visible = caller.role === 'finance' ? calls : calls.filter((c) => c.team_id === caller.team);
    if (calls.length > 0 && visible.length === 0)
      throw new ForbiddenException(`this token may only read team ${caller.team}`);
    if (visible.length === 0) throw new NotFoundException(`no priced call with trace_id "${traceId}"`);
    return explainTrace(traceId, visible, adjustments);
  }
}
