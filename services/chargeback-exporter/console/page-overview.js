import { api } from './api.js';
import { hbars } from './charts.js';
import { figure, h, pct, section, share, signed, table, usd } from './dom.js';
import { alertList, periodWindow } from './page-anomalies.js';
import { reconciliationView } from './page-reconciliation.js';

function budgetState(budget) {
  if (!budget) return 'no budget';
  const used = Number(budget.used_percent);
  return used >= 100 ? 'over budget' : used >= 80 ? 'above 80%' : 'within budget';
}

/** The period's audit summary: who spent what, the change and why, unattributed, budgets, open alerts. */
export async function overviewPage(ctx) {
  const statement = ctx.statement ?? (await api(`/v1/statements/${ctx.period}`));
  const { totals, teams } = statement;
  const unattributed = teams.find((t) => t.team_id === 'unattributed');
  const change = BigInt(totals.total_nanos) - BigInt(totals.previous_total_nanos);
  const changeShare = share(change, totals.previous_total_nanos);
  const figures = h(
    'div',
    { class: 'figures' },
    figure(
      `Spend ${statement.period}`,
      usd(totals.total_nanos),
      statement.status === 'closed' ? 'closed period' : 'open period',
      'grand-total',
    ),
    figure(`Spend ${statement.previous_period}`, usd(totals.previous_total_nanos), null, 'previous-total'),
    figure(
      'Change',
      signed(change.toString()),
      changeShare === null ? 'nothing the period before' : `${change < 0n ? '' : '+'}${changeShare}%`,
      'change',
    ),
    unattributed
      ? figure(
          'Unattributed',
          usd(unattributed.total_nanos),
          `${pct(share(unattributed.total_nanos, totals.total_nanos))} of spend`,
          'unattributed',
        )
      : null,
  );
  const ranked = [...teams].sort((a, b) => (BigInt(b.total_nanos) > BigInt(a.total_nanos) ? 1 : -1));
  const budgets = teams.filter((t) => t.budget);
  const alerts = await alertList(`status=open&${periodWindow(statement.period)}&limit=20`, ctx, {
    details: false,
    empty: 'No open alert in this period.',
  });
  const controls = teams.flatMap((t) => t.budget_controls.budgets.map((b) => ({ team: t, ...b })));
  return [
    figures,
    section(
      'Why it changed',
      h(
        'ul',
        { class: 'summary', 'data-testid': 'summary' },
        statement.summary.map((line) => h('li', {}, line)),
      ),
    ),
    section(
      'Spend by team',
      hbars(
        ranked.map((t) => ({
          label: t.name || t.team_id,
          value: t.total_nanos,
          text: usd(t.total_nanos),
          warn: t.team_id === 'unattributed',
        })),
      ),
      table(
        [
          { label: 'Team', value: (t) => t.name || t.team_id },
          {
            label: 'This period',
            num: true,
            value: (t) => usd(t.total_nanos),
            testid: (t) => `total-${t.team_id}`,
          },
          { label: 'Previous', num: true, value: (t) => usd(t.previous_total_nanos) },
          { label: 'Change', num: true, value: (t) => signed(t.change_nanos) },
          {
            label: '%',
            num: true,
            value: (t) => (t.change_percent === null ? 'new' : `${t.change_percent}%`),
          },
          { label: 'Shared cost', num: true, value: (t) => signed(t.allocated_nanos) },
          { label: 'Budget used', num: true, value: (t) => (t.budget ? `${t.budget.used_percent}%` : '–') },
        ],
        ranked,
      ),
    ),
    section(
      'Budget status',
      table(
        [
          { label: 'Team', value: (t) => t.name || t.team_id },
          { label: 'Budget', num: true, value: (t) => usd(t.budget.budget_nanos) },
          { label: 'Spent', num: true, value: (t) => usd(t.total_nanos) },
          { label: 'Remaining', num: true, value: (t) => usd(t.budget.remaining_nanos) },
          { label: 'Used', num: true, value: (t) => `${t.budget.used_percent}%` },
          {
            label: 'Status',
            value: (t) =>
              h(
                'span',
                { class: `state ${budgetState(t.budget).replace(/\W+/g, '-')}` },
                budgetState(t.budget),
              ),
          },
        ],
        budgets,
        { empty: 'No team has a monthly budget (set monthly_budget_usd in the org file).' },
      ),
    ),
    section(
      'Enforced budgets (checked before spending)',
      table(
        [
          { label: 'Team', value: (b) => b.team.name || b.team.team_id },
          {
            label: 'Scope',
            value: (b) =>
              [b.feature && `feature ${b.feature}`, b.environment && `environment ${b.environment}`]
                .filter(Boolean)
                .join(', ') || 'whole team',
          },
          { label: 'Mode', value: (b) => (b.mode === 'hard' ? 'hard (denies)' : 'soft (warns)') },
          { label: 'Limit', num: true, value: (b) => usd(b.limit_nanos) },
          { label: 'Overrides granted', num: true, value: (b) => usd(b.override_nanos) },
          { label: 'Spent', num: true, value: (b) => usd(b.spent_nanos) },
          { label: 'Above the limit', num: true, value: (b) => usd(b.above_budget_nanos) },
        ],
        controls,
        { empty: 'No enforced budget rule in the org file for these teams.' },
      ),
    ),
    section('Open alerts', alerts),
    section('Matches the provider bills?', ...reconciliationView(statement.reconciliation)),
  ];
}
