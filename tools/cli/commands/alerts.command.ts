import type { Command } from 'commander';
import { PostgresAlertStore } from '@tokentally/adapters-postgres-alerts';
import {
  ALERT_KINDS,
  alertDetailView,
  alertSummaryView,
  AlertOperations,
  FEEDBACK_VERDICTS,
  feedbackView,
  isAlertKind,
  isFeedbackVerdict,
  type AlertQuery,
  type OperatorCaller,
} from '@tokentally/domain-anomaly';
import { formatUsd } from '@tokentally/domain-money';
import { withDatabase } from '../database';
import { parseTime } from '../time';
import { basisPoints, textTable } from './text-table';

interface ListOptions {
  status?: string;
  kind?: string;
  team?: string;
  since?: string;
  until?: string;
  limit: string;
  json?: boolean;
}

/** The CLI holds the database: it reads every team, and records feedback as `cli:<user>`. */
const operator = (): OperatorCaller => ({
  role: 'finance',
  team: null,
  label: `cli:${process.env['USER'] ?? 'unknown'}`,
});
const usd = (nanos: string): string => formatUsd(BigInt(nanos));
const minute = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')}Z`;

function queryOf(options: ListOptions): AlertQuery {
  if (options.status !== undefined && options.status !== 'open' && options.status !== 'resolved')
    throw new Error(`--status "${options.status}" must be open or resolved`);
  if (options.kind !== undefined && !isAlertKind(options.kind))
    throw new Error(`--kind "${options.kind}" must be one of ${ALERT_KINDS.join(', ')}`);
  if (!/^\d+$/.test(options.limit)) throw new Error(`--limit "${options.limit}" must be a whole number`);
  return {
    ...(options.status !== undefined ? { status: options.status } : {}),
    ...(options.kind !== undefined && isAlertKind(options.kind) ? { kind: options.kind } : {}),
    ...(options.team !== undefined ? { team: options.team } : {}),
    ...(options.since !== undefined ? { since: parseTime(options.since, '--since') } : {}),
    ...(options.until !== undefined ? { until: parseTime(options.until, '--until') } : {}),
    limit: Number(options.limit),
  };
}

