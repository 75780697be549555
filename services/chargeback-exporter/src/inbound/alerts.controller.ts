import {
  BadRequestException,
  Body,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  UseGuards,
} from '@nestjs/common';
import {
  alertDetailView,
  alertSummaryView,
  AlertOperations,
  feedbackView,
  OperatorError,
  type OperatorCaller,
} from '@tokentally/domain-anomaly';
import { toJsonValue } from '@tokentally/domain-chargeback';
import { scopeDigest, weeklyDigest, type DigestSources } from '@tokentally/domain-digest';
import { ApiAccessGuard, teamScope, type ApiRequest } from './api-access.guard';
import { AlertParams, AlertsQuery, DigestQuery, FeedbackBody } from './alerts.routes';
import { DIGEST_SOURCES } from '../chargeback.tokens';
import { OperatorMetrics } from '../operator.metrics';
import { valid } from './route-validation';

/** The finance API's caller as the operator use cases know it; recorded as `token:<role>[:<team>]`. */
function operatorOf(request: ApiRequest): OperatorCaller {
  const caller = request.caller;
  if (!caller) throw new Error('ApiAccessGuard did not run');
  const label = caller.role === 'finance' ? 'token:finance' : `token:team:${caller.team}`;
  return { role: caller.role, team: caller.team, label };
}

async function http<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof OperatorError)) throw error;
    if (error.code === 'forbidden') throw new ForbiddenException(error.message);
    if (error.code === 'not_found') throw new NotFoundException(error.message);
    throw new BadRequestException(error.message);
  }
}

/**
 * The anomaly detector's operator surface: alerts with their explanation, feedback the detector reads
 * back to suppress repeats, and the weekly audit digest. Same token scopes as the rest of the API.
 */
@Controller()
export class AlertsController {
  constructor(
    @Inject(AlertOperations) private readonly operations: AlertOperations,
    @Inject(DIGEST_SOURCES) private readonly digestSources: DigestSources,
    @Inject(OperatorMetrics) private readonly metrics: OperatorMetrics,
  ) {}

  @Get('v1/alerts')
  @UseGuards(ApiAccessGuard)
  list(@Query() query: unknown, @Req() request: ApiRequest): Promise<unknown> {
    const q = valid(AlertsQuery, query);
    return http(async () => {
      const alerts = await this.operations.list(operatorOf(request), {
        ...(q.team !== undefined ? { team: q.team } : {}),
        ...(q.status !== undefined ? { status: q.status } : {}),
        ...(q.kind !== undefined ? { kind: q.kind } : {}),
        ...(q.since !== undefined ? { since: q.since } : {}),
        ...(q.until !== undefined ? { until: q.until } : {}),
        limit: q.limit,
      });
      this.metrics.alertsServed.inc({ route: 'list' }, alerts.length);
      return { alerts: alerts.map(alertSummaryView) };
    });
  }

  @Get('v1/alerts/:alertId')
  @UseGuards(ApiAccessGuard)
  show(@Param() params: unknown, @Req() request: ApiRequest): Promise<unknown> {
    const { alertId } = valid(AlertParams, params);
    return http(async () => {
      const { alert, revisions } = await this.operations.show(operatorOf(request), alertId);
      this.metrics.alertsServed.inc({ route: 'show' });
      return alertDetailView(alert, revisions);
    });
  }

  @Post('v1/alerts/:alertId/feedback')
  @HttpCode(201)
  @UseGuards(ApiAccessGuard)
  feedback(@Param() params: unknown, @Body() body: unknown, @Req() request: ApiRequest): Promise<unknown> {
    const { alertId } = valid(AlertParams, params);
    const input = valid(FeedbackBody, body);
    return http(async () => {
      const { feedback, suppressed_until } = await this.operations.feedback(operatorOf(request), alertId, {
        verdict: input.verdict,
        reason: input.reason,
        ...(input.author ? { author: input.author } : {}),
      });
      this.metrics.feedback.inc({ verdict: feedback.verdict });
      return {
        alert_id: alertId,
        feedback: feedbackView(feedback),
        suppressed_until: new Date(suppressed_until).toISOString(),
      };
    });
  }

  @Get('v1/digest')
  @UseGuards(ApiAccessGuard)
  async digest(@Query() query: unknown, @Req() request: ApiRequest): Promise<unknown> {
    const q = valid(DigestQuery, query);
    const caller = request.caller;
    if (!caller) throw new Error('ApiAccessGuard did not run');
    const scope = teamScope(caller, q.team);
    let digest;
    try {
      digest = await weeklyDigest(this.digestSources, q.week);
    } catch (error) {
      if (error instanceof RangeError) throw new BadRequestException(error.message);
      throw error;
    }
    this.metrics.digests.inc({ scope: scope === undefined ? 'org' : 'team' });
    return toJsonValue(scope === undefined ? digest : scopeDigest(digest, scope));
  }
}
