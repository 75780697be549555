import {
  BadRequestException,
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
import { ChargebackRepository, LedgerRepository, PERIOD } from '@tokentally/platform-db';
import { ApiAccessGuard, teamScope, type ApiRequest, type Caller } from './api-access.guard';
import { OPENAPI } from './openapi';
import { STATEMENT_SETTINGS, type StatementSettings } from '../chargeback.tokens';

const TEAM = /^[a-z0-9][a-z0-9._@:-]{0,127}$/i;

function period(value: string): string {
  if (!PERIOD.test(value)) throw new BadRequestException('period must be YYYY-MM, e.g. 2026-10');
  return value;
}

function team(value: string | undefined): string | undefined {
  if (value !== undefined && !TEAM.test(value)) throw new BadRequestException('team must be a team id');
  return value;
}

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
  ) {}

  @Get('openapi.json')
  openapi(): unknown {
    return OPENAPI;
  }

  private async statement(periodText: string, scope: string | undefined): Promise<Statement> {
    const input = await this.chargeback.statementInput(period(periodText), this.settings.topUsers);
    const statement = buildStatement(input);
    // a team token sees its own row and totals of that row only: never an org-wide figure
    return scope === undefined ? statement : scopeStatement(statement, scope);
  }

  @Get('v1/statements/:period')
  @UseGuards(ApiAccessGuard)
  async getStatement(
    @Param('period') periodText: string,
    @Query('team') teamText: string | undefined,
    @Req() request: ApiRequest,
  ): Promise<unknown> {
    const scope = teamScope(callerOf(request), team(teamText));
    const statement = await this.statement(periodText, scope);
    const closed = await this.chargeback.closedStatement(periodText);
    return toJsonValue({
      ...statement,
      status: closed ? 'closed' : 'open',
      content_hash: closed?.content_hash ?? null,
      summary: scope === undefined ? auditSummary(statement) : teamSummary(statement, scope),
    });
  }

  @Get('v1/statements/:period/closed')
  @UseGuards(ApiAccessGuard)
  @Header('content-type', 'application/json')
  async getClosed(@Param('period') periodText: string, @Req() request: ApiRequest): Promise<string> {
    if (callerOf(request).role !== 'finance')
      throw new ForbiddenException('a closed statement covers every team: finance tokens only');
    const closed = await this.chargeback.closedStatement(period(periodText));
    if (!closed) throw new NotFoundException(`period ${periodText} is not closed`);
    return closed.statement;
  }

  @Get('v1/exports/:period')
  @UseGuards(ApiAccessGuard)
  async getExport(
    @Param('period') periodText: string,
    @Query('format') format: string | undefined,
    @Query('team') teamText: string | undefined,
    @Req() request: ApiRequest,
  ): Promise<string | StreamableFile> {
    const scope = teamScope(callerOf(request), team(teamText));
    const response = request.res;
    switch (format ?? 'csv') {
      case 'csv':
        response?.type('text/csv');
        return statementCsv(await this.statement(periodText, scope));
      case 'json':
        response?.type('application/json');
        return JSON.stringify(toJsonValue(await this.statement(periodText, scope)));
      case 'focus':
      case 'focus-parquet': {
        const rows = focusExport(
          period(periodText),
          await this.chargeback.focusSources(periodText, scope),
          this.catalog,
        );
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
          disposition: `attachment; filename="focus-${periodText}.parquet"`,
        });
      }
      default:
        throw new BadRequestException('format must be csv, json, focus or focus-parquet');
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
    @Param('period') periodText: string,
    @Query('team') teamText: string | undefined,
    @Req() request: ApiRequest,
  ): Promise<unknown> {
    const scope = teamScope(callerOf(request), team(teamText));
    const statement = await this.statement(periodText, scope);
    return toJsonValue(
      statement.teams.map((t) => ({ team_id: t.team_id, spent_nanos: t.total_nanos, budget: t.budget })),
    );
  }

  @Get('v1/traces/:traceId/cost')
  @UseGuards(ApiAccessGuard)
  async explain(@Param('traceId') traceId: string, @Req() request: ApiRequest): Promise<unknown> {
    if (traceId.length > 256) throw new BadRequestException('trace id too long');
    const caller = callerOf(request);
    const { calls, adjustments } = await this.ledger.byTrace(traceId);
    const visible = caller.role === 'finance' ? calls : calls.filter((c) => c.team_id === caller.team);
    if (calls.length > 0 && visible.length === 0)
      throw new ForbiddenException(`this token may only read team ${caller.team}`);
    if (visible.length === 0) throw new NotFoundException(`no priced call with trace_id "${traceId}"`);
    return explainTrace(traceId, visible, adjustments);
  }
}
