import { api } from './api.js';
import { bp, figure, h, section, signed, table, usd } from './dom.js';
import { chosenWeek, weekPicker } from './weeks.js';

const KINDS = {
  traffic_spike: 'More requests',
  prompt_growth: 'Bigger prompts',
  model_mix_shift: 'Shift to a pricier model',
  retry_storm: 'Retries and fallbacks',
  price_change: 'Price change',
  new_feature: 'New feature',
  spend_drop: 'Spend drop',
  budget_crossing: 'Budget crossing',
  reconciliation_difference: 'Difference with the provider bill',
  other: 'Other',
};
const CAUSES = {
  traffic: 'more or fewer requests',
  prompt_size: 'prompt size',
  output_size: 'answer length',
  model_mix: 'model mix',
  price: 'price per token',
  retries: 'retries and fallbacks',
  new_entity: 'spend with no history',
};
export const kindName = (kind) => KINDS[kind] ?? kind;
const when = (iso) => iso.replace('T', ' ').slice(0, 16);

/** The period's bounds as the alerts route's since/until (event time, UTC). */
export function periodWindow(period) {
  const [year, month] = period.split('-').map(Number);
  const iso = (m) => new Date(Date.UTC(year, m, 1)).toISOString();
  return `since=${iso(month - 1)}&until=${iso(month)}`;
}

function drivers(detail) {
  return table(
    [
      { label: 'Cause', value: (d) => CAUSES[d.cause] ?? d.cause },
      {
        label: 'Where',
        value: (d) =>
          `${d.dimension} ${d.key}${d.template_version ? ` (template ${d.template_version})` : ''}`,
      },
      { label: 'Amount', num: true, value: (d) => signed(d.delta_nanos) },
      { label: 'Share', num: true, value: (d) => bp(d.share_bp) },
    ],
    detail.drivers,
    { empty: 'No breakdown for this alert.' },
  );
}

/** One alert as the detector words it: the sentence first, then what kind, how bad, where, when. */
function alertItem(a, detail) {
  const scope = [a.scope.feature && `feature ${a.scope.feature}`, a.scope.model && `model ${a.scope.model}`]
    .concat(a.scope.workflow ? [`workflow ${a.scope.workflow}`] : [])
    .filter(Boolean);
  return h(
    'li',
    { class: `alert ${a.severity}`, 'data-testid': `alert-${a.alert_id}` },
    h('div', { class: 'alert-title' }, a.explanation),
    h(
      'div',
      { class: 'note' },
      [
        kindName(a.kind),
        a.severity,
        `team ${a.team_id}${scope.length ? `, ${scope.join(', ')}` : ''}`,
        `${when(a.window_start)} to ${when(a.window_end)} UTC`,
        a.status === 'resolved' ? 'resolved' : a.status === 'updated' ? 'open (updated)' : 'open',
      ].join(' · '),
    ),
    h(
      'div',
      { class: 'note' },
      'Spent ',
      h('span', { 'data-testid': `observed-${a.alert_id}` }, usd(a.observed_nanos)),
      ' against a usual ',
      usd(a.baseline_nanos),
      ': ',
      h('strong', { 'data-testid': `delta-${a.alert_id}` }, signed(a.delta_nanos)),
      a.budget?.budget_nanos
        ? ` · budget ${usd(a.budget.budget_nanos)}${a.budget.threshold_bp ? `, threshold ${bp(a.budget.threshold_bp)}` : ''}${a.budget.forecast_crossing_date ? `, reached on ${a.budget.forecast_crossing_date} at this pace` : ''}`
        : '',
      a.latest_feedback ? ` · marked "${a.latest_feedback.verdict}": ${a.latest_feedback.reason}` : '',
    ),
    detail ? drivers(detail) : null,
  );
}

/** Alerts with their drivers (GET /v1/alerts/{id} for each shown), or a plain "none". */
export async function alertList(query, ctx, { details = true, empty = 'No alerts.' } = {}) {
  const team = ctx.team ? `&team=${encodeURIComponent(ctx.team)}` : '';
  const { alerts } = await api(`/v1/alerts?${query}${team}`);
  if (alerts.length === 0) return h('p', { class: 'empty' }, empty);
  const full = details
    ? await Promise.all(alerts.map((a) => api(`/v1/alerts/${encodeURIComponent(a.alert_id)}`)))
    : [];
  return h(
    'ul',
    { class: 'alerts', 'data-testid': 'alerts' },
    alerts.map((a, i) => alertItem(a, full[i])),
  );
}

function digestSection(digest) {
  const teams = digest.teams;
  return [
    h(
      'div',
      { class: 'figures' },
      figure(
        `Spend ${digest.week}`,
        usd(digest.totals.spend_nanos),
        `${digest.from.slice(0, 10)} to ${digest.to.slice(0, 10)}`,
        'digest-spend',
      ),
      figure(`Spend ${digest.previous_week}`, usd(digest.totals.previous_nanos)),
      figure('Change', signed(digest.totals.change_nanos)),
      digest.unattributed
        ? figure(
            'Unattributed',
            usd(digest.unattributed.spend_nanos),
            `${bp(digest.unattributed.share_bp)} of spend`,
          )
        : null,
    ),
    table(
      [
        { label: 'Team', value: (t) => t.name || t.team_id },
        {
          label: 'This week',
          num: true,
          value: (t) => usd(t.spend_nanos),
          testid: (t) => `digest-${t.team_id}`,
        },
        { label: 'Week before', num: true, value: (t) => usd(t.previous_nanos) },
        { label: 'Change', num: true, value: (t) => signed(t.change_nanos) },
        { label: '%', num: true, value: (t) => (t.change_bp === null ? 'new' : bp(t.change_bp)) },
        {
          label: 'Biggest changes, and why',
          value: (t) =>
            t.top_changes.length
              ? h(
                  'ul',
                  { class: 'plain' },
                  t.top_changes.slice(0, 3).map((c) => h('li', {}, c.explanation)),
                )
              : '–',
        },
      ],
      teams,
      { empty: 'No spend in this week.' },
    ),
    digest.actions.length
      ? h(
          'div',
          {},
          h('h3', {}, 'What to do'),
          h(
            'ul',
            { class: 'summary' },
            digest.actions.map((a) => h('li', {}, `${a.message} (${usd(a.impact_nanos)})`)),
          ),
        )
      : null,
  ];
}

/** The period's alerts with their explanations, and the weekly digest of a week of the period. */
export async function anomaliesPage(ctx) {
  const window = periodWindow(ctx.period);
  const { weeks, week } = chosenWeek(ctx);
  const team = ctx.team ? `&team=${encodeURIComponent(ctx.team)}` : '';
  const [open, resolved, digest] = await Promise.all([
    alertList(`status=open&${window}`, ctx, { empty: 'No open alert in this period.' }),
    alertList(`status=resolved&${window}`, ctx, { empty: 'No resolved alert in this period.' }),
    api(`/v1/digest?week=${week}${team}`),
  ]);
  return [
    h(
      'p',
      { class: 'scope' },
      'Each alert says what changed, against the usual spend for that hour and weekday, and which causes make up the difference (the amounts add up to it exactly).',
    ),
    section('Open', open),
    section('Resolved', resolved),
    section(`Weekly digest`, weekPicker(ctx, weeks, week), ...digestSection(digest)),
  ];
}
