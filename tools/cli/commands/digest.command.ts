import type { Command } from 'commander';
import { PostgresDigestSources } from '@tokentally/adapters-postgres-alerts';
import { toJsonValue } from '@tokentally/domain-chargeback';
import { scopeDigest, weeklyDigest, type Digest } from '@tokentally/domain-digest';
import { formatUsd } from '@tokentally/domain-money';
import { withDatabase } from '../database';
import { basisPoints, textTable } from './text-table';

const signed = (n: bigint): string => (n < 0n ? formatUsd(n) : `+${formatUsd(n)}`);

/** The digest as text: one block per team, then unowned spend and the suggested actions. */
export function digestText(d: Digest): string {
  const out: string[] = [
    `Weekly audit digest ${d.week} (${d.from.slice(0, 10)} .. ${d.to.slice(0, 10)} UTC, event time) vs ${d.previous_week}`,
    `Total ${formatUsd(d.totals.spend_nanos)} (${d.totals.spend_nanos} nano-USD), ${signed(d.totals.change_nanos)} vs ${formatUsd(d.totals.previous_nanos)}`,
    '',
    textTable(
      [
        ['team', 'this week', 'previous', 'change', 'change %', 'nano-USD', 'open alerts'],
        ...d.teams.map((t) => [
          t.name === t.team_id ? t.team_id : `${t.name} (${t.team_id})`,
          formatUsd(t.spend_nanos),
          formatUsd(t.previous_nanos),
          signed(t.change_nanos),
          t.change_bp === null ? 'new' : basisPoints(t.change_bp),
          t.spend_nanos.toString(),
          String(t.open_alerts.length),
        ]),
      ],
      [1, 2, 3, 4, 5, 6],
    ),
  ];
  for (const t of d.teams) {
    const lines: string[] = [];
    for (const c of t.top_changes) {
      lines.push(`  ${c.explanation}`);
      for (const a of c.alerts) lines.push(`      alert ${a.alert_id} (${a.kind}): ${a.explanation}`);
    }
    if (t.alert_drivers.length)
      lines.push(
        `  alert drivers: ${t.alert_drivers.map((x) => `${x.cause} ${signed(x.delta_nanos)}`).join(', ')}`,
      );
    for (const a of t.open_alerts)
      lines.push(
        `  open alert ${a.alert_id} (${a.kind}${a.feedback ? `, ${a.feedback}` : ', no feedback'}): ${a.explanation}`,
      );
    for (const b of t.budgets)
      lines.push(
        `  budget ${[b.source, b.feature, b.environment].filter((x) => x !== null).join(' ')} ${b.period}: ${formatUsd(b.spent_nanos)} of ${formatUsd(b.budget_nanos)} (${basisPoints(b.used_bp)}), on pace for ${formatUsd(b.projected_nanos)}`,
      );
    if (lines.length) out.push('', `${t.name} (${t.team_id})`, ...lines);
  }
  if (d.unattributed) {
    const q = d.unattributed.quarantined.map((x) => `${x.events} ${x.reason}`).join(', ');
    out.push(
      '',
      `Unattributed: ${formatUsd(d.unattributed.spend_nanos)} of ${formatUsd(d.unattributed.total_nanos)} (${basisPoints(d.unattributed.share_bp)}); quarantined this week: ${q || 'none'}`,
    );
  }
  out.push('', 'Suggested actions:');
  if (d.actions.length === 0) out.push('  none');
  for (const [i, a] of d.actions.entries())
    out.push(
      `  ${i + 1}. [${a.rule}] ${a.team_id ?? 'org'}: ${a.message} (${formatUsd(a.impact_nanos)} at stake)`,
    );
  return out.join('\n');
}

export function registerDigestCommand(program: Command): void {
  program
    .command('digest')
    .description(
      'weekly audit digest: per team spend vs the previous ISO week, why it changed, open alerts, budgets, unowned spend, what to do next',
    )
    .requiredOption('--week <YYYY-Www>', 'ISO week, e.g. 2026-W47 (Monday 00:00 UTC to the next Monday)')
    .option('--team <team_id>', "only this team's section and actions")
    .option('--json', 'the JSON of GET /v1/digest?week=...')
    .action(async (options: { week: string; team?: string; json?: boolean }) => {
      if (!/^\d{4}-W\d{2}$/.test(options.week))
        throw new Error(`--week "${options.week}" must be an ISO week, e.g. 2026-W47`);
      await withDatabase('tally digest', async (pool) => {
        const digest = await weeklyDigest(new PostgresDigestSources(pool), options.week);
        const view = options.team === undefined ? digest : scopeDigest(digest, options.team);
        console.log(options.json ? JSON.stringify(toJsonValue(view), null, 2) : digestText(view));
      });
    });
}