export function registerAlertsCommands(program: Command): void {
  const alerts = program
    .command('alerts')
    .description("the anomaly detector's alerts: list, show one with its explanation, give feedback");
  alerts
    .command('list')
    .description('latest revision of each alert, newest detection first (the same as GET /v1/alerts)')
    .option('--status <status>', 'open (not resolved yet) or resolved')
    .option('--kind <kind>', ALERT_KINDS.join(', '))
    .option('--team <team_id>', 'only this team')
    .option('--since <time>', 'event time: alerts whose window ends after this (2026-11-16 or an ISO time)')
    .option('--until <time>', 'event time: alerts whose window starts before this')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'the JSON of GET /v1/alerts')
    .action(async (options: ListOptions) => {
      const query = queryOf(options);
      await withDatabase('tally alerts list', async (pool) => {
        const list = await new AlertOperations(new PostgresAlertStore(pool)).list(operator(), query);
        const views = list.map(alertSummaryView);
        if (options.json) return console.log(JSON.stringify({ alerts: views }, null, 2));
        if (views.length === 0) return console.log('no alerts match');
        const rows = views.map((a) => [
          a.alert_id,
          a.status,
          a.kind,
          a.severity,
          a.scope.series ?? a.team_id,
          minute(a.window_start),
          usd(a.observed_nanos),
          usd(a.baseline_nanos),
          (BigInt(a.delta_nanos) >= 0n ? '+' : '') + usd(a.delta_nanos),
          a.latest_feedback?.verdict ?? '',
        ]);
        console.log(
          textTable(
            [
              [
                'alert',
                'status',
                'kind',
                'severity',
                'scope',
                'since (UTC)',
                'observed',
                'baseline',
                'change',
                'feedback',
              ],
              ...rows,
            ],
            [6, 7, 8],
          ),
        );
        console.log(`${views.length} alert(s); amounts in USD (cents), exact nano-USD with show or --json`);
      });
    });
  alerts
    .command('show')
    .description(
      'one alert: the sentence, every driver in USD and exact nano-USD with its share, revisions, feedback',
    )
    .argument('<alert_id>')
    .option('--json', 'the JSON of GET /v1/alerts/<alert_id>')
    .action(async (alertId: string, options: { json?: boolean }) => {
      await withDatabase('tally alerts show', async (pool) => {
        const { alert, revisions } = await new AlertOperations(new PostgresAlertStore(pool)).show(
          operator(),
          alertId,
        );
        const view = alertDetailView(alert, revisions);
        if (options.json) return console.log(JSON.stringify(view, null, 2));
        console.log(
          `${view.alert_id}  ${view.kind} (${view.severity}), ${view.status}, revision ${view.revision}`,
        );
        console.log(`scope:     ${view.scope.series ?? view.team_id}`);
        console.log(
          `window:    ${view.window_start} .. ${view.window_end} (event time), detected ${view.detected_at}`,
        );
        console.log(
          `spend:     ${usd(view.observed_nanos)} observed vs ${usd(view.baseline_nanos)} baseline: ${usd(view.delta_nanos)} (${view.delta_nanos} nano-USD)`,
        );
        if (view.budget)
          console.log(
            `budget:    ${view.budget.period} at ${basisPoints(view.budget.threshold_bp ?? 0)} of ${view.budget.budget_nanos === null ? '?' : usd(view.budget.budget_nanos)}${view.budget.forecast_crossing_date ? `, forecast 100% on ${view.budget.forecast_crossing_date}` : ''}`,
          );
        console.log(`\n${view.explanation}\n`);
        if (view.drivers.length > 0) {
          const total = view.drivers.reduce((s, d) => s + BigInt(d.delta_nanos), 0n);
          console.log(
            textTable(
              [
                ['cause', 'carried by', 'USD', 'nano-USD', 'share'],
                ...view.drivers.map((d) => [
                  d.cause,
                  `${d.dimension} ${d.key}${d.template_version ? ` (template ${d.template_version})` : ''}`,
                  usd(d.delta_nanos),
                  d.delta_nanos,
                  basisPoints(d.share_bp),
                ]),
                ['total', '', formatUsd(total), total.toString(), ''],
              ],
              [2, 3, 4],
            ),
          );
        }
        console.log(
          `\nrevisions: ${view.revisions.map((r) => `#${r.revision} ${r.status} ${r.kind} at ${r.detected_at}`).join('; ')}`,
        );
        for (const f of view.feedback)
          console.log(`feedback:  ${f.verdict} by ${f.author ?? '?'} at ${f.created_at}: ${f.reason}`);
      });
    });
  alerts
    .command('feedback')
    .description(
      'mark an alert expected, planned or not_an_issue: the detector mutes it and suppresses repeats of its scope',
    )
    .argument('<alert_id>')
    .requiredOption(
      '--verdict <verdict>',
      `${FEEDBACK_VERDICTS.join(', ')} (suppresses repeats for 24 h, 7 days, 3 days of event time)`,
    )
    .requiredOption('--reason <text>', 'why, in a sentence (kept with who and when)')
    .option('--author <name>', 'who gives it (recorded with cli:<user>)')
    .action(async (alertId: string, options: { verdict: string; reason: string; author?: string }) => {
      if (!isFeedbackVerdict(options.verdict))
        throw new Error(`--verdict "${options.verdict}" must be one of ${FEEDBACK_VERDICTS.join(', ')}`);
      await withDatabase('tally alerts feedback', async (pool) => {
        const { feedback, suppressed_until } = await new AlertOperations(
          new PostgresAlertStore(pool),
        ).feedback(operator(), alertId, {
          verdict: options.verdict,
          reason: options.reason,
          ...(options.author ? { author: options.author } : {}),
        });
        const view = feedbackView(feedback);
        console.log(
          `${alertId}: ${view.verdict} recorded by ${view.author ?? '?'} at ${view.created_at}; the detector does not page again for this scope until ${new Date(suppressed_until).toISOString()} (event time)`,
        );
      });
    });
}
