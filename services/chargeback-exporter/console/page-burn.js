import { api } from './api.js';
import { burnChart } from './charts.js';
import { count, figure, h, pct, section, table, usd, usdFine } from './dom.js';

/** Sums the statement's breakdown lines of one dimension over the teams shown, dearest first. */
function top(teams, dimension, n = 10) {
  const sums = new Map();
  for (const t of teams)
    for (const line of t.breakdown[dimension] ?? []) {
      const entry = sums.get(line.key) ?? { key: line.key, nanos: 0n, calls: 0n };
      entry.nanos += BigInt(line.nanos);
      entry.calls += BigInt(line.calls);
      sums.set(line.key, entry);
    }
  return [...sums.values()].sort((a, b) => (b.nanos > a.nanos ? 1 : b.nanos < a.nanos ? -1 : 0)).slice(0, n);
}

/** Each day with its running total, exact. */
function toDate(days) {
  let sum = 0n;
  return days.map((d) => {
    sum += BigInt(d.nanos);
    return { ...d, to_date: sum.toString() };
  });
}

const breakdown = (title, column, rows) =>
  h(
    'div',
    { class: 'third' },
    h('h3', {}, title),
    table(
      [
        { label: column, value: (r) => r.key || '(none)' },
        { label: 'Cost', num: true, value: (r) => usd(r.nanos) },
        { label: 'Calls', num: true, value: (r) => count(r.calls) },
      ],
      rows,
    ),
  );

/** A request's cost call by call (GET /v1/traces/{id}/cost). */
async function explain(traceId, target) {
  target.replaceChildren(h('p', { class: 'loading' }, `Loading ${traceId}…`));
  try {
    const trace = await api(`/v1/traces/${encodeURIComponent(traceId)}/cost`);
    target.replaceChildren(
      h(
        'p',
        { 'data-testid': 'trace-total' },
        `Request ${trace.trace_id}: ${trace.totals.calls} calls (${trace.totals.retries} retries, ${trace.totals.fallbacks} fallbacks, ${trace.totals.failed} failed), ${usd(trace.totals.cost.nanos)} (exactly $${trace.totals.cost.usd})`,
      ),
      table(
        [
          { label: 'When (UTC)', value: (c) => c.occurred_at.replace('T', ' ').slice(0, 19) },
          { label: 'Model', value: (c) => `${c.call.provider} ${c.call.model}` },
          {
            label: 'Attempt',
            value: (c) =>
              [c.call.attempt ?? '', c.call.is_retry ? 'retry' : '', c.call.is_fallback ? 'fallback' : '']
                .filter(Boolean)
                .join(' '),
          },
          { label: 'Status', value: (c) => c.call.status_code ?? '' },
          {
            label: 'Input',
            num: true,
            value: (c) =>
              count(
                c.tokens.uncached_input +
                  c.tokens.cache_read +
                  c.tokens.cache_write_5m +
                  c.tokens.cache_write_1h,
              ),
          },
          { label: 'Output', num: true, value: (c) => count(c.tokens.output) },
          { label: 'Rate card', value: (c) => `${c.rate.rate_card_id} v${c.rate.rate_card_version}` },
          { label: 'Cost', num: true, value: (c) => usdFine(c.effective_total.nanos) },
        ],
        trace.calls,
      ),
    );
  } catch (error) {
    target.replaceChildren(h('p', { class: 'error', role: 'alert' }, error.message));
  }
}

/** Spend vs budget, the forecast to month end, the daily trend, what the money went to, and any request's cost. */
export async function burnPage(ctx) {
  const q = ctx.team ? `?team=${encodeURIComponent(ctx.team)}` : '';
  const [burn, statement] = await Promise.all([
    api(`/v1/burn/${ctx.period}${q}`),
    api(`/v1/statements/${ctx.period}${q}`),
  ]);
  const teams = statement.teams;
  const drill = h('div', { class: 'drill', 'data-testid': 'drill' });
  const traceInput = h('input', {
    type: 'text',
    id: 'trace',
    placeholder: 'trace_id',
    'aria-label': 'trace id',
  });
  const scope = ctx.team ? (teams[0]?.name ?? ctx.team) : 'All teams';
  return [
    h('p', { class: 'scope' }, `${scope}, ${burn.period}: ${burn.elapsed_percent}% of the month elapsed.`),
    h(
      'div',
      { class: 'figures' },
      figure('Spent', usd(burn.spent_nanos), 'shared cost included', 'burn-spent'),
      figure(
        'Budget',
        burn.budget_nanos === null ? 'none' : usd(burn.budget_nanos),
        ctx.team ? null : 'budgets are per team',
      ),
      figure(
        'Forecast to month end',
        usd(burn.forecast_nanos),
        burn.forecast_budget_percent
          ? `${pct(burn.forecast_budget_percent)} of budget`
          : 'at the rate so far',
        'burn-forecast',
      ),
      figure(
        'Budget reached',
        burn.budget_reached_at ? burn.budget_reached_at.slice(0, 10) : '–',
        burn.budget_reached_at ? 'at the rate so far' : null,
      ),
    ),
    section(
      'Daily trend (UTC)',
      burnChart(burn),
      h(
        'p',
        { class: 'note' },
        'Bars and month to date: direct cost. The forecast and the budget include shared cost; the forecast is the spend so far at the same rate to the end of the month.',
      ),
      h(
        'details',
        { open: true },
        h('summary', {}, 'Days as a table (exact)'),
        table(
          [
            { label: 'Day', value: (d) => d.day },
            { label: 'Direct cost', num: true, value: (d) => usd(d.nanos), testid: (d) => `day-${d.day}` },
            { label: 'Month to date', num: true, value: (d) => usd(d.to_date) },
          ],
          toDate(burn.days),
        ),
      ),
    ),
    h(
      'div',
      { class: 'row' },
      breakdown('Top models', 'Model', top(teams, 'model')),
      breakdown('Top features', 'Feature', top(teams, 'feature')),
      breakdown('Top user refs', 'User ref (pseudonymous)', top(teams, 'user_ref')),
    ),
    section(
      "Dearest requests: a request's cost",
      h(
        'form',
        {
          class: 'inline',
          onsubmit: (e) => {
            e.preventDefault();
            if (traceInput.value.trim()) void explain(traceInput.value.trim(), drill);
          },
        },
        traceInput,
        h('button', { type: 'submit' }, 'Explain'),
      ),
      table(
        [
          {
            label: 'Request (trace_id)',
            value: (t) =>
              h(
                'button',
                { type: 'button', class: 'link', onclick: () => void explain(t.trace_id, drill) },
                t.trace_id,
              ),
          },
          { label: 'Started (UTC)', value: (t) => t.started_at.replace('T', ' ').slice(0, 19) },
          { label: 'Calls', num: true, value: (t) => count(t.calls) },
          { label: 'Cost', num: true, value: (t) => usdFine(t.total_nanos) },
        ],
        burn.top_traces,
      ),
      drill,
    ),
  ];
}
