import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Post,
  Query,
  UnsupportedMediaTypeException,
  UseGuards,
} from '@nestjs/common';
import {
  FETCH_PROVIDERS,
  IMPORT_FORMATS,
  exportContent,
  isFetchProvider,
  isImportFormat,
} from '@tokentally/domain-reconciliation';
import { AdminApiFetcher, type AdminApiSettings } from '@tokentally/adapters-http-provider-billing';
import { ReconciliationRepository } from '@tokentally/adapters-postgres-reconciliation';
import { ReconcilerPipeline } from '../reconciler.pipeline';
import { cellView, importView, monthView } from './reconciliation.view';
import { UploadTokenGuard } from './upload-token.guard';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The admin APIs whose key is configured (OPENAI_ADMIN_KEY, ANTHROPIC_ADMIN_KEY). */
export const ADMIN_APIS = Symbol('ADMIN_APIS');
export type AdminApis = Partial<Record<'openai' | 'anthropic', AdminApiSettings>>;

function day(value: string | undefined, name: string): string {
  if (!value || !DAY.test(value) || Number.isNaN(Date.parse(value)))
    throw new BadRequestException(`${name} must be a UTC day, YYYY-MM-DD`);
  return value;
}

/**
 * POST /v1/reconciliation/imports?format=<f>[&account=..][&provider=..][&file_name=..] with the export
 * file as the raw body (text/csv, text/plain, application/octet-stream, application/x-ndjson; CUR 2.0
 * Parquet as application/octet-stream with format=aws-cur);
 * POST /v1/reconciliation/fetches?provider=openai|anthropic&from&to[&account=..] fetches the admin
 * API's usage and cost reports and imports them; POST /v1/reconciliation/runs?from&to re-runs days; GET /v1/reconciliation?from&to[&open=true] reads
 * the stored cells. All behind a RECONCILE_UPLOAD_TOKENS bearer token.
 */
@Controller('v1/reconciliation')
@UseGuards(UploadTokenGuard)
export class ReconciliationController {
  constructor(
    @Inject(ReconcilerPipeline) private readonly pipeline: ReconcilerPipeline,
    @Inject(ReconciliationRepository) private readonly results: ReconciliationRepository,
    @Inject(ADMIN_APIS) private readonly adminApis: AdminApis,
  ) {}

  @Post('imports')
  @HttpCode(200)
  async upload(
    @Body() body: unknown,
    @Query() query: { format?: string; account?: string; provider?: string; file_name?: string },
  ) {
    const format = query.format ?? '';
    if (!isImportFormat(format))
      throw new BadRequestException(`format must be one of ${Object.keys(IMPORT_FORMATS).join(', ')}`);
    if (!Buffer.isBuffer(body))
      throw new UnsupportedMediaTypeException(
        'send the export file as the raw body (text/csv, text/plain, application/octet-stream or application/x-ndjson); a parsed JSON body would pass amounts through floats',
      );
    const content = await exportContent(body, format).catch((error: unknown) => {
      throw new BadRequestException((error as Error).message);
    });
    const summary = await this.pipeline.importFile(format, content, {
      ...(query.account ? { accountId: query.account } : {}),
      ...(query.provider ? { provider: query.provider } : {}),
      ...(query.file_name ? { fileName: query.file_name } : {}),
    });
    return importView(summary);
  }

  @Post('fetches')
  @HttpCode(200)
  async fetch(@Query() query: { provider?: string; from?: string; to?: string; account?: string }) {
    const provider = query.provider ?? '';
    if (!isFetchProvider(provider))
      throw new BadRequestException(`provider must be one of ${FETCH_PROVIDERS.join(', ')}`);
    const from = day(query.from, 'from');
    const to = day(query.to, 'to');
    if (to < from) throw new BadRequestException('to is before from');
    const api = this.adminApis[provider];
    if (!api)
      throw new BadRequestException(`${provider.toUpperCase()}_ADMIN_KEY is not set on the reconciler`);
    const summaries = await this.pipeline.fetchReports(new AdminApiFetcher(provider, api), from, to, {
      provider,
      ...(query.account ? { accountId: query.account } : {}),
    });
    return { reports: summaries.map(importView) };
  }

  @Post('runs')
  @HttpCode(200)
  async run(@Query() query: { from?: string; to?: string }) {
    const run = await this.pipeline.reconcile(day(query.from, 'from'), day(query.to, 'to'));
    return { cells: run.cells.map(cellView), months: run.months.map(monthView), alerts: run.alerts.length };
  }

  @Get()
  async status(@Query() query: { from?: string; to?: string; open?: string; provider?: string }) {
    const cells = await this.results.results(day(query.from, 'from'), day(query.to, 'to'), {
      openOnly: query.open === 'true',
      ...(query.provider ? { provider: query.provider } : {}),
    });
    return {
      cells: cells.map((c) => ({
        result_id: c.resultId,
        provider: c.provider,
        account_id: c.accountId,
        model: c.model,
        usage_date: c.usageDate,
        token_type: c.tokenType,
        ledger_nanos: c.ledgerNanos.toString(),
        provider_nanos: c.providerNanos.toString(),
        delta_nanos: c.deltaNanos.toString(),
        delta_bp: c.deltaBp,
        tolerance_bp: c.toleranceBp,
        status: c.status,
        provisional: c.provisional,
        explanations: c.explanations.map((e) => ({
          class: e.class,
          nanos: e.nanos.toString(),
          detail: e.detail,
        })),
        unexplained_nanos: c.unexplainedNanos.toString(),
        computed_at: c.computedAt.toISOString(),
      })),
    };
  }
}
